/**
 * Indents json-schema-to-typescript's unformatted output by bracket depth: one fast pass over
 * every generated file instead of running prettier once per schema.
 */
export function reindent(code: string): string {
  const out: string[] = []
  let depth = 0
  let inComment = false
  for (const raw of code.split('\n')) {
    const line = raw.trim()
    if (line === '') {
      if (out.length > 0 && out[out.length - 1] !== '') out.push('')
      continue
    }
    const comment = inComment || line.startsWith('/*') || line.startsWith('//')
    if (line.startsWith('/*')) inComment = !line.includes('*/')
    else if (inComment && line.includes('*/')) inComment = false
    if (comment) {
      out.push('  '.repeat(depth) + (line.startsWith('*') ? ` ${line}` : line))
      continue
    }
    const leadingClosers = /^[}\])]+/.exec(line)?.[0].length ?? 0
    out.push('  '.repeat(Math.max(0, depth - leadingClosers)) + line)
    depth = Math.max(0, depth + netBrackets(line))
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop()
  return `${out.join('\n')}\n`
}

/** Opening minus closing brackets on a line, outside string literals and trailing comments. */
function netBrackets(line: string): number {
  let net = 0
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < line.length && line[i] !== c; i++) if (line[i] === '\\') i++
    } else if (c === '/' && line[i + 1] === '/') break
    else if (c === '{' || c === '[' || c === '(') net++
    else if (c === '}' || c === ']' || c === ')') net--
  }
  return net
}
