import { describe, expect, it } from 'vitest'
import { resolveEnv } from '../../src/lib/environment.js'
import { phaseEnv } from '../../src/lib/phase-env.js'
import { Workspace } from '../../src/lib/workspace.js'
import { testdir } from '../helpers.js'

describe('phaseEnv of phases without env of their own', () => {
  const base = { PATH: '/bin', API_TOKEN: 'tok-12345', PLAIN: 'x', UNSET: undefined }

  it('is the base environment resolved, secrets included, for each phase its own copy', async () => {
    const workspace = new Workspace(testdir())
    const first = await phaseEnv(workspace, base, { env: {} })
    const second = await phaseEnv(workspace, base, { env: {} })
    expect(first).toEqual(resolveEnv(base))
    expect(first.secrets).toEqual(['tok-12345'])
    first.vars.PLAIN = 'changed'
    first.secrets.push('leak')
    expect(second).toEqual(resolveEnv(base))
    expect((await phaseEnv(workspace, base, { env: {} })).vars.PLAIN).toBe('x')
  })

  it('adds what a phase sets to the base, and a new workspace sees a changed base', async () => {
    const root = testdir()
    const workspace = new Workspace(root)
    await phaseEnv(workspace, base, { env: {} })
    expect((await phaseEnv(workspace, base, { env: { EXTRA: 'y' } })).vars).toEqual({
      ...resolveEnv(base).vars,
      EXTRA: 'y',
    })
    const changed = { ...base, PLAIN: 'later' }
    expect((await phaseEnv(new Workspace(root), changed, { env: {} })).vars.PLAIN).toBe('later')
    expect((await phaseEnv(workspace, changed, { env: {} })).vars.PLAIN).toBe('later')
  })
})
