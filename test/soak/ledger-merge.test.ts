// Soak (npm run test:soak): SIGKILLs a spawned `wf ledger merge` at many moments. The main suite
// proves the same recovery from the states such kills leave (test/ledger/merge/merge-ledger.test.ts).
import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runWf, spawnWf, testdir } from '../helpers.js'
import { base, copies, ok, statuses, wf } from '../ledger/merge/ci-jobs.js'

describe('wf ledger merge under SIGKILL', () => {
  it('survives SIGKILL at any moment of a merge: the target verifies, or says a committed merge waits, and the next merge completes it', {
    timeout: 120_000,
  }, async () => {
    const [jobA, jobB, target] = copies(base(), 'a', 'b', 'target')
    await ok(jobA!, 'run-phase', 'a', '--reporter', 'plain')
    await ok(jobB!, 'run-phase', 'b', '--reporter', 'plain')
    await ok(target!, 'run-phase', 'a', '--force', '--reporter', 'plain')
    const pristine = join(testdir({}, { git: false }), 'wf')
    cpSync(join(target!, '.wf'), pristine, { recursive: true })
    // How long a spawned merge takes, to spread the kills over it.
    const started = performance.now()
    const timed = await runWf(['ledger', 'merge', jobA!, jobB!], { cwd: target! })
    expect(timed.code, timed.stderr).toBe(0)
    const duration = performance.now() - started
    const wanted = await statuses(target!)
    for (let i = 0; i < 12; i++) {
      const delay = Math.round((duration * (i + 1)) / 12)
      rmSync(join(target!, '.wf'), { recursive: true, force: true })
      cpSync(pristine, join(target!, '.wf'), { recursive: true })
      const merging = spawnWf(['ledger', 'merge', jobA!, jobB!], { cwd: target! })
      await new Promise((resolve) => setTimeout(resolve, delay))
      merging.child.kill('SIGKILL')
      await merging.done
      const verify = await wf(target!, 'ledger', 'verify')
      const said = verify.stdout + verify.stderr
      if (verify.code !== 0) expect(said, `killed at ${delay}ms`).toContain('was interrupted after it committed')
      await ok(target!, 'ledger', 'merge', jobA!, jobB!)
      await ok(target!, 'ledger', 'verify')
      expect(await statuses(target!), `killed at ${delay}ms`).toEqual(wanted)
    }
  })
})
