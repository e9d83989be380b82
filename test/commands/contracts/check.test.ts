import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runWf, testdir } from '../../helpers.js'

const schema = (title: string) =>
  `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', title, type: 'object', properties: { id: { type: 'string' } } }, null, 2)}\n`
const plan =
  'version: 1\nphases:\n  - id: types\n    tasks:\n      - contracts: contracts\n        out: src/generated\n'

describe('wf contracts check and removed schemas', () => {
  it('reports generated files that no schema produces any more, and leaves other files alone', async () => {
    const cwd = testdir({
      'contracts/order.json': schema('Order'),
      'contracts/refund.json': schema('Refund'),
      'phases/plan.yaml': plan,
    })
    expect((await runWf(['contracts', 'generate'], { cwd })).code).toBe(0)
    expect((await runWf(['contracts', 'check'], { cwd })).code).toBe(0)
    rmSync(join(cwd, 'contracts/refund.json'))
    writeFileSync(join(cwd, 'src/generated/helpers.ts'), 'export const helper = 1\n')
    expect((await runWf(['contracts', 'generate'], { cwd })).code).toBe(0)
    const check = await runWf(['contracts', 'check', '--json'], { cwd })
    expect(check.code).toBe(1)
    const problems = JSON.parse(check.stdout).targets[0].problems
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'orphan-output',
        file: 'src/generated/refund.ts',
        message: expect.stringContaining('generated from contracts/refund.json, which no longer produces it'),
      }),
    ])
  })
})
