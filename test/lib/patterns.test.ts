import { describe, expect, it } from 'vitest'
import { compileLinearRegex, linearRegexProblem } from '../../src/lib/patterns.js'

describe('linearRegexProblem', () => {
  it.each([
    ['^## (?=Install)', 'lookahead (`(?=` at character 5) is not supported', 'lookahead is not supported'],
    ['a(?!b)', 'lookahead (`(?!` at character 2) is not supported', 'lookahead is not supported'],
    ['(?<=v)1', 'lookbehind (`(?<=` at character 1) is not supported', 'lookbehind is not supported'],
    ['x(?<!v)', 'lookbehind (`(?<!` at character 2) is not supported', 'lookbehind is not supported'],
    ['(a)\\1', 'a backreference (`\\1` at character 4) is not supported', 'backreferences are not supported'],
    ['(?<q>a)\\k<q>', 'a backreference (`\\k<q>` at character 8) is not supported', 'backreferences'],
    ['a{2000}', 'invalid repeat count `{2000}` at character 2', 'a repeat count is at most 1000'],
    ['(a', 'missing closing )', undefined],
  ])('%s', async (source, problem, hint) => {
    const found = await linearRegexProblem(source)
    expect(found?.problem).toBe(problem)
    if (hint) expect(found?.hint).toContain(hint)
    else expect(found?.hint).toBeUndefined()
  })

  it.each(['[(?=]', '\\(?=', '\\\\1', '[\\]](?:x)', '(?<name>a)', '(?i)abc', '\\u00e9\\u{1F600}'])(
    'accepts %s',
    async (source) => {
      expect(await linearRegexProblem(source, 'u')).toBeUndefined()
    },
  )
})

describe('compileLinearRegex', () => {
  it.each([
    ['^b', 'm', 'a\nb\nb', [2, 4]],
    ['^b', '', 'a\nb', []],
    ['A.B', 'is', 'a\nb', [0]],
    ['A.B', 'i', 'a\nb', []],
    ['é', '', 'aé😀é', [1, 4]],
    ['x*', '', 'ab', [0, 1, 2]],
  ])('/%s/%s in %j matches at %j (UTF-16 indexes, as in JavaScript)', async (source, flags, text, indexes) => {
    const regex = await compileLinearRegex(source, flags)
    expect([...regex.matches(text)].map((m) => m.index)).toEqual(indexes)
    expect([...text.matchAll(new RegExp(source, `g${flags}`))].map((m) => m.index)).toEqual(indexes)
    expect(regex.test(text)).toBe(indexes.length > 0)
  })
})
