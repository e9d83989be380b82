import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { contractsPlan as plan, fixtureTree } from '../contract-fixtures.js'
import { testdir } from '../helpers.js'

describe('contracts tasks', () => {
  it('runs as a plan task with wf run, recording the files in the ledger', async () => {
    const cwd = testdir({ ...fixtureTree(), 'phases/plan.yaml': plan() })
    const result = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(existsSync(join(cwd, 'src/generated/index.ts'))).toBe(true)
    const ledger = JSON.parse(readFileSync(join(cwd, '.wf/ledger.json'), 'utf8'))
    expect(ledger.generated['src/generated/OrderIntent-v1_2.ts'].source).toBe('contracts/OrderIntent@1.2.json')
    // What the ledger holds as each phase's latest state is exactly what the run recorded.
    const verify = await runCli(['ledger', 'verify'], { cwd })
    expect(verify.code, verify.stdout + verify.stderr).toBe(0)
  })
})
