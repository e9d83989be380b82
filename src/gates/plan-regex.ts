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
export async function planRegex(source: string, flags = ''): Promise<LinearRegex> {
  return BUILTIN_REGEXES.has(source) ? nativeRegex(source, flags) : compileLinearRegex(source, flags)
}

/** Why a plan's regex cannot run (not RE2 syntax, or lookaround and backreferences), or undefined. */
export async function planRegexProblem(source: string, flags = ''): Promise<RegexProblem | undefined> {
  return BUILTIN_REGEXES.has(source) ? undefined : linearRegexProblem(source, flags)
}
