import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname, join } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { hasStackTrace, repoRoot, runWf, spawnWf, testdir, type WfResult } from '../helpers.js'

interface PhaseRecord {
  id: string
  status: string
  runId: string
}
interface ActiveRun {
  runId: string
  seq: number
  pid: number
}
interface Ledger {
  lastSeq: number
  head: string | null
  active: ActiveRun | null
  phases: Record<string, PhaseRecord>
  recent: { id: string; seq: number }[]
}
interface RunRecord {
  seq: number
  id: string
  status: string
  hash?: string
  prevHash: string | null
  phases: PhaseRecord[]
}

const ajv = new Ajv({ allErrors: true })
ajv.addSchema(JSON.parse(readFileSync(join(repoRoot, 'contracts', 'ledger.schema.json'), 'utf8')))
const validateLedger = ajv.getSchema('https://wf.dev/schemas/ledger.schema.json')!
const validateRun = ajv.getSchema('https://wf.dev/schemas/ledger.schema.json#/definitions/runRecord')!

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

// Plain output, and no NODE_ENV=test from vitest: with it oclif loads TypeScript to read tsconfig.json, doubling start-up time.
const quiet = { GITHUB_ACTIONS: undefined, NODE_ENV: undefined }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const wfDir = (cwd: string) => join(cwd, '.wf')
const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T
const runPath = (cwd: string, seq: number) => join(wfDir(cwd), 'runs', `${String(seq).padStart(8, '0')}.json`)
const runSeqs = (cwd: string) =>
  readdirSync(join(wfDir(cwd), 'runs'))
    .filter((n) => /^\d{8}\.json$/.test(n))
    .map((n) => Number.parseInt(n, 10))
    .sort((a, b) => a - b)
const wf = (cwd: string, args: string[]): Promise<WfResult> => runWf(args, { cwd, env: quiet })

/** Pids of the processes whose environment carries `mark` (wf passes its environment to tasks). */
function markedPids(mark: string): number[] {
  if (!existsSync('/proc')) return []
  const pids: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(`WF_CRASH_MARK=${mark}`))
        pids.push(Number(name))
    } catch {}
  }
  return pids
}

/** Kills what is left of a killed wf's tasks: they run in process groups of their own, which SIGKILL of wf's group does not reach. */
async function reapTasks(mark: string): Promise<void> {
  if (!existsSync('/proc')) return void (await sleep(400))
  for (let i = 0; i < 100; i++) {
    const pids = markedPids(mark)
    if (pids.length === 0) return
    for (const pid of pids) {
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {}
      try {
        process.kill(pid, 'SIGKILL')
      } catch {}
    }
    await sleep(20)
  }
  throw new Error(`tasks of the killed wf survive: ${markedPids(mark).join(', ')}`)
}

/** Starts `wf run --force` in its own process group; `kill` SIGKILLs the group after `delayMs` and resolves with what it printed. */
function startRun(cwd: string, mark: string) {
  const { child, done, output } = spawnWf(['run', '--force', '--reporter', 'plain'], {
    cwd,
    env: { ...quiet, WF_CRASH_MARK: mark },
    detached: true,
  })
  const closed = done.then((result) => result.code)
  return {
    child,
    closed,
    output,
    async killAfter(delayMs: number) {
      await sleep(delayMs)
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {}
      const code = await closed
      return { code, ...output() }
    },
  }
}

/** Phase ids whose `✔ ID passed` line was printed (wf prints it only after the result is on disk). */
const visiblyPassed = (stdout: string) =>
  new Set([...stdout.matchAll(/^\S+ ✔ ([a-z0-9_-]+) passed \(/gm)].map((m) => m[1]!))

/** Asserts the ledger and run records on disk are well-formed; returns the ledger, or undefined when none was written. */
function checkFiles(cwd: string, label: string): Ledger | undefined {
  const names = readdirSync(wfDir(cwd)).filter((n) => !n.endsWith('.tmp'))
  for (const name of names)
    expect(
      ['ledger.json', 'hashes.json', 'lock', 'runs', 'cache'],
      `${label}: .wf/${name} (a kill never makes the ledger corrupt)`,
    ).toContain(name)
  // Caches are written whole (temp file, rename) or not at all.
  if (names.includes('cache')) {
    for (const area of readdirSync(join(wfDir(cwd), 'cache'))) {
      for (const name of readdirSync(join(wfDir(cwd), 'cache', area)).filter((n) => !n.endsWith('.tmp'))) {
        expect(
          () => JSON.parse(readFileSync(join(wfDir(cwd), 'cache', area, name), 'utf8')),
          `${label}: .wf/cache/${area}/${name}`,
        ).not.toThrow()
      }
    }
  }
  for (const name of readdirSync(join(wfDir(cwd), 'runs'))) {
    if (name.endsWith('.tmp')) continue
    expect(name, `${label}: only run records and temp files in .wf/runs`).toMatch(/^\d{8}\.json$/)
    const run = readJson<unknown>(join(wfDir(cwd), 'runs', name))
    expect(validateRun(run), `${label}: runs/${name} ${ajv.errorsText(validateRun.errors)}`).toBe(true)
  }
  if (!existsSync(join(wfDir(cwd), 'ledger.json'))) return undefined
  const ledger = readJson<Ledger>(join(wfDir(cwd), 'ledger.json'))
  expect(validateLedger(ledger), `${label}: ledger.json ${ajv.errorsText(validateLedger.errors)}`).toBe(true)
  return ledger
}

const tempFiles = (cwd: string) =>
  [...readdirSync(wfDir(cwd)), ...readdirSync(join(wfDir(cwd), 'runs')).map((n) => `runs/${n}`)].filter((n) =>
    n.endsWith('.tmp'),
  )

describe('crash safety', () => {
  it('survives SIGKILL at 24 moments of a run: the ledger stays valid, finished phases stay recorded, the next run recovers', {
    timeout: 120_000,
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
    const seen = { interrupted: 0, finished: 0, withPhases: 0, notStarted: 0 }
    for (const delay of delays) {
      const label = `kill at ${delay}${delay === 'after exit' ? '' : 'ms'} (wf starts in ${Math.round(startup)}ms, a run takes ${Math.round(duration)}ms)`
      const before = readJson<Ledger>(join(wfDir(cwd), 'ledger.json'))
      const run = startRun(cwd, mark)
      const killed = await run.killAfter(delay === 'after exit' ? await run.closed.then(() => 0) : delay)
      await reapTasks(mark)

      const ledger = checkFiles(cwd, label)!
      expect(ledger, `${label}: the ledger is still there`).toBeDefined()
      const seq = before.lastSeq + 1
      const killedRun = existsSync(runPath(cwd, seq)) ? readJson<RunRecord>(runPath(cwd, seq)) : undefined
      const visible = visiblyPassed(killed.stdout)
      for (const id of visible) {
        expect(killedRun, `${label}: phase ${id} passed, so its run was recorded`).toBeDefined()
        expect(ledger.phases[id], `${label}: phase ${id} was seen to pass`).toMatchObject({
          status: 'passed',
          runId: killedRun!.id,
        })
      }
      if (ledger.active) {
        expect(ledger.active.runId, label).toBe(killedRun?.id)
        expect(ledger.lastSeq, label).toBe(seq)
      }

      const crashed = await wf(cwd, ['ledger', 'verify'])
      expect(crashed.code, `${label}: a kill is not tampering: ${crashed.stderr}`).toBe(0)
      const status = await wf(cwd, ['status', '--json'])
      expect(status.code, `${label}: ${status.stderr}`).toBe(0)
      const report = JSON.parse(status.stdout) as {
        active: { runId: string; state: string } | null
        phases: { id: string; status: string }[]
      }
      if (ledger.active)
        expect(report.active, label).toEqual(
          expect.objectContaining({ runId: ledger.active.runId, state: 'interrupted' }),
        )
      else expect(report.active, label).toBeNull()
      expect(
        report.phases.filter((p) => p.status === 'running'),
        label,
      ).toEqual([])

      const next = await wf(cwd, ['run', '--lock-timeout', '0'])
      expect([0, 1], `${label}: next run\n${next.stdout}\n${next.stderr}`).toContain(next.code)
      expect(hasStackTrace(next.stderr), label).toBe(false)
      const after = checkFiles(cwd, `${label}, after the next run`)!
      expect(after.active, label).toBeNull()
      expect(
        tempFiles(cwd).filter((n) => !n.startsWith('lock.')),
        `${label}: the next run clears temp files`,
      ).toEqual([])
      expect(existsSync(join(wfDir(cwd), 'lock')), `${label}: the lock was released`).toBe(false)
      for (const s of runSeqs(cwd)) {
        const run = readJson<RunRecord>(runPath(cwd, s))
        expect(run.status, `${label}: run ${run.id}`).not.toBe('running')
        expect(run.hash, `${label}: run ${run.id}`).toBeTypeOf('string')
      }
      const recorded = existsSync(runPath(cwd, seq)) ? readJson<RunRecord>(runPath(cwd, seq)) : undefined
      if (ledger.active && killedRun?.hash !== undefined) {
        // Killed between writing its final record and the ledger: the next writer adopts the finished run.
        seen.finished++
        expect(recorded, `${label}: the finished run's record`).toMatchObject({
          id: ledger.active.runId,
          status: killedRun.status,
          hash: killedRun.hash,
        })
      } else if (ledger.active) {
        seen.interrupted++
        expect(recorded, `${label}: the killed run's record`).toMatchObject({
          id: ledger.active.runId,
          status: 'interrupted',
        })
        const phases = new Map(recorded!.phases.map((p) => [p.id, p.status]))
        for (const id of visible)
          expect(phases.get(id), `${label}: phase ${id} in the interrupted run's record`).toBe('passed')
      } else if (killedRun && ledger.recent.at(-1)?.id === killedRun.id) {
        seen.finished++
        expect(recorded, `${label}: the run had finished`).toMatchObject({ id: killedRun.id, status: 'passed' })
      } else seen.notStarted++
      if (visible.size > 0) seen.withPhases++

      const verify = await wf(cwd, ['ledger', 'verify'])
      expect(verify.code, `${label}: ${verify.stderr}`).toBe(0)
    }
    // The delays covered the whole run: kills before it started, while it ran and after it ended.
    const coverage = JSON.stringify({ ...seen, startup: Math.round(startup), duration: Math.round(duration), delays })
    expect(seen.notStarted, coverage).toBeGreaterThan(0)
    expect(seen.interrupted, coverage).toBeGreaterThanOrEqual(5)
    expect(seen.withPhases, coverage).toBeGreaterThanOrEqual(3)
    expect(seen.finished, coverage).toBeGreaterThan(0)
  })

  it('survives kills in a row, each run killed while it may still be recovering the one before', {
    timeout: 60_000,
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

  it('recovers a run killed before the first ledger.json was written, and one whose record was written but not the ledger', {
    timeout: 30_000,
  }, async () => {
    const cwd = testdir({ 'phases/plan.yaml': 'version: 1\nphases: [{ id: a, tasks: [{ run: "true" }] }]\n' })
    const dead = await deadPid()
    const orphan = (seq: number) => ({
      format: 1,
      seq,
      id: `${seq}-dead00`,
      status: 'running',
      startedAt: new Date().toISOString(),
      pid: dead,
      host: hostname(),
      argv: ['run'],
      wf: '0.1.0',
      git: { commit: null, branch: null, dirty: false },
      phases: [],
      prevHash: null,
    })
    writeInto(cwd, '.wf/runs/00000001.json', JSON.stringify(orphan(1)))
    const first = await wf(cwd, ['run'])
    expect(first.code, first.stderr).toBe(0)
    expect(readJson<RunRecord>(runPath(cwd, 1))).toMatchObject({ id: '1-dead00', status: 'interrupted' })
    expect(readJson<RunRecord>(runPath(cwd, 2)).prevHash).toBe(readJson<RunRecord>(runPath(cwd, 1)).hash)
    expect((await wf(cwd, ['ledger', 'verify'])).code).toBe(0)

    // Killed between writing its run record and the ledger: the ledger never saw run 3.
    writeInto(cwd, '.wf/runs/00000003.json', JSON.stringify(orphan(3)))
    const crashed = await wf(cwd, ['ledger', 'verify'])
    expect(crashed.code, `a crash is not tampering: ${crashed.stderr}`).toBe(0)
    const second = await wf(cwd, ['run', '--force'])
    expect(second.code, second.stderr).toBe(0)
    expect(runSeqs(cwd)).toEqual([1, 2, 3])
    expect(readJson<RunRecord>(runPath(cwd, 3))).toMatchObject({
      status: 'passed',
      prevHash: readJson<RunRecord>(runPath(cwd, 2)).hash,
    })
    const verify = await wf(cwd, ['ledger', 'verify'])
    expect(verify.code, verify.stderr).toBe(0)
  })

  it('moves a corrupt ledger aside with a warning, keeps it intact, and keeps the hash chain', {
    timeout: 30_000,
  }, async () => {
    const cwd = testdir({ 'phases/plan.yaml': 'version: 1\nphases: [{ id: a, tasks: [{ run: "true" }] }]\n' })
    expect((await wf(cwd, ['run'])).code).toBe(0)
    const garbage = '{"format": 1, "phases": {"a": \u0000\u0001 garbage'
    writeFileSync(join(wfDir(cwd), 'ledger.json'), garbage)

    const status = await wf(cwd, ['status'])
    expect(status.code).toBe(3)
    expect(status.stderr).toMatch(/\.wf\/ledger\.json is corrupt/)
    expect(status.stderr).toContain('wf run')
    expect(hasStackTrace(status.stderr)).toBe(false)
    const json = await wf(cwd, ['status', '--json'])
    expect(json.code).toBe(3)
    expect(JSON.parse(json.stdout).error.code).toBe('WF_LEDGER_UNREADABLE')
    expect(readFileSync(join(wfDir(cwd), 'ledger.json'), 'utf8')).toBe(garbage)

    const run = await wf(cwd, ['run'])
    expect(run.code, run.stderr).toBe(0)
    const aside = readdirSync(wfDir(cwd)).filter((n) => n.startsWith('ledger.json.corrupt-'))
    expect(aside).toHaveLength(1)
    expect(run.stderr).toMatch(/^warning: .*ledger\.json was corrupt/m)
    expect(run.stderr).toContain(`.wf/${aside[0]}`)
    expect(readFileSync(join(wfDir(cwd), aside[0]!), 'utf8')).toBe(garbage)
    expect(readJson<Ledger>(join(wfDir(cwd), 'ledger.json')).phases.a).toMatchObject({ status: 'passed' })
    expect((await wf(cwd, ['status'])).code).toBe(0)
    const verify = await wf(cwd, ['ledger', 'verify'])
    expect(verify.code, verify.stderr).toBe(0)
    expect(verify.stdout).toContain('2 run records')
  })

  it('refuses a ledger written by a newer wf and leaves it untouched', { timeout: 30_000 }, async () => {
    const cwd = testdir({ 'phases/plan.yaml': 'version: 1\nphases: [{ id: a, tasks: [{ run: "touch ran.txt" }] }]\n' })
    expect((await wf(cwd, ['run'])).code).toBe(0)
    rmSync(join(cwd, 'ran.txt'))
    const path = join(wfDir(cwd), 'ledger.json')
    const future = readFileSync(path, 'utf8').replace('"format": 1', '"format": 99')
    expect(future).toContain('"format": 99')
    writeFileSync(path, future)

    for (const args of [['run'], ['run', '--force']]) {
      const result = await wf(cwd, args)
      expect(result.code).toBe(3)
      expect(result.stderr).toMatch(/written by a newer wf/)
      expect(result.stderr).toContain('format 99')
      expect(hasStackTrace(result.stderr)).toBe(false)
    }
    expect(readFileSync(path, 'utf8')).toBe(future)
    expect(existsSync(join(cwd, 'ran.txt')), 'nothing ran').toBe(false)
    expect(existsSync(join(wfDir(cwd), 'lock')), 'the lock was released').toBe(false)
    expect(readdirSync(wfDir(cwd)).filter((n) => n.includes('corrupt'))).toEqual([])
    expect(runSeqs(cwd)).toEqual([1])
    const status = await wf(cwd, ['status'])
    expect(status.code).toBe(3)
    expect(status.stderr).toMatch(/newer wf/)
  })

  it('wf ledger verify detects an edited run, a removed run and an edited ledger', { timeout: 30_000 }, async () => {
    const cwd = testdir({
      'phases/plan.yaml':
        'version: 1\nphases: [{ id: a, tasks: [{ run: "true" }] }, { id: b, needs: [a], gates: [{ files-exist: [phases] }] }]\n',
    })
    for (let i = 0; i < 3; i++) expect((await wf(cwd, ['run', '--force'])).code).toBe(0)
    expect(runSeqs(cwd)).toEqual([1, 2, 3])
    const clean = await wf(cwd, ['ledger', 'verify'])
    expect(clean.code, clean.stderr).toBe(0)
    expect(clean.stdout).toContain('3 run records')

    const second = runPath(cwd, 2)
    const original = readFileSync(second, 'utf8')
    const run2 = JSON.parse(original) as RunRecord & { argv: string[] }
    writeFileSync(second, original.replace(/"status": "passed"/, '"status": "failed"'))
    expect(readFileSync(second, 'utf8')).not.toBe(original)
    const edited = await wf(cwd, ['ledger', 'verify'])
    expect(edited.code).toBe(1)
    expect(edited.stderr).toContain('runs/00000002.json')
    expect(edited.stderr).toContain(run2.id)
    expect(edited.stderr).toMatch(/modified/)
    expect(hasStackTrace(edited.stderr)).toBe(false)
    const json = await wf(cwd, ['ledger', 'verify', '--json'])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, runs: 3 })
    writeFileSync(second, original)
    expect((await wf(cwd, ['ledger', 'verify'])).code).toBe(0)

    unlinkSync(second)
    const removed = await wf(cwd, ['ledger', 'verify'])
    expect(removed.code).toBe(1)
    expect(removed.stderr).toMatch(/chain is broken/)
    expect(removed.stderr).toContain('runs/00000003.json')
    writeFileSync(second, original)
    expect((await wf(cwd, ['ledger', 'verify'])).code).toBe(0)

    const ledgerPath = join(wfDir(cwd), 'ledger.json')
    const ledgerText = readFileSync(ledgerPath, 'utf8')
    const ledger = JSON.parse(ledgerText) as Ledger & { phases: Record<string, PhaseRecord & { durationMs: number }> }
    ledger.phases.a!.durationMs += 1
    writeFileSync(ledgerPath, `${JSON.stringify(ledger, null, 1)}\n`)
    const tampered = await wf(cwd, ['ledger', 'verify'])
    expect(tampered.code).toBe(1)
    expect(tampered.stderr).toMatch(/phase `a`/)
    writeFileSync(ledgerPath, ledgerText)
    const restored = await wf(cwd, ['ledger', 'verify'])
    expect(restored.code, restored.stderr).toBe(0)
  })
})

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn('true')
  await new Promise((resolve) => child.on('exit', resolve))
  return child.pid!
}

function writeInto(cwd: string, path: string, content: string): void {
  mkdirSync(dirname(join(cwd, path)), { recursive: true })
  writeFileSync(join(cwd, path), content)
}
