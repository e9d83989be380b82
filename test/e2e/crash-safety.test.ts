// Spawns `wf run` to SIGKILL it at fixed points of its output: crash safety with real kills.
// Kills at many measured instants run in the soak suite (test/soak/crash-safety.test.ts).
import { randomBytes } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sha256 } from '../../src/lib/files.js'
import { testdir } from '../helpers.js'
import {
  checkFiles,
  expectRecovered,
  intentJournals,
  type KillOutcome,
  type Ledger,
  readJson,
  reapTasks,
  type RunRecord,
  runPath,
  runSeqs,
  startRun,
  visiblyPassed,
  waitingDocsRepo,
  wf,
  wfDir,
} from './crash-kit.js'

/**
 * a → b, e → f. b waits until the file `go` exists (a minute at most, should a test stop half-way),
 * so a kill while b runs always finds a passed and the run unfinished; with `go` present the run
 * goes through. One phase starts the run, so its `▶` line comes after the run is recorded as started.
 */
const plan = `version: 1
phases:
  - id: a
    tasks: [{ run: "echo a > out-a.txt" }]
    gates: [{ files-exist: [out-a.txt] }]
  - id: b
    needs: [a]
    tasks: [{ run: "timeout 60 sh -c 'until [ -f go ]; do sleep 0.02; done'" }, { run: "echo b > out-b.txt" }]
  - id: e
    needs: [a]
    tasks: [{ run: "echo e > out-e.txt" }]
  - id: f
    needs: [b, e]
    tasks: [{ run: "echo f > out-f.txt" }]
    gates: [{ files-exist: [out-f.txt, out-a.txt] }, { command: "test -s out-b.txt" }]
`

describe('crash safety', () => {
  it('survives SIGKILL at fixed points of a run: the ledger stays valid, finished phases stay recorded, the next run recovers', {
    timeout: 120_000,
  }, async () => {
    const cwd = testdir({ 'phases/plan.yaml': plan, go: '' })
    const mark = randomBytes(6).toString('hex')
    const first = startRun(cwd, mark)
    expect(await first.closed, first.output().stderr).toBe(0)

    // Where the kill lands, whether b may go on, and how the killed run must be left (undefined: any way).
    const points: { at: string | 'start' | 'after exit'; go: boolean; outcome?: KillOutcome; passed?: string[] }[] = [
      // Before it got anywhere.
      { at: 'start', go: false },
      // It holds the lock and has recovered what the kill before left; its run is not on disk yet.
      { at: 'wf 4 phases', go: false },
      // The run is recorded as started.
      { at: '▶ a: forced', go: false, outcome: 'interrupted' },
      // a passed and b waits for `go`.
      { at: '$ timeout 60', go: false, outcome: 'interrupted', passed: ['a'] },
      // Every phase is recorded; the run is being closed.
      { at: '✔ f passed', go: true, passed: ['a', 'b', 'e', 'f'] },
      // The run's result is printed once its record is final.
      { at: '✔ run passed', go: true, outcome: 'finished', passed: ['a', 'b', 'e', 'f'] },
      { at: 'after exit', go: true, outcome: 'finished', passed: ['a', 'b', 'e', 'f'] },
    ]
    for (const point of points) {
      const label = `kill at ${point.at}`
      if (point.go) writeFileSync(join(cwd, 'go'), '')
      else rmSync(join(cwd, 'go'), { force: true })
      const before = readJson<Ledger>(join(wfDir(cwd), 'ledger.json'))
      const run = startRun(cwd, mark)
      const killed =
        point.at === 'after exit' ? await run.closed.then(() => run.killAfter(0)) : await run.killAt(point.at)
      await reapTasks(mark)
      // The next run must get through.
      writeFileSync(join(cwd, 'go'), '')
      const { outcome, visible } = await expectRecovered(cwd, before, killed, label)
      if (point.outcome) expect(outcome, label).toBe(point.outcome)
      for (const id of point.passed ?? []) expect(visible, label).toContain(id)
      if (point.at === '$ timeout 60') expect(visible, label).not.toContain('b')
    }
  })

  it('survives kills in a row, each run killed before it finished recovering or running', {
    timeout: 60_000,
  }, async () => {
    const cwd = testdir({ 'phases/plan.yaml': plan })
    const mark = randomBytes(6).toString('hex')
    // The first run is killed while b waits; the second once it has recorded the first as interrupted
    // and its own start; the third as soon as it holds the lock.
    for (const at of ['$ timeout 60', '▶ a: forced', 'wf 4 phases']) {
      await startRun(cwd, mark).killAt(at)
      await reapTasks(mark)
      checkFiles(cwd, `kill at ${at} in a row`)
    }
    writeFileSync(join(cwd, 'go'), '')
    const status = await wf(cwd, ['status', '--json'])
    expect(status.code, status.stderr).toBe(0)
    const next = await wf(cwd, ['run', '--lock-timeout', '0'])
    expect(next.code, next.stderr).toBe(0)
    const ledger = checkFiles(cwd, 'after the kills')!
    expect(ledger.active).toBeNull()
    const runs = runSeqs(cwd).map((s) => readJson<RunRecord>(runPath(cwd, s)))
    expect(runs.length).toBeGreaterThan(2)
    for (const run of runs) {
      expect(run.status, run.id).not.toBe('running')
      expect(run.hash, run.id).toBeTypeOf('string')
    }
    expect(runs.slice(0, 2).map((r) => r.status)).toEqual(['interrupted', 'interrupted'])
    expect(runs.at(-1)!.status).toBe('passed')
    const verify = await wf(cwd, ['ledger', 'verify'])
    expect(verify.code, verify.stderr).toBe(0)
  })

  it('a 200-phase chain verifies, and a SIGKILL deep in it loses no phase shown as passed', {
    timeout: 120_000,
  }, async () => {
    // ledger.json is rewritten only now and then during a run: the phases after its last rewrite
    // are durable in the run's journal, which readers and the next writer replay.
    const chain = ['version: 1', 'phases:']
    for (let i = 0; i < 200; i++)
      chain.push(`  - id: p${i}`, ...(i ? [`    needs: [p${i - 1}]`] : []), '    tasks: [{ run: "true" }]')
    const cwd = testdir({ 'phases/plan.yaml': `${chain.join('\n')}\n` })
    const mark = randomBytes(6).toString('hex')
    const first = startRun(cwd, mark)
    expect(await first.closed, first.output().stderr).toBe(0)
    expect(visiblyPassed(first.output().stdout).size).toBe(200)
    const verify = await wf(cwd, ['ledger', 'verify'])
    expect(verify.code, verify.stderr).toBe(0)
    expect(Object.keys(readJson<Ledger>(join(wfDir(cwd), 'ledger.json')).phases)).toHaveLength(200)

    const before = readJson<Ledger>(join(wfDir(cwd), 'ledger.json'))
    const killed = await startRun(cwd, mark).killAt('✔ p150 passed')
    await reapTasks(mark)
    const { outcome, visible } = await expectRecovered(cwd, before, killed, 'kill at p150 of 200')
    expect(outcome).toBe('interrupted')
    expect(visible.size).toBeGreaterThan(150)
  })

  it("a kill after a template task renamed its file and before its record: the next run knows the file as wf's and passes", {
    timeout: 60_000,
  }, async () => {
    // docs waits for `go` after its template task, so the kill lands between the rename and the phase's record.
    const cwd = waitingDocsRepo('revision 1\n')
    const mark = randomBytes(6).toString('hex')
    const doc = join(cwd, 'out/doc.md')
    const generated = () => readJson<{ generated?: Record<string, object> }>(join(wfDir(cwd), 'ledger.json')).generated
    const first = startRun(cwd, mark)
    expect(await first.closed, first.output().stderr).toBe(0)

    writeFileSync(join(cwd, 'templates/doc.njk'), 'revision 2\n')
    rmSync(join(cwd, 'go'))
    // One phase at a time: docs starts the run (its record is on disk) before its template task runs.
    const killed = await startRun(cwd, mark, ['--concurrency', '1']).killAt('updated   out/doc.md')
    await reapTasks(mark)
    const runId = readJson<Ledger>(join(wfDir(cwd), 'ledger.json')).active?.runId
    expect(runId, 'the killed run is recorded as started').toBeTypeOf('string')
    expect(readFileSync(doc, 'utf8'), killed.stdout).toBe('revision 2\n')
    expect(generated()?.['out/doc.md'], 'the ledger still holds what the run before wrote').toMatchObject({
      hash: sha256('revision 1\n'),
    })
    expect(intentJournals(cwd)).toEqual([`${runId}.jsonl`])

    // The next writer records the file as written by the killed run.
    const other = await wf(cwd, ['run-phase', 'other'])
    expect(other.code, other.stderr).toBe(0)
    expect(generated()?.['out/doc.md']).toMatchObject({ hash: sha256('revision 2\n'), runId, phase: 'docs' })
    expect(intentJournals(cwd)).toEqual([])

    // And the next run of docs rewrites it as its own, not as a hand edit.
    writeFileSync(join(cwd, 'templates/doc.njk'), 'revision 3\n')
    writeFileSync(join(cwd, 'go'), '')
    const next = await wf(cwd, ['run'])
    expect(next.code, next.stdout).toBe(0)
    expect(next.stdout).toContain('updated   out/doc.md')
    expect(readFileSync(doc, 'utf8')).toBe('revision 3\n')
    expect(generated()?.['out/doc.md']).toMatchObject({ hash: sha256('revision 3\n') })
    const verify = await wf(cwd, ['ledger', 'verify'])
    expect(verify.code, verify.stderr).toBe(0)
  })
})
