// What the crash-safety tests share: a spawned `wf run` to SIGKILL (at a line of its output or
// after a delay), the reaping of its tasks, and the checks that the ledger it leaves is sound and
// that the next commands recover it.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { expect } from 'vitest'
import { readLedger } from '../../src/ledger/ledger.js'
import { sha256 } from '../../src/lib/files.js'
import { WF_VERSION } from '../../src/lib/wf-version.js'
import { runCli } from '../cli-in-process.js'
import { hasStackTrace, repoRoot, spawnWf, testdir, type WfResult } from '../helpers.js'
import {
  type Ledger,
  type PhaseRecord,
  type RunRecord,
  readJson,
  runPath,
  runSeqs,
  wfDir,
} from '../ledger/ledger-files.js'

export type { Ledger, PhaseRecord, RunRecord }

const ajv = new Ajv({ allErrors: true })
ajv.addSchema(JSON.parse(readFileSync(join(repoRoot, 'contracts', 'ledger.schema.json'), 'utf8')))
const validateLedger = ajv.getSchema('https://wf.dev/schemas/ledger.schema.json')!
const validateRun = ajv.getSchema('https://wf.dev/schemas/ledger.schema.json#/definitions/runRecord')!

// Plain output, and no NODE_ENV=test from vitest: with it oclif loads TypeScript to read tsconfig.json, doubling start-up time.
const quiet = { GITHUB_ACTIONS: undefined, NODE_ENV: undefined }
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
export { readJson, runPath, runSeqs, wfDir }
/** Runs wf in this process: what follows a kill needs no process of its own. */
export const wf = (cwd: string, args: string[]): Promise<WfResult> => runCli(args, { cwd, env: quiet })

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
export async function reapTasks(mark: string): Promise<void> {
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

/** What a killed `wf run` printed, and its exit code. */
/**
 * A repository whose phase `docs` renders templates/doc.njk (`template`) to out/doc.md and then
 * waits for the file `go` (there at first): with `go` removed, a kill lands between the rename and
 * the phase's record. With `other`, a second phase that only runs `true`.
 */
export function waitingDocsRepo(template: string, other = true): string {
  const plan = [
    'version: 1',
    'phases:',
    '  - id: docs',
    '    tasks:',
    '      - template: templates/doc.njk',
    '        to: out/doc.md',
    `      - run: "timeout 60 sh -c 'until [ -f go ]; do sleep 0.02; done'"`,
    ...(other ? ['  - id: other', '    tasks: [{ run: "true" }]'] : []),
  ]
  return testdir({ 'phases/plan.yaml': `${plan.join('\n')}\n`, 'templates/doc.njk': template, go: '' })
}

export type Killed = { code: number | null; stdout: string; stderr: string }

/**
 * Starts `wf run --force` (and `args`) in its own process group. `killAfter` SIGKILLs the group
 * after a delay, `killAt` as soon as a line of its output contains `marker` (at once for
 * `'start'`), `killAtLine` as soon as it has printed `n` lines; all resolve with what it printed.
 */
export function startRun(cwd: string, mark: string, args: string[] = []) {
  const { child, done, output } = spawnWf(['run', '--force', '--reporter', 'plain', ...args], {
    cwd,
    env: { ...quiet, WF_CRASH_MARK: mark },
    detached: true,
  })
  const closed = done.then((result) => result.code)
  const kill = async (): Promise<Killed> => {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {}
    const code = await closed
    return { code, ...output() }
  }
  return {
    child,
    closed,
    output,
    async killAfter(delayMs: number) {
      await sleep(delayMs)
      return kill()
    },
    async killAt(marker: string | 'start') {
      if (marker !== 'start')
        await printed(
          () =>
            output()
              .stdout.split('\n')
              .some((line) => line.includes(marker)),
          marker,
        )
      return kill()
    },
    async killAtLine(n: number) {
      try {
        await printed(() => output().stdout.split('\n').length > n, `${n} lines`)
      } catch (error) {
        // Phases running at once take turns printing (a phase is named again when another printed in
        // between), so a run may print fewer lines than the one measured: a line past the end of a
        // run that passed is a kill after it ended.
        if ((await closed) !== 0) throw error
      }
      return kill()
    },
  }

  /** Resolves once `seen()` holds for what wf printed; rejects if wf ends before it does. */
  function printed(seen: () => boolean, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onData = () => {
        if (!seen()) return
        child.stdout.off('data', onData)
        resolve()
      }
      child.stdout.on('data', onData)
      closed.then(() => (seen() ? resolve() : reject(new Error(`wf ended without printing ${what}`))))
      onData()
    })
  }
}

/** Phase ids whose `✔ ID passed` line was printed (wf prints it only after the result is on disk). */
export const visiblyPassed = (stdout: string) =>
  new Set([...stdout.matchAll(/^\S+ ✔ ([a-z0-9_-]+) passed(?: \(.*)?$/gm)].map((m) => m[1]!))

/** Asserts the ledger and run records on disk are well-formed; returns the ledger, or undefined when none was written. */
export function checkFiles(cwd: string, label: string): Ledger | undefined {
  const names = readdirSync(wfDir(cwd)).filter((n) => !n.endsWith('.tmp'))
  for (const name of names)
    expect(
      ['ledger.json', 'hashes.json', 'lock', 'runs', 'cache', 'intents', 'tasks', 'base'],
      `${label}: .wf/${name} (a kill never makes the ledger corrupt)`,
    ).toContain(name)
  // Merge bases are named by the hash of their content and written whole, or not at all; so are
  // packs of them (named by the hash of their index line, each entry by the hash of its content).
  if (names.includes('base'))
    for (const name of readdirSync(join(wfDir(cwd), 'base')).filter((n) => !n.endsWith('.tmp'))) {
      const bytes = readFileSync(join(wfDir(cwd), 'base', name))
      if (!name.endsWith('.pack')) {
        expect(sha256(bytes), `${label}: .wf/base/${name}`).toBe(name)
        continue
      }
      const [index, contents] = bytes.toString('utf8').split('\n') as [string, string]
      expect(`${sha256(index)}.pack`, `${label}: .wf/base/${name}`).toBe(name)
      expect((JSON.parse(contents) as string[]).map(sha256), `${label}: .wf/base/${name}`).toEqual(JSON.parse(index))
    }
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

/** How a killed run was left: cut short (`interrupted`), done (`finished`), or never started (`notStarted`). */
export type KillOutcome = 'interrupted' | 'finished' | 'notStarted'

/** Journals of files wf meant to write that are left in .wf/intents/. */
export const intentJournals = (cwd: string) =>
  existsSync(join(wfDir(cwd), 'intents')) ? readdirSync(join(wfDir(cwd), 'intents')) : []

/**
 * After `killed` (a `wf run` started when the ledger was `before`) was SIGKILLed and its tasks
 * reaped: the files are sound, every phase it showed as passed is recorded, `wf ledger verify`
 * and `wf status` accept the ledger (a live run shown as interrupted), and the next `wf run`
 * recovers it (exits 0 with `nextPasses`), leaving no lock, temp file, journal or unfinished run.
 * Says how the killed run was left.
 */
export async function expectRecovered(
  cwd: string,
  before: Ledger,
  killed: Killed,
  label: string,
  options: { nextPasses?: boolean } = {},
) {
  const ledger = checkFiles(cwd, label)!
  expect(ledger, `${label}: the ledger is still there`).toBeDefined()
  const seq = before.lastSeq + 1
  const killedRun = existsSync(runPath(cwd, seq)) ? readJson<RunRecord>(runPath(cwd, seq)) : undefined
  const visible = visiblyPassed(killed.stdout)
  // ledger.json as readers see it: with the results the run's journal holds beyond it.
  const read = (await readLedger(cwd, WF_VERSION)).ledger
  for (const id of visible) {
    expect(killedRun, `${label}: phase ${id} passed, so its run was recorded`).toBeDefined()
    expect(read.phases[id], `${label}: phase ${id} was seen to pass`).toMatchObject({
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
    expect(report.active, label).toEqual(expect.objectContaining({ runId: ledger.active.runId, state: 'interrupted' }))
  else expect(report.active, label).toBeNull()
  expect(
    report.phases.filter((p) => p.status === 'running'),
    label,
  ).toEqual([])

  const next = await wf(cwd, ['run', '--lock-timeout', '0'])
  expect(options.nextPasses ? [0] : [0, 1], `${label}: next run\n${next.stdout}\n${next.stderr}`).toContain(next.code)
  expect(hasStackTrace(next.stderr), label).toBe(false)
  const after = checkFiles(cwd, `${label}, after the next run`)!
  expect(after.active, label).toBeNull()
  expect(
    tempFiles(cwd).filter((n) => !n.startsWith('lock.')),
    `${label}: the next run clears temp files`,
  ).toEqual([])
  expect(existsSync(join(wfDir(cwd), 'lock')), `${label}: the lock was released`).toBe(false)
  expect(intentJournals(cwd), `${label}: the next run settles what the killed one meant to write`).toEqual([])
  for (const s of runSeqs(cwd)) {
    const run = readJson<RunRecord>(runPath(cwd, s))
    expect(run.status, `${label}: run ${run.id}`).not.toBe('running')
    expect(run.hash, `${label}: run ${run.id}`).toBeTypeOf('string')
  }
  const recorded = existsSync(runPath(cwd, seq)) ? readJson<RunRecord>(runPath(cwd, seq)) : undefined
  let outcome: KillOutcome
  if (ledger.active && killedRun?.hash !== undefined) {
    // Killed between writing its final record and the ledger: the next writer adopts the finished run.
    outcome = 'finished'
    expect(recorded, `${label}: the finished run's record`).toMatchObject({
      id: ledger.active.runId,
      status: killedRun.status,
      hash: killedRun.hash,
    })
  } else if (ledger.active) {
    outcome = 'interrupted'
    expect(recorded, `${label}: the killed run's record`).toMatchObject({
      id: ledger.active.runId,
      status: 'interrupted',
    })
    const phases = new Map(recorded!.phases.map((p) => [p.id, p.status]))
    for (const id of visible)
      expect(phases.get(id), `${label}: phase ${id} in the interrupted run's record`).toBe('passed')
  } else if (killedRun && ledger.recent.at(-1)?.id === killedRun.id) {
    outcome = 'finished'
    expect(recorded, `${label}: the run had finished`).toMatchObject({ id: killedRun.id, status: 'passed' })
  } else outcome = 'notStarted'
  if (/^\S+ ✔ run passed:/m.test(killed.stdout))
    expect(recorded?.status, `${label}: the run was printed as passed, so it is recorded as passed`).toBe('passed')

  const verify = await wf(cwd, ['ledger', 'verify'])
  expect(verify.code, `${label}: ${verify.stderr}`).toBe(0)
  return { outcome, visible }
}
