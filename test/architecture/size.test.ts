import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers.js'
import { longFunctions, sizeViolations } from './sizes.js'

describe('the size of src/', () => {
  it('no function over 80 lines, no command file over 50 lines', () => {
    expect(sizeViolations(join(repoRoot, 'src'))).toEqual([])
  })

  it('catches a long function, arrow, method and function expression', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i}`).join('\n')
    const source = [
      `export function long() {\n${body(79)}\n}`,
      `export function short() {\n${body(78)}\n}`,
      `const arrow = () => {\n${body(80)}\n}`,
      `class Thing {\n  method() {\n${body(85)}\n  }\n}`,
      `const holder = { run: function () {\n${body(90)}\n} }`,
    ].join('\n')
    expect(longFunctions('planted.ts', source)).toEqual([
      'planted.ts:1 long (81 lines)',
      'planted.ts:162 arrow (82 lines)',
      'planted.ts:245 method (87 lines)',
      'planted.ts:333 run (92 lines)',
    ])
  })
})
