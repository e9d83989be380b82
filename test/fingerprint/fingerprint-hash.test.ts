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
})
