// Soak (npm run test:soak): SIGKILLs spawned `wf run`s at many instants picked from measured
// timings. The main suite kills at fixed points of the output (test/e2e/crash-safety.test.ts).
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { testdir } from '../helpers.js'
import {
  checkFiles,
  expectRecovered,
  type KillOutcome,
  type Ledger,
  readJson,
  reapTasks,
  type RunRecord,
  runPath,
  runSeqs,
  startRun,
  visiblyPassed,
  wf,
  wfDir,
} from '../e2e/crash-kit.js'

/** Six phases: a chain a → b/c → d → f with e alongside; short tasks, some writing files, and gates. */
const plan = `version: 1
phases:
  - id: a
    tasks: [{ run: sleep 0.1 }, { run: "echo a > out-a.txt" }]
    gates: [{ files-exist: [out-a.txt] }]
  - id: b
    needs: [a]
    tasks: [{ run: sleep 0.2 }, { run: "echo b > out-b.txt" }]
  - id: c
    needs: [a]
    tasks: [{ run: sleep 0.05 }]
    gates: [{ command: "true" }]
  - id: d
    needs: [b, c]
    tasks: [{ run: sleep 0.3 }]
  - id: e
    tasks: [{ run: sleep 0.15 }, { run: "echo e > out-e.txt" }]
  - id: f
    needs: [d, e]
    tasks: [{ run: "echo f > out-f.txt" }]
    gates: [{ files-exist: [out-f.txt, out-a.txt] }, { command: "test -s out-b.txt" }]
`

describe('crash safety under SIGKILL at measured instants', () => {
  it('survives SIGKILL at 24 moments of a run: the ledger stays valid, finished phases stay recorded, the next run recovers', {
    timeout: 300_000,
  }, async () => {
    const cwd = testdir({ 'phases/plan.yaml': plan })
    const mark = randomBytes(6).toString('hex')

    // How long wf takes to start and to run, in the faster of two normal runs (the first one is cold).
    let startup = Infinity
    let duration = Infinity
    for (let i = 0; i < 2; i++) {
      const started = performance.now()
      const normal = startRun(cwd, mark)
      normal.child.stdout.once('data', () => (startup = Math.min(startup, performance.now() - started)))
      expect(await normal.closed, normal.output().stderr).toBe(0)
      duration = Math.min(duration, performance.now() - started)
      expect(visiblyPassed(normal.output().stdout)).toEqual(new Set(['a', 'b', 'c', 'd', 'e', 'f']))
    }

    // 4 kills while wf starts, 19 spread over the run and just past its end, and one after it exited by itself.
    const spread = (from: number, to: number, n: number) =>
      Array.from({ length: n }, (_, i) => Math.round(from + ((to - from) * i) / (n - 1)))
    const delays: (number | 'after exit')[] = [
      ...spread(5, startup * 0.9, 4),
      ...spread(startup, duration * 1.15, 19),
      'after exit',
    ]
    const seen: Record<KillOutcome | 'withPhases', number> = {
      interrupted: 0,
      finished: 0,
      withPhases: 0,
      notStarted: 0,
    }
    for (const delay of delays) {
      const label = `kill at ${delay}${delay === 'after exit' ? '' : 'ms'} (wf starts in ${Math.round(startup)}ms, a run takes ${Math.round(duration)}ms)`
      const before = readJson<Ledger>(join(wfDir(cwd), 'ledger.json'))
      const run = startRun(cwd, mark)
      const killed = await run.killAfter(delay === 'after exit' ? await run.closed.then(() => 0) : delay)
      await reapTasks(mark)
      const { outcome, visible } = await expectRecovered(cwd, before, killed, label)
      seen[outcome]++
      if (visible.size > 0) seen.withPhases++
    }
    // The delays covered the whole run: kills before it started, while it ran and after it ended.
    const coverage = JSON.stringify({ ...seen, startup: Math.round(startup), duration: Math.round(duration), delays })
    expect(seen.notStarted, coverage).toBeGreaterThan(0)
    expect(seen.interrupted, coverage).toBeGreaterThanOrEqual(5)
    expect(seen.withPhases, coverage).toBeGreaterThanOrEqual(3)
    expect(seen.finished, coverage).toBeGreaterThan(0)
  })

  it('survives kills in a row, each run killed while it may still be recovering the one before', {
    timeout: 120_000,
  }, async () => {
    const cwd = testdir({ 'phases/plan.yaml': plan })
    const mark = randomBytes(6).toString('hex')
    const started = performance.now()
    const normal = startRun(cwd, mark)
    let startup = 0
    normal.child.stdout.once('data', () => (startup = performance.now() - started))
    expect(await normal.closed).toBe(0)
    const duration = performance.now() - started
    // Around the moment the run opens the ledger (and records the killed run before it), then later.
    for (const delay of [0.6, 0.8, 0.9, 1, 1.1, 1.3, 1.6]
      .map((f) => Math.round(startup * f))
      .concat(Math.round(duration * 0.7))) {
      await startRun(cwd, mark).killAfter(delay)
      await reapTasks(mark)
      checkFiles(cwd, `kill at ${delay}ms in a row`)
    }
    const status = await wf(cwd, ['status', '--json'])
    expect(status.code, status.stderr).toBe(0)
    const next = await wf(cwd, ['run', '--lock-timeout', '0'])
    expect([0, 1], next.stderr).toContain(next.code)
    const ledger = checkFiles(cwd, 'after the kills')!
    expect(ledger.active).toBeNull()
    const runs = runSeqs(cwd).map((s) => readJson<RunRecord>(runPath(cwd, s)))
    expect(runs.length).toBeGreaterThan(2)
    for (const run of runs) {
      expect(run.status, run.id).not.toBe('running')
      expect(run.hash, run.id).toBeTypeOf('string')
    }
    expect(runs.filter((r) => r.status === 'interrupted').length).toBeGreaterThan(0)
    const verify = await wf(cwd, ['ledger', 'verify'])
    expect(verify.code, verify.stderr).toBe(0)
  })
})
