import { describe, expect, it } from 'vitest'
import { planRegex } from '../../src/gates/plan-regex.js'
import { testdir } from '../helpers.js'
import { planWith, runGates } from './run-gates.js'

// `^(a+)+$` backtracks exponentially in a JavaScript RegExp on "a"×40 + "!" (over a minute);
// plan regexes run on a linear-time engine, so each gate comes back with the right verdict.
const NESTED = '^(a+)+$'
const NEAR_MISS = `${'a'.repeat(40)}!`

describe('plan regexes with nested quantifiers', () => {
  it('file-contains, forbid and command stdout judge a near miss and a match', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith(
        [
          `      - file-contains: { in: near-miss.txt, regex: "${NESTED}", flags: m }`,
          `      - file-contains: { in: both.txt, regex: "${NESTED}", flags: m, count: 1 }`,
          `      - forbid: { patterns: ["${NESTED}"], in: near-miss.txt }`,
          `      - forbid: { patterns: ["${NESTED}"], in: both.txt }`,
          `      - command: echo ${NEAR_MISS}`,
          `        stdout: "${NESTED}"`,
          `      - command: echo ${'a'.repeat(40)}`,
          `        stdout: "${NESTED}"`,
          '',
        ].join('\n'),
      ),
      'near-miss.txt': `${NEAR_MISS}\n`.repeat(50),
      'both.txt': `${NEAR_MISS}\n${'a'.repeat(40)}\n${NEAR_MISS}\n`,
    })
    const { code, gates } = await runGates(cwd)
    expect(gates.map((g) => g.status)).toEqual(['failed', 'passed', 'passed', 'failed', 'failed', 'passed'])
    expect(gates[0]!.message).toBe('near-miss.txt: 0 matches of /^(a+)+$/m, expected at least 1')
    expect(gates[3]!.locations).toEqual([{ file: 'both.txt', line: 2, col: 1, message: expect.any(String) }])
    expect(gates[4]!.message).toContain('output does not match /^(a+)+$/')
    expect(code).toBe(1)
  })

  it('flags i, m and s and JavaScript \\u escapes mean what they mean in JavaScript', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith(
        [
          '      - file-contains: { in: a.txt, regex: "^BETA$", flags: im, count: 1 }',
          '      - file-contains: { in: a.txt, regex: "^beta$", count: 0 }',
          '      - file-contains: { in: a.txt, regex: "alpha.beta", flags: s, count: 1 }',
          '      - file-contains: { in: a.txt, regex: "alpha.beta", count: 0 }',
          '      - file-contains: { in: a.txt, regex: "caf\\\\u00e9 \\\\u{1F600}", flags: u, count: 1 }',
          '',
        ].join('\n'),
      ),
      'a.txt': 'alpha\nbeta\ncafé 😀\n',
    })
    const { gates } = await runGates(cwd)
    expect(gates.map((g) => `${g.status} ${g.message}`)).toEqual([
      'passed a.txt contains /^BETA$/im',
      'passed no /^beta$/ in a.txt',
      'passed a.txt contains /alpha.beta/s',
      'passed no /alpha.beta/ in a.txt',
      'passed a.txt contains /caf\\u00e9 \\u{1F600}/u',
    ])
  })
})

describe('planRegex', () => {
  it('compiles a pattern once and shares it: matches on one text leave nothing behind for the next', async () => {
    const regex = await planRegex('b(c+)', 'i')
    expect(await planRegex('b(c+)', 'i')).toBe(regex)
    expect(await planRegex('b(c+)')).not.toBe(regex)
    const first = regex.matches('abcc abccc')[Symbol.iterator]()
    expect(first.next().value).toEqual({ index: 1, value: 'bcc' })
    expect([...regex.matches('BC')]).toEqual([{ index: 0, value: 'BC' }])
    expect(first.next().value).toEqual({ index: 6, value: 'bccc' })
    expect(regex.test('xbc')).toBe(true)
    expect(regex.test('xb')).toBe(false)
    await expect(planRegex('(?<=a)b')).rejects.toThrow()
  })
})
