import { candidateFiles, mapLimit, READ_AHEAD, toList } from '../lib/files.js'
import type { FileContainsGate } from '../plan/plan.generated.js'
import type { OptionProblem } from '../plan/check-plan.js'
import type { GateKind } from './gate-kind.js'
import { regexProblem } from '../lib/patterns.js'

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

/** `file-contains:` — each matching file contains a string or regex (by default at least once; or `count`). */
export const fileContainsGate: GateKind<FileContainsGate> = {
  describe: (gate) =>
    `${toList(gate['file-contains'].in).join(', ')} contains ${gate['file-contains'].text !== undefined ? JSON.stringify(shorten(gate['file-contains'].text)) : `/${shorten(gate['file-contains'].regex!)}/`}`,
  inputs: (gate) => toList(gate['file-contains'].in),
  perFile: true,
  checkOptions(gate) {
    const { regex, flags } = gate['file-contains']
    const problem = regex === undefined ? undefined : regexProblem(regex, flags)
    return [
      ...(problem
        ? [
            {
              at: ['file-contains', 'regex'],
              message: `regex \`${regex}\` is not a valid regular expression: ${problem}`,
              hint: 'escape characters meant literally with `\\`, or use `text:` for a literal string',
            },
          ]
        : []),
      ...countProblems(gate['file-contains'].count),
    ]
  },
  async check(gate, { root, only, workspace }) {
    const spec = gate['file-contains']
    const pattern = new RegExp(
      spec.text !== undefined ? escapeRegExp(spec.text) : spec.regex!,
      `g${(spec.flags ?? '').replace(/g/g, '')}`,
    )
    const what =
      spec.text !== undefined ? JSON.stringify(shorten(spec.text)) : `/${shorten(spec.regex!)}/${spec.flags ?? ''}`
    const { min, max } =
      typeof spec.count === 'number'
        ? { min: spec.count, max: spec.count }
        : { min: spec.count?.min ?? 1, max: spec.count?.max ?? Infinity }
    const files = await candidateFiles(root, toList(spec.in), only)
    if (files.length === 0)
      return only || spec.missing_ok
        ? {
            status: 'passed',
            message: only ? 'no staged file to check' : `no file matches ${toList(spec.in).join(', ')}`,
          }
        : { status: 'failed', message: `no file matches ${toList(spec.in).join(', ')}` }
    const wrong: { file: string; line?: number; message: string }[] = []
    const texts = await mapLimit(files, READ_AHEAD, (file) => workspace.boundary.readFile(file, 'utf8'))
    for (const [i, file] of files.entries()) {
      const text = texts[i]!
      const matches = [...text.matchAll(pattern)]
      if (matches.length >= min && matches.length <= max) continue
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`
      const first = matches[min === 0 ? 0 : max]?.index
      const line = first === undefined ? undefined : text.slice(0, first).split('\n').length
      wrong.push({
        file,
        ...(line ? { line } : {}),
        message: `${matches.length} ${matches.length === 1 ? 'match' : 'matches'} of ${what}, expected ${expected}`,
      })
    }
    if (wrong.length === 0) {
      const subject = files.length === 1 ? files[0]! : `${files.length} files`
      return {
        status: 'passed',
        message: max === 0 ? `no ${what} in ${subject}` : `${subject} contain${files.length === 1 ? 's' : ''} ${what}`,
      }
    }
    return { status: 'failed', message: wrong.map((w) => `${w.file}: ${w.message}`).join('; '), locations: wrong }
  },
}
