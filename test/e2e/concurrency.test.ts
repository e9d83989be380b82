// Spawns `wf run`s side by side (one ledger, one lock) and signals them: what needs real processes.
// Locks left by dead or foreign processes are tested in-process in test/ledger/lock.test.ts.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { hasStackTrace, repoRoot, spawnWf, testdir, type WfResult } from '../helpers.js'

interface RunRecord {
  seq: number
  id: string
  status: string
  startedAt: string
  endedAt?: string
  hash?: string
  prevHash: string | null
  pid: number
  phases: { id: string; status: string }[]
}
interface Ledger {
  active: unknown
  head: string | null
  phases: Record<string, { status: string; runId: string }>
}

const ajv = new Ajv()
const validateLedger = ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'contracts', 'ledger.schema.json'), 'utf8')))

// Plain output, and no NODE_ENV=test from vitest: with it oclif loads TypeScript to read tsconfig.json, doubling start-up time.
const quiet = { GITHUB_ACTIONS: undefined, NODE_ENV: undefined }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T
const ledgerOf = (cwd: string) => readJson<Ledger>(join(cwd, '.wf', 'ledger.json'))
const runNames = (cwd: string) =>
  readdirSync(join(cwd, '.wf', 'runs'))
    .filter((n) => /^\d{8}\.json$/.test(n))
    .sort()
const runsOf = (cwd: string) => runNames(cwd).map((n) => readJson<RunRecord>(join(cwd, '.wf', 'runs', n)))
const wfFiles = (cwd: string) => [
  ...readdirSync(join(cwd, '.wf')),
  ...readdirSync(join(cwd, '.wf', 'runs')).map((n) => `runs/${n}`),
]
/** Runs wf in this process, for what reads the ledger around the spawned runs. */
const wf = (cwd: string, args: string[]): Promise<WfResult> => runCli(args, { cwd, env: quiet })

/** Starts the built CLI and hands back its pid with the result, so tests can signal it. */
function startWf(cwd: string, args: string[]) {
  const { child, done } = spawnWf(args, { cwd, env: quiet, detached: true })
  return { pid: child.pid!, done }
}

/** True once a process no longer exists (a zombie, dead but not yet reaped by its new parent, counts as gone). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return true
  }
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

/** Phases that take about a second in all, two of them side by side. */
const plan = `version: 1
phases:
  - id: prepare
    tasks: [{ run: sleep 0.3 }, { run: "echo x > prepared.txt" }]
  - id: build
    needs: [prepare]
    tasks: [{ run: sleep 0.4 }]
  - id: lint
    needs: [prepare]
    tasks: [{ run: sleep 0.2 }]
    gates: [{ files-exist: [prepared.txt] }]
  - id: test
    needs: [build, lint]
    tasks: [{ run: sleep 0.3 }]
`

/** The ledger is valid, unlocked, without temp files, and its hash chain verifies. */
async function expectSound(cwd: string): Promise<void> {
  const ledger = ledgerOf(cwd)
  expect(validateLedger(ledger), ajv.errorsText(validateLedger.errors)).toBe(true)
  expect(ledger.active).toBeNull()
  expect(wfFiles(cwd).filter((n) => n === 'lock' || n.endsWith('.tmp') || n.includes('stale'))).toEqual([])
  const verify = await wf(cwd, ['ledger', 'verify'])
  expect(verify.code, verify.stderr).toBe(0)
}

describe('concurrent runs', () => {
  it('lets one of four simultaneous runs have the ledger; the others exit 3 naming the holder', {
    timeout: 60_000,
  }, async () => {
    const cwd = testdir({ 'phases/plan.yaml': plan })
    const args = ['run', '--force', '--lock-timeout', '0']
    const procs = Array.from({ length: 4 }, () => startWf(cwd, args))
    const results = await Promise.all(procs.map((p) => p.done))
    const codes = results.map((r) => r.code)
    for (const result of results) expect([0, 3], result.stderr).toContain(result.code)
    const ran = procs.filter((_, i) => codes[i] === 0).map((p) => p.pid)
    expect(ran.length).toBeGreaterThanOrEqual(1)
    for (const [i, result] of results.entries()) {
      if (result.code !== 3) continue
      const holder = result.stderr.match(
        /locked by `wf run --force --lock-timeout 0` \(pid (\d+) on (\S+), since [^)]+\)/,
      )
      expect(holder, result.stderr).not.toBeNull()
      expect(ran, 'the holder is one of the runs that ran').toContain(Number(holder![1]))
      expect(Number(holder![1])).not.toBe(procs[i]!.pid)
      expect(holder![2]).toBe(hostname())
      expect(result.stderr).toMatch(/WF_LEDGER_BUSY/)
      expect(result.stderr).toMatch(/--lock-timeout/)
      expect(hasStackTrace(result.stderr)).toBe(false)
      expect(result.stdout).not.toMatch(/▶/)
    }
    const runs = runsOf(cwd)
    expect(runs).toHaveLength(ran.length)
    expect(runs.map((r) => r.pid).sort()).toEqual([...ran].sort())
    expect(runs.every((r) => r.status === 'passed')).toBe(true)
    await expectSound(cwd)
  })

  it('runs all four one after another with --lock-timeout 30', { timeout: 90_000 }, async () => {
    // One phase that holds the ledger for half a second: long enough that the runs started together wait.
    const cwd = testdir({ 'phases/plan.yaml': 'version: 1\nphases:\n  - id: hold\n    tasks: [{ run: sleep 0.5 }]\n' })
    const procs = Array.from({ length: 4 }, () => startWf(cwd, ['run', '--force', '--lock-timeout', '30']))
    const results = await Promise.all(procs.map((p) => p.done))
    for (const result of results) expect(result.code, result.stderr).toBe(0)
    const runs = runsOf(cwd)
    expect(runs.map((r) => r.seq)).toEqual([1, 2, 3, 4])
    expect(runs.map((r) => r.pid).sort()).toEqual(procs.map((p) => p.pid).sort())
    for (const run of runs) expect(run).toMatchObject({ status: 'passed' })
    const intervals = runs
      .map((r) => [Date.parse(r.startedAt), Date.parse(r.endedAt!)] as const)
      .sort((a, b) => a[0] - b[0])
    for (let i = 1; i < intervals.length; i++)
      expect(intervals[i]![0], `run ${i + 1} started after run ${i} ended`).toBeGreaterThanOrEqual(intervals[i - 1]![1])
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.prevHash).toBe(runs[i - 1]!.hash)
    expect(ledgerOf(cwd).head).toBe(runs.at(-1)!.hash)
    await expectSound(cwd)
  })
})

describe('signals', () => {
  const longPlan = `version: 1
phases:
  - id: quick
    tasks: [{ run: "true" }]
  - id: long
    needs: [quick]
    tasks:
      - run: "sh -c 'sleep 30 & echo $! >> pids.txt; sleep 30 & echo $! >> pids.txt; echo $$ >> pids.txt; wait'"
  - id: after
    needs: [long]
    tasks: [{ run: "touch after.txt" }]
`

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s stops a task and its children, records it as cancelled and exits 130',
    { timeout: 30_000 },
    async (signal) => {
      const cwd = testdir({ 'phases/plan.yaml': longPlan })
      const wfProc = startWf(cwd, ['run', '--reporter', 'plain'])
      let pids: number[] = []
      try {
        pids = await waitFor('the task to record its pids', 15_000, () => {
          const lines = existsSync(join(cwd, 'pids.txt'))
            ? readFileSync(join(cwd, 'pids.txt'), 'utf8').split('\n').filter(Boolean)
            : []
          return lines.length === 3 && lines.map(Number)
        })
        for (const pid of pids) expect(isGone(pid), `task process ${pid} is running`).toBe(false)
        const status = await wf(cwd, ['status', '--json'])
        expect(JSON.parse(status.stdout).active).toMatchObject({ pid: wfProc.pid, state: 'running' })
        const verify = await wf(cwd, ['ledger', 'verify'])
        expect(verify.code, `verify during a run: ${verify.stderr}`).toBe(0)
        process.kill(wfProc.pid, signal)
        const result = await wfProc.done
        expect(result.code, result.stderr).toBe(130)
        expect(hasStackTrace(result.stderr)).toBe(false)
        await waitFor('the task processes to be gone', 15_000, () => pids.every(isGone)).catch(() => {})
        expect(
          pids.filter((pid) => !isGone(pid)),
          'task processes alive after wf exited',
        ).toEqual([])

        const ledger = ledgerOf(cwd)
        expect(ledger.phases.long).toMatchObject({ status: 'cancelled' })
        expect(ledger.phases.quick).toMatchObject({ status: 'passed', runId: ledger.phases.long!.runId })
        expect(ledger.phases.after?.status).not.toBe('passed')
        expect(existsSync(join(cwd, 'after.txt'))).toBe(false)
        const runs = runsOf(cwd)
        expect(runs).toHaveLength(1)
        expect(runs[0]).toMatchObject({ status: 'cancelled', pid: wfProc.pid })
        expect(runs[0]!.id).toBe(ledger.phases.long!.runId)
        expect(Object.fromEntries(runs[0]!.phases.map((p) => [p.id, p.status]))).toMatchObject({
          quick: 'passed',
          long: 'cancelled',
        })
        await expectSound(cwd)
      } finally {
        for (const pid of pids) {
          try {
            process.kill(pid, 'SIGKILL')
          } catch {}
        }
        try {
          process.kill(-wfProc.pid, 'SIGKILL')
        } catch {}
      }
    },
  )
})
