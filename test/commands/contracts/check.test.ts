import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../cli-in-process.js'
import { contractsPlan, fixtureTree } from '../../contract-fixtures.js'
import { testdir } from '../../helpers.js'

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
    expect((await runCli(['contracts', 'generate'], { cwd })).code).toBe(0)
    expect((await runCli(['contracts', 'check'], { cwd })).code).toBe(0)
    rmSync(join(cwd, 'contracts/refund.json'))
    writeFileSync(join(cwd, 'src/generated/helpers.ts'), 'export const helper = 1\n')
    expect((await runCli(['contracts', 'generate'], { cwd })).code).toBe(0)
    const check = await runCli(['contracts', 'check', '--json'], { cwd })
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

describe('wf contracts check', () => {
  it('passes when output is current and examples validate; fails on stale output and bad examples, naming file and pointer', async () => {
    const cwd = testdir({ ...fixtureTree(), 'phases/plan.yaml': contractsPlan() })
    expect((await runCli(['contracts', 'generate'], { cwd })).code).toBe(0)
    const ok = await runCli(['contracts', 'check'], { cwd })
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(/✔ contracts → src\/generated: 11 schemas, 16 generated files, \d+ examples/)

    // Stale: a schema changed after generation.
    writeFileSync(
      join(cwd, 'contracts/order-status.json'),
      readFileSync(join(cwd, 'contracts/order-status.json'), 'utf8').replace('"cancelled"', '"cancelled", "refunded"'),
    )
    const stale = await runCli(['contracts', 'check'], { cwd })
    expect(stale.code).toBe(1)
    expect(stale.stderr).toMatch(/src\/generated\/order-status\.ts:\d+:1 src\/generated\/order-status\.ts is stale/)
    expect((await runCli(['contracts', 'generate'], { cwd })).code).toBe(0)

    // A failing example file, an `examples` entry and an accepted counter-example.
    writeFileSync(
      join(cwd, 'contracts/customer.example.json'),
      '{\n  "id": "c-001",\n  "email": "ann@example.com",\n  "tier": "platinum"\n}\n',
    )
    writeFileSync(join(cwd, 'contracts/category.counter-example.json'), '{ "slug": "fine" }\n')
    writeFileSync(
      join(cwd, 'contracts/common/money.json'),
      readFileSync(join(cwd, 'contracts/common/money.json'), 'utf8').replace('"amount": 1299', '"amount": 12.99'),
    )
    expect((await runCli(['contracts', 'generate'], { cwd })).code).toBe(0)
    const bad = await runCli(['contracts', 'check', '--json'], { cwd })
    expect(bad.code).toBe(1)
    const report = JSON.parse(bad.stdout)
    expect(report.ok).toBe(false)
    const problems = report.targets[0].problems
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'example',
          file: 'contracts/customer.example.json',
          line: 4,
          message: expect.stringContaining('/tier must be equal to one of the allowed values: "standard", "gold"'),
        }),
        expect.objectContaining({ kind: 'counter-example', file: 'contracts/category.counter-example.json' }),
        expect.objectContaining({
          kind: 'example',
          file: 'contracts/common/money.json',
          message: expect.stringContaining('example /examples/0 does not match its schema: must be integer'),
        }),
      ]),
    )
    expect(problems.find((p: { file: string }) => p.file === 'contracts/common/money.json').line).toBe(15)
  })
})
