/** One physical line of an instruction: its text and where it starts in the file (1-based). */
export interface DockerfileLine {
  text: string
  line: number
}

/** One Dockerfile instruction: keyword (upper case), arguments with continuations joined, and heredoc bodies. */
export interface DockerfileInstruction {
  keyword: string
  /** The arguments, each continuation line joined with a space (comments inside dropped). */
  args: string
  /** Line of the keyword (1-based) and its column. */
  line: number
  col: number
  /** The physical lines `args` came from, in order, and each one's offset in `args`. */
  parts: { offset: number; line: number; text: string }[]
  /** Bodies of `<<EOF` heredocs, with the line of their first line. */
  heredocs: { body: string; line: number }[]
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*?)\s*$/
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g

/**
 * The instructions of a Dockerfile as BuildKit reads them: parser directives (`# escape=`) first,
 * comment lines skipped (also inside a continuation), lines ending in the escape character joined,
 * and heredoc bodies (`RUN <<EOF … EOF`) kept apart from the instruction's arguments.
 */
export function dockerfileParse(text: string): DockerfileInstruction[] {
  const lines = text.split(/\r?\n/)
  let escapeChar = '\\'
  let i = 0
  // Parser directives: only at the very top, before any comment, blank line or instruction.
  for (; i < lines.length; i++) {
    const directive = DIRECTIVE.exec(lines[i]!)
    if (!directive) break
    if (directive[1]!.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\'))
      escapeChar = directive[2]
  }
  const instructions: DockerfileInstruction[] = []
  while (i < lines.length) {
    const first = lines[i]!
    const trimmed = first.trimStart()
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++
      continue
    }
    const keyword = /^\S+/.exec(trimmed)![0]
    const col = first.length - trimmed.length + 1
    const parts: DockerfileInstruction['parts'] = []
    let args = ''
    let physical = trimmed.slice(keyword.length).trimStart()
    let lineNo = i + 1
    i++
    for (;;) {
      const body = physical.replace(/\s+$/, '')
      const continued = body.endsWith(escapeChar)
      const piece = continued ? body.slice(0, -1) : body
      if (args !== '') args += ' '
      parts.push({ offset: args.length, line: lineNo, text: lines[lineNo - 1]! })
      args += piece
      if (!continued) break
      // Comment lines and blank lines inside a continuation are dropped.
      while (i < lines.length && /^\s*(#|$)/.test(lines[i]!)) i++
      if (i >= lines.length) break
      physical = lines[i]!
      lineNo = i + 1
      i++
    }
    const heredocs: DockerfileInstruction['heredocs'] = []
    if (/^(RUN|COPY|ADD)$/i.test(keyword)) {
      for (const match of args.matchAll(HEREDOC)) {
        const strip = match[1] === '-'
        const end = match[3]!
        const start = i
        while (i < lines.length && (strip ? lines[i]!.replace(/^\t+/, '') : lines[i]) !== end) i++
        heredocs.push({ body: lines.slice(start, i).join('\n'), line: start + 1 })
        i++
      }
    }
    instructions.push({ keyword: keyword.toUpperCase(), args, line: parts[0]!.line, col, parts, heredocs })
  }
  return instructions
}

/** The physical line (number and text) holding offset `index` of an instruction's arguments. */
export function lineAt(instruction: DockerfileInstruction, index: number): DockerfileLine {
  let found = instruction.parts[0]!
  for (const part of instruction.parts) if (part.offset <= index) found = part
  return { line: found.line, text: found.text }
}
