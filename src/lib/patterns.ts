import { setImmediate as nextTurn } from 'node:timers/promises'
import { lazyImport } from './memo.js'

/** One match of a regular expression: where it starts (a UTF-16 index, as in JavaScript) and its text. */
export interface PatternMatch {
  index: number
  value: string
}

/** A compiled regular expression: whether it matches, and each match from left to right. */
export interface LinearRegex {
  test(text: string): boolean
  matches(text: string): Iterable<PatternMatch>
}

/** Why a regular expression cannot be used, and what to do about it. */
export interface RegexProblem {
  problem: string
  hint?: string
}

const LINEAR_HINT = 'patterns run in linear time (RE2 syntax)'
const loadRe2 = lazyImport(() => import('re2js'))

/**
 * Compiles a plan's regular expression for RE2 semantics, whose matching time grows linearly with
 * the text whatever the pattern; flags `i`, `m`, `s` as in JavaScript (`u` is implied, `g` ignored).
 * JavaScript's `\uXXXX` and `\u{…}` escapes are accepted. Throws where `linearRegexProblem` reports.
 */
export async function compileLinearRegex(source: string, flags = ''): Promise<LinearRegex> {
  const { RE2JS } = await loadRe2()
  const bits =
    (flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) |
    (flags.includes('m') ? RE2JS.MULTILINE : 0) |
    (flags.includes('s') ? RE2JS.DOTALL : 0)
  const pattern = RE2JS.compile(toRe2Syntax(source), bits)
  return {
    test: (text) => pattern.test(text),
    *matches(text) {
      // Whether it matches at all is answered several times faster than where (most texts have no match).
      if (!pattern.test(text)) return
      for (const m of pattern.matchAll(text)) yield { index: m.index ?? 0, value: m[0] }
    },
  }
}

/**
 * A regex engine for ajv (`code.regExp`) that matches a schema's `pattern` in linear time where RE2
 * can express it; a pattern with lookaround or backreferences (legal in JSON Schema) stays a
 * JavaScript RegExp.
 */
export async function schemaRegexEngine(): Promise<
  ((pattern: string, u: string) => { test(text: string): boolean }) & { code: string }
> {
  const { RE2JS } = await loadRe2()
  const engine = (pattern: string, u: string) => {
    if (unsupportedSyntax(pattern)) return new RegExp(pattern, u)
    try {
      return RE2JS.compile(toRe2Syntax(pattern))
    } catch {
      return new RegExp(pattern, u)
    }
  }
  return Object.assign(engine, { code: 'linearRegExp' })
}

/** A JavaScript RegExp as a `LinearRegex`: only for patterns wf itself wrote and checked against hostile input. */
export function nativeRegex(source: string, flags = ''): LinearRegex {
  const global = new RegExp(source, `g${flags.replace(/[gy]/g, '')}`)
  const single = new RegExp(source, flags.replace(/[gy]/g, ''))
  return {
    test: (text) => single.test(text),
    *matches(text) {
      for (const m of text.matchAll(global)) yield { index: m.index, value: m[0] }
    },
  }
}

/** Why a plan's regular expression cannot run in linear time or does not parse (with a hint), or undefined. */
export async function linearRegexProblem(source: string, flags = ''): Promise<RegexProblem | undefined> {
  const unsupported = unsupportedSyntax(source)
  if (unsupported) return unsupported
  try {
    await compileLinearRegex(source, flags)
    return undefined
  } catch (error) {
    const { error: what, input: quoted } = error as { error?: string; input?: string }
    if (!what) throw error
    // The engine quotes the part it refused (the whole pattern, with the flags it was given as `(?m)`, for some errors).
    const input = quoted?.replace(/^\(\?[ims]+\)/, '')
    const at = input && input !== source ? source.indexOf(input) : -1
    const problem = at >= 0 ? `${what} \`${input}\` at character ${at + 1}` : what
    return what.includes('repeat count')
      ? { problem, hint: `a repeat count is at most 1000: ${LINEAR_HINT}` }
      : { problem }
  }
}

/** Lookaround and backreferences: JavaScript has them, RE2 refuses them because they cannot match in linear time. */
function unsupportedSyntax(source: string): RegexProblem | undefined {
  let inClass = false
  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    if (c === '\\') {
      const next = source[i + 1] ?? ''
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<'))
        return refused('a backreference', source, i, next === 'k' ? source.indexOf('>', i) + 1 || i + 2 : i + 2)
      i++
    } else if (inClass) inClass = c !== ']'
    else if (c === '[') {
      inClass = true
      if (source[i + 1] === ']') i++
    } else if (c === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2, i + 4)
      if (rest.startsWith('=') || rest.startsWith('!')) return refused('lookahead', source, i, i + 3)
      if (rest === '<=' || rest === '<!') return refused('lookbehind', source, i, i + 4)
    }
  }
  return undefined
}

const refused = (what: string, source: string, start: number, end: number): RegexProblem => ({
  problem: `${what} (\`${source.slice(start, end)}\` at character ${start + 1}) is not supported`,
  hint: `${what === 'a backreference' ? 'backreferences are' : `${what} is`} not supported: ${LINEAR_HINT}; match the text around it instead, or use several gates`,
})

/** JavaScript escapes RE2 spells differently: `\uXXXX` and `\u{…}` become `\x{…}`. */
function toRe2Syntax(source: string): string {
  if (!source.includes('\\u')) return source
  return source.replace(/\\(?:u([0-9A-Fa-f]{4})|u\{([0-9A-Fa-f]{1,6})\}|[\s\S])/g, (sequence, four, braced) =>
    four || braced ? `\\x{${four ?? braced}}` : sequence,
  )
}

/**
 * A function to await between units of long synchronous work (files scanned, matches counted): it
 * gives the event loop a turn every `everyMs`, so signals and MCP requests are served, and throws
 * once `signal` is aborted.
 */
export function pauser(signal?: AbortSignal, everyMs = 20): () => Promise<void> {
  let last = performance.now()
  return async () => {
    if (performance.now() - last < everyMs) return
    await nextTurn()
    last = performance.now()
    signal?.throwIfAborted()
  }
}

/** Why picomatch rejects a glob (unbalanced brackets, braces or parentheses), or undefined. */
export async function globProblem(glob: string): Promise<string | undefined> {
  const { default: picomatch } = await import('picomatch')
  try {
    picomatch.makeRe(glob, { strictBrackets: true, debug: true })
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}
