import {
  compileLinearRegex,
  type LinearRegex,
  linearRegexProblem,
  nativeRegex,
  type RegexProblem,
} from '../lib/patterns.js'
import { BUILTIN_REGEXES } from '../plan/builtin-phases.js'

/**
 * A regex from a plan, compiled so that matching takes time linear in the text (RE2 semantics);
 * wf's own built-in patterns, checked against hostile input, run as JavaScript RegExp.
 */
export function planRegex(source: string, flags = ''): Promise<LinearRegex> {
  const key = `${flags}/${source}`
  let regex = compiled.get(key)
  if (!regex) {
    // A long-lived server (wf mcp) checks the same gates again and again: each pattern is compiled once.
    if (compiled.size >= MAX_COMPILED) compiled.clear()
    regex = BUILTIN_REGEXES.has(source)
      ? Promise.resolve(nativeRegex(source, flags))
      : compileLinearRegex(source, flags)
    compiled.set(key, regex)
    // A pattern that does not compile is not kept: the next check reports it again.
    const kept = regex
    kept.catch(() => compiled.get(key) === kept && compiled.delete(key))
  }
  return regex
}

/** Compiled patterns by flags and source (they keep no state between matches, so they can be shared). */
const compiled = new Map<string, Promise<LinearRegex>>()
const MAX_COMPILED = 2000

/** Why a plan's regex cannot run (not RE2 syntax, or lookaround and backreferences), or undefined. */
export async function planRegexProblem(source: string, flags = ''): Promise<RegexProblem | undefined> {
  return BUILTIN_REGEXES.has(source) ? undefined : linearRegexProblem(source, flags)
}
