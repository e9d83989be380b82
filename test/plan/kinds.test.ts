import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GATE_KINDS, TASK_KINDS } from '../../src/plan/kinds.js'
import { repoRoot } from '../helpers.js'

describe('kind keys', () => {
  it('match the plan schema', () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'contracts', 'plan.schema.json'), 'utf8'))
    const keys = (union: string) =>
      schema.definitions[union].oneOf.map(
        (r: { $ref: string }) => schema.definitions[r.$ref.split('/').pop()!].required[0],
      )
    expect(keys('task')).toEqual([...TASK_KINDS])
    expect(keys('gate')).toEqual([...GATE_KINDS])
  })
})
