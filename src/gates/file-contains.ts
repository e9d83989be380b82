import { mapLimit, READ_AHEAD, toList } from '../lib/files.js'
import type { FileContainsGate } from '../plan/plan.generated.js'
import type { OptionProblem } from '../plan/check-plan.js'
import { findFiles, inputGlobs } from './file-options.js'
import type { GateKind } from './gate-kind.js'
import { nativeRegex, pauser } from '../lib/patterns.js'
import { planRegex, planRegexProblem } from './plan-regex.js'

const shorten = (text: string) => (text.length > 40 ? `${text.slice(0, 37)}…` : text)
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A `count` range no number of matches can satisfy. */
function countProblems(count: FileContainsGate['file-contains']['count']): OptionProblem[] {
  if (typeof count !== 'object' || count.min === undefined || count.max === undefined || count.min <= count.max)
    return []
  return [
    {
      at: ['file-contains', 'count'],
      message: `count asks for at least ${count.min} and at most ${count.max} matches: no file can pass`,
      hint: 'make `min` no larger than `max`',
    },
  ]
}

/** `file-contains:` — each matching file (not excluded; see `nocase`) contains a string or regex (by default at least once; or `count`). */
export const fileContainsGate: GateKind<FileContainsGate> = {
  describe: (gate) =>
    `${toList(gate['file-contains'].in).join(', ')} contains ${gate['file-contains'].text !== undefined ? JSON.stringify(shorten(gate['file-contains'].text)) : `/${shorten(gate['file-contains'].regex!)}/`}`,
  inputs: (gate) => inputGlobs(toList(gate['file-contains'].in), gate['file-contains'].nocase),
  perFile: true,
  async checkOptions(gate) {
    const { regex, flags } = gate['file-contains']
    const found = regex === undefined ? undefined : await planRegexProblem(regex, flags)
    return [
      ...(found
        ? [
            {
              at: ['file-contains', 'regex'],
              message: `regex \`${regex}\` is not a valid regular expression: ${found.problem}`,
              hint: found.hint ?? 'escape characters meant literally with `\\`, or use `text:` for a literal string',
            },
          ]
        : []),
      ...countProblems(gate['file-contains'].count),
    ]
  },
  async check(gate, { root, only, signal, workspace }) {
    const spec = gate['file-contains']
    const pattern =
      spec.text !== undefined
        ? nativeRegex(escapeRegExp(spec.text), spec.flags)
        : await planRegex(spec.regex!, spec.flags)
    const pause = pauser(signal)
    const what =
      spec.text !== undefined ? JSON.stringify(shorten(spec.text)) : `/${shorten(spec.regex!)}/${spec.flags ?? ''}`
    const { min, max } =
      typeof spec.count === 'number'
        ? { min: spec.count, max: spec.count }
        : { min: spec.count?.min ?? 1, max: spec.count?.max ?? Infinity }
    const options = { nocase: spec.nocase, exclude: spec.exclude ? toList(spec.exclude) : [] }
    const files = [
      ...new Set((await Promise.all(toList(spec.in).map((p) => findFiles(root, p, options, only)))).flat()),
    ].sort()
    if (files.length === 0)
      return only || spec.missing_ok
        ? {
            status: 'passed',
            message: only ? 'no staged file to check' : `no file matches ${toList(spec.in).join(', ')}`,
          }
        : { status: 'failed', message: `no file matches ${toList(spec.in).join(', ')}` }
    const wrong: { file: string; line?: number; message: string }[] = []
    const texts = await mapLimit(files, READ_AHEAD, (file) => workspace.boundary.readFile(file, 'utf8'))
    // The match whose line is named when a file fails: the first one when none are allowed, else the first one too many.
    const shown = min === 0 ? 0 : max
    for (const [i, file] of files.entries()) {
      const text = texts[i]!
      let count = 0
      let first: number | undefined
      for (const match of pattern.matches(text)) {
        if (count++ === shown) first = match.index
        await pause()
      }
      await pause()
      if (count >= min && count <= max) continue
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`
      const line = first === undefined ? undefined : text.slice(0, first).split('\n').length
      wrong.push({
        file,
        ...(line ? { line } : {}),
        message: `${count} ${count === 1 ? 'match' : 'matches'} of ${what}, expected ${expected}`,
      })
    }
    if (wrong.length === 0) {
      const subject = files.length === 1 ? files[0]! : `${files.length} files`
      return {
        status: 'passed',
        message: max === 0 ? `no ${what} in ${subject}` : `${subject} contain${files.length === 1 ? 's' : ''} ${what}`,
      }
    }
    return { status: 'failed', message: failureMessage(wrong), locations: wrong }
  },
}

// The message names at most this many files; every failing file is still a location of its own.
const NAMED_IN_MESSAGE = 10

/**
 * `a.ts: 0 matches …; b.ts: 2 matches …`, files failing the same way named once as a group (`0 matches of /x/,
 * expected at least 1 in 53 files: a.ts, b.ts … and 43 more`), at most NAMED_IN_MESSAGE files in all.
 */
function failureMessage(wrong: readonly { file: string; message: string }[]): string {
  const groups = new Map<string, string[]>()
  for (const w of wrong) groups.set(w.message, [...(groups.get(w.message) ?? []), w.file])
  let left = NAMED_IN_MESSAGE
  let unnamed = 0
  const parts: string[] = []
  for (const [message, files] of groups) {
    if (left === 0) {
      unnamed += files.length
      continue
    }
    const named = files.slice(0, left)
    left -= named.length
    const rest = files.length - named.length
    parts.push(
      files.length === 1
        ? `${files[0]}: ${message}`
        : `${message} in ${files.length} files: ${named.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`,
    )
  }
  return `${parts.join('; ')}${unnamed > 0 ? `; and ${unnamed} more file${unnamed === 1 ? '' : 's'} (${wrong.length} in all)` : ''}`
}
