import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { git, gitRepo, runWf } from '../helpers.js'

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

describe('a gate that compares against a git ref', () => {
  it('runs again when the ref moves, and wf explain says so', async () => {
    const cwd = gitRepo({ 'contracts/order.json': schema(), 'phases/p.yaml': plan, '.gitignore': '.wf/\n' })
    git(cwd, 'checkout', '-q', '-b', 'feature')
    expect((await runWf(['run'], { cwd })).code).toBe(0)
    const again = await runWf(['run', '--reporter', 'plain'], { cwd })
    expect(again.stdout).toContain('compat up to date')
    // main moves on: a new property lands there.
    git(cwd, 'checkout', '-q', 'main')
    writeFileSync(join(cwd, 'contracts/order.json'), schema('note'))
    git(cwd, 'commit', '-qam', 'add note')
    git(cwd, 'checkout', '-q', 'feature')
    const explain = await runWf(['explain', 'compat'], { cwd })
    expect(explain.stdout).toContain('git ref `main` moved')
    const rerun = await runWf(['run', '--reporter', 'plain'], { cwd })
    expect(rerun.stdout).not.toContain('compat up to date')
    // Compared with the new main, this branch now removes the property: breaking for consumers.
    expect(rerun.code).toBe(1)
    expect(rerun.stdout).toMatch(/breaking/)
  })
})
