import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { git, gitRepo } from '../helpers.js'

const schema = (extra = '') =>
  `${JSON.stringify(
    {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { id: { type: 'string' }, ...(extra ? { [extra]: { type: 'string' } } : {}) },
    },
    null,
    2,
  )}\n`
const plan =
  'version: 1\nphases:\n  - id: compat\n    gates:\n      - contracts-compatible: { schemas: contracts, against: main }\n'

describe('the contracts-compatible gate', () => {
  it('runs again when the ref moves, and wf explain says so', async () => {
    const cwd = gitRepo({ 'contracts/order.json': schema(), 'phases/p.yaml': plan, '.gitignore': '.wf/\n' })
    git(cwd, 'checkout', '-q', '-b', 'feature')
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    const again = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(again.stdout).toContain('compat up to date')
    // main moves on: a new property lands there.
    git(cwd, 'checkout', '-q', 'main')
    writeFileSync(join(cwd, 'contracts/order.json'), schema('note'))
    git(cwd, 'commit', '-qam', 'add note')
    git(cwd, 'checkout', '-q', 'feature')
    const explain = await runCli(['explain', 'compat'], { cwd })
    expect(explain.stdout).toContain('git ref `main` moved')
    const rerun = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(rerun.stdout).not.toContain('compat up to date')
    // Compared with the new main, this branch now removes the property: breaking for consumers.
    expect(rerun.code).toBe(1)
    expect(rerun.stdout).toMatch(/breaking/)
  })

  const objectSchema = (properties: object, extra: object = {}) =>
    `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties, ...extra }, null, 2)}\n`
  it('fails the contracts-compatible gate with one location per breaking change', async () => {
    const gatePlan =
      'version: 1\nphases:\n  - id: compat\n    gates:\n      - contracts-compatible: { schemas: contracts }\n'
    const cwd = gitRepo({
      'phases/plan.yaml': gatePlan,
      'contracts/user.json': objectSchema({ id: { type: 'string' }, age: { type: 'integer' } }),
    })
    const passed = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(passed.code, passed.stdout + passed.stderr).toBe(0)
    writeFileSync(
      join(cwd, 'contracts/user.json'),
      objectSchema({ id: { type: 'string' }, age: { type: 'string' } }, { required: ['id'] }),
    )
    const failed = await runCli(['run', '--json'], { cwd })
    expect(failed.code).toBe(1)
    const gate = JSON.parse(failed.stdout).phases[0].gates.find(
      (g: { kind: string }) => g.kind === 'contracts-compatible',
    )
    expect(gate.status).toBe('failed')
    expect(gate.locations).toEqual([
      expect.objectContaining({
        file: 'contracts/user.json',
        line: expect.any(Number),
        message: expect.stringMatching(/^type-changed .* at \/properties\/age\/type/),
      }),
      expect.objectContaining({
        file: 'contracts/user.json',
        line: expect.any(Number),
        message: expect.stringMatching(/^required-added .* at \/required\/0/),
      }),
    ])
  })
})
