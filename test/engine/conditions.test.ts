import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { evaluateCondition } from '../../src/engine/conditions.js'
import type { Condition } from '../../src/plan/plan.generated.js'
import { resolveEnv } from '../../src/lib/environment.js'
import { Workspace } from '../../src/lib/workspace.js'
import { testdir } from '../helpers.js'

const cwd = testdir()
const workspace = new Workspace(cwd)
afterAll(() => workspace.close())
const env = resolveEnv({ PATH: process.env.PATH, SET: 'yes' })
const marker = join(cwd, 'ran')
const run = { run: `touch ${marker}` }

describe('evaluateCondition on a read-only path', () => {
  // [condition, value]: undefined when only the command could tell.
  const cases: [string, Condition, boolean | undefined][] = [
    ['run', run, undefined],
    ['not run', { not: run }, undefined],
    ['all: a false part settles it', { all: [run, { env: 'UNSET' }] }, false],
    ['all: true parts and a command', { all: [{ env: 'SET' }, run] }, undefined],
    ['any: a true part settles it', { any: [run, { env: 'SET' }] }, true],
    ['any: false parts and a command', { any: [{ env: 'UNSET' }, run] }, undefined],
    ['no command at all', { all: [{ env: 'SET' }, { not: { env: 'UNSET' } }] }, true],
  ]
  it.each(cases)('%s', async (_name, condition, value) => {
    const result = await evaluateCondition(condition, { workspace, env, readOnly: 'not evaluated in a dry run' })
    expect(result.value).toBe(value)
    if (value === undefined) expect(result.reason).toBe(`\`touch ${marker}\` not evaluated in a dry run`)
    expect(existsSync(marker)).toBe(false)
  })

  it('runs the command when the path may run code', async () => {
    expect((await evaluateCondition({ not: run }, { workspace, env })).value).toBe(false)
    expect(existsSync(marker)).toBe(true)
  })
})
