import { createHash } from 'node:crypto'
import stringify from 'safe-stable-stringify'
import { describe, expect, it } from 'vitest'
import { readPlan } from '../../src/app/read-plan.js'
import { fingerprintPhase } from '../../src/fingerprint/fingerprint.js'
import { resolveEnv } from '../../src/lib/environment.js'
import { Workspace } from '../../src/lib/workspace.js'
import { testdir } from '../helpers.js'

const reference = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32)

describe('fingerprintPhase hashes', () => {
  it('are the first 32 hex digits of the sha256 of the stable JSON of what they cover', async () => {
    const cwd = testdir({
      'src/a.ts': 'export const a = 1\n',
      'src/b.ts': 'export const b = 2\n',
      'phases/plan.yaml':
        'version: 1\nvars: { org: acme }\nphases:\n  - id: p\n    inputs: ["src/**"]\n    env: { MODE: fast }\n    tasks: [{ run: "true" }]\n',
    })
    const [phase] = (await readPlan({ cwd })).phases
    const workspace = new Workspace(cwd)
    const env = resolveEnv({}, phase!.env)
    const { hash, inputs } = await fingerprintPhase(phase!, { workspace, wf: '1.0.0', env, needs: {} })
    expect(hash).toBe(reference(stringify(inputs)!))
    expect(inputs.vars).toBe(reference(stringify({ org: 'acme' })!))
    expect(inputs.env).toBe(reference(stringify({ MODE: reference('fast') })!))
    expect(inputs.files).toEqual({
      'src/a.ts': createHash('sha256').update('export const a = 1\n').digest('hex').slice(0, 32),
      'src/b.ts': createHash('sha256').update('export const b = 2\n').digest('hex').slice(0, 32),
    })
  })

  it('are the same digest for names that need escaping or sort by code unit, and for env values and needs', async () => {
    const names = [
      'src/Zed.ts',
      'src/a"quoted".ts',
      'src/back\\slash.ts',
      'src/é.ts',
      'src/😀.ts',
      'src/tab\there.ts',
      'src/ä.ts',
    ]
    const cwd = testdir({
      ...Object.fromEntries(names.map((name, i) => [name, `export const n = ${i}\n`])),
      'phases/plan.yaml':
        'version: 1\nphases:\n  - id: p\n    needs: [q]\n    inputs: ["src/**"]\n    env: { B: "2", A: "\\"1\\"" }\n    tasks: [{ run: "true" }]\n  - id: q\n    tasks: [{ run: "true" }]\n',
    })
    const phase = (await readPlan({ cwd })).phases.find((p) => p.id === 'p')!
    const env = resolveEnv({}, phase.env)
    const context = { workspace: new Workspace(cwd), wf: '1.0.0', env, needs: { q: 'f'.repeat(32) } }
    const { hash, inputs } = await fingerprintPhase(phase, context)
    expect(Object.keys(inputs.files).sort()).toEqual([...names].sort())
    expect(hash).toBe(reference(stringify(inputs)!))
    expect(inputs.env).toBe(reference(stringify({ A: reference('"1"'), B: reference('2') })!))
  })
})
