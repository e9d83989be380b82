import { randomBytes } from 'node:crypto'
import { readFile, readdir, rename, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { WfError } from '../lib/errors.js'
import { outsideRepoError, RepoBoundary } from '../lib/inside-repo.js'
import { writeFailure } from '../lib/write-failure.js'
import { GitRepository } from '../lib/git.js'
import { WF_VERSION } from '../lib/wf-version.js'
export { ledgerPaths, RUN_FILE, runFileName } from './paths.js'
export { environmentView, ledgerKey } from './environment-key.js'
import { ledgerKey } from './environment-key.js'
import { hashRecord } from './hash-record.js'
import { checkRecord } from './check-record.js'
import { liftChecks } from './lift-checks.js'
import {
  adoptIntents,
  type Intent,
  IntentJournal,
  type PhaseEntry,
  readIntents,
  readPhaseEntries,
  removeIntents,
  type SyncFile,
  toIntents,
  wroteOrFound,
} from './intents.js'
import { type ReapedTask, reapTasks } from './reap-tasks.js'
import type {
  ApprovalRecord,
  CheckScope,
  FingerprintRecord,
  GeneratedFile,
  GeneratedOutput,
  GitFacts,
  Ledger,
  PhaseRecord,
  RecordKind,
  RunRecord,
  RunStatus,
  RunSummary,
  TaskRecord,
} from './ledger.generated.js'
import { type LoadedEntries, loadedEntries, type StateDigest, stateDigest } from './state-digest.js'
import { acquireLock, isProcessAlive, type Lock } from './lock.js'
import { finishMerge } from './merge/merge-journal.js'
import { pruneBases } from './merge-bases.js'
import { ledgerPaths, RUN_FILE, runFileName } from './paths.js'
import { countStatuses } from './statuses.js'
import validateLedger from './validate-ledger.generated.js'
import { WriteQueue, type WriteFile } from './write-queue.js'
import { isVerifiedHead, noteVerifiedHead } from './verified-head.js'

export type {
  ApprovalRecord,
  CheckRecord,
  CheckScope,
  FingerprintInputs,
  FingerprintRecord,
  GateRecord,
  GeneratedFile,
  GitFacts,
  Ledger,
  PhaseRecord,
  PhaseStatus,
  RecordKind,
  ResultLocation,
  RunRecord,
  RunStatus,
  RunSummary,
  TaskRecord,
} from './ledger.generated.js'

/** The ledger format this version of wf writes. */
export const LEDGER_FORMAT = 2
/** Run records kept in .wf/runs/ unless the plan says otherwise. */
export const DEFAULT_HISTORY = 100
/** How many runs the ledger's `recent` index keeps (full records stay in .wf/runs/). */
export const RECENT = 10
/**
 * During a run ledger.json is rewritten at most this often (and at the end): each phase result is
 * durable first in the run's journal, so rewriting the whole ledger per phase (quadratic in a long
 * chain) buys nothing.
 */
export const SAVE_EVERY_MS = 1000

/** Upgrades a ledger of format N to N+1; there is one entry per past format. */
export type Migration = (old: Record<string, unknown>) => Record<string, unknown>
export const MIGRATIONS: Record<number, Migration> = {
  // Format 2 added fields an older wf's schema refuses (checks, record kinds, state digests, signed
  // approvals): the new number makes that wf say it is too old instead of moving the ledger aside.
  1: (old) => ({ ...old, format: 2 }),
}

/** A fresh, empty ledger. */
export function emptyLedger(wf: string, history = DEFAULT_HISTORY): Ledger {
  return {
    format: LEDGER_FORMAT,
    wf,
    updatedAt: new Date().toISOString(),
    history,
    lastSeq: 0,
    head: null,
    active: null,
    phases: {},
    passed: {},
    recent: [],
  }
}

type ReadResult = { ledger: Ledger; lifted: boolean } | { missing: true } | { corrupt: string }

/** Parses, migrates and validates a ledger file; refuses one from a newer wf. */
async function readLedgerFile(path: string, migrations: Record<number, Migration>): Promise<ReadResult> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true }
    throw new WfError('WF_LEDGER_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`)
  }
  let data: Record<string, unknown>
  try {
    data = JSON.parse(text)
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error('not a JSON object')
  } catch (error) {
    return { corrupt: `not valid JSON (${(error as Error).message})` }
  }
  let format = data.format as number
  if (typeof format !== 'number' || !Number.isInteger(format) || format < 0)
    return { corrupt: 'it has no valid `format` number' }
  if (format > LEDGER_FORMAT) {
    throw new WfError(
      'WF_LEDGER_UNREADABLE',
      `.wf/ledger.json was written by a newer wf (ledger format ${format}; this wf reads up to ${LEDGER_FORMAT})`,
      {
        hint: 'upgrade wf; the ledger was left untouched',
      },
    )
  }
  while (format < LEDGER_FORMAT) {
    const migrate = migrations[format]
    if (!migrate) return { corrupt: `no migration from ledger format ${format}` }
    data = migrate(data)
    format = data.format as number
  }
  if (!validateLedger(data)) {
    const error = (validateLedger as unknown as { errors?: { instancePath: string; message?: string }[] }).errors?.[0]
    return {
      corrupt: `it does not match contracts/ledger.schema.json (${error?.instancePath || '/'} ${error?.message ?? ''})`,
    }
  }
  const ledger = data as unknown as Ledger
  return { ledger, lifted: await liftChecks(ledger, join(dirname(path), 'runs')) }
}

/** The ledger as it is on disk, for commands that only read (no lock; writes are atomic renames). */
export async function readLedger(root: string, wf: string): Promise<{ ledger: Ledger; exists: boolean }> {
  const dir = ledgerPaths(root).dir
  if (!(await new RepoBoundary(root).staysInside(dir).catch(() => true))) throw outsideRepoError(root, dir, 'read')
  const result = await readLedgerFile(ledgerPaths(root).ledger, MIGRATIONS)
  if ('corrupt' in result) {
    throw new WfError('WF_LEDGER_UNREADABLE', `.wf/ledger.json is corrupt: ${result.corrupt}`, {
      hint: 'the next `wf run` moves it aside to .wf/ledger.json.corrupt-<time> and starts a new one',
    })
  }
  if ('missing' in result) return { ledger: emptyLedger(wf), exists: false }
  const ledger = result.ledger
  // A run in progress (or one that died) has results ledger.json was not rewritten with yet.
  if (ledger.active) replayPhases(ledger, await readPhaseEntries(ledgerPaths(root).dir, ledger.active.runId))
  return { ledger, exists: true }
}

/** Applies phase results from a run's journal to a ledger, in order, as `recordPhase` did. */
function replayPhases(ledger: Ledger, entries: readonly PhaseEntry[]): void {
  for (const { result, passed } of entries) {
    const key = ledgerKey(result.id, result.environment)
    ledger.phases[key] = result
    if (passed) ledger.passed[key] = passed
    for (const task of result.tasks ?? [])
      noteGenerated(ledger, task.generated ?? [], result.id, result.runId, task.endedAt ?? result.endedAt ?? '')
  }
}

/** Remembers in `ledger` the hash of each file wf wrote (or found current), so a later hand edit shows as drift; returns the entries it wrote. */
function noteGenerated(
  ledger: Ledger,
  outputs: NonNullable<TaskRecord['generated']>,
  phase: string | undefined,
  runId: string,
  at: string,
): Record<string, GeneratedFile> {
  const noted: Record<string, GeneratedFile> = {}
  for (const output of outputs) {
    if (!wroteOrFound(output)) continue
    ledger.generated ??= {}
    const { hash, base, source } = output
    noted[output.path] = { hash, ...(base ? { base } : {}), source, ...(phase ? { phase } : {}), runId, at }
    ledger.generated[output.path] = noted[output.path]
  }
  return noted
}

/** The ledger in a ledger folder (a repository's `.wf/` or a copy of one): like `readLedger`, for a folder named by path. */
export async function readLedgerDir(dir: string, wf: string): Promise<{ ledger: Ledger; exists: boolean }> {
  const file = join(dir, 'ledger.json')
  const result = await readLedgerFile(file, MIGRATIONS)
  if ('corrupt' in result) throw new WfError('WF_LEDGER_UNREADABLE', `${file} is corrupt: ${result.corrupt}`)
  if ('missing' in result) return { ledger: emptyLedger(wf), exists: false }
  const ledger = result.ledger
  if (ledger.active) replayPhases(ledger, await readPhaseEntries(dir, ledger.active.runId))
  return { ledger, exists: true }
}

/** The active run of a ledger read without the lock, when its process is gone (shown as interrupted). */
export function deadActiveRun(ledger: Ledger): Ledger['active'] {
  const active = ledger.active
  if (!active) return null
  return active.host === hostname() && !isProcessAlive(active.pid) ? active : null
}

export interface OpenLedgerOptions {
  wf: string
  lockTimeoutMs: number
  command: string
  /** The command's arguments as given, for records the writer appends itself (`wf approve`, `wf generate`); default: `command` split at spaces. */
  argv?: string[]
  history?: number
  migrations?: Record<number, Migration>
  /** Writes one ledger file whole (default: atomically, inside the repository); tests pass their own to order or fail writes. */
  write?: WriteFile
  /** Syncs the run's journal to disk (default: fdatasync); tests pass their own to hold or fail syncs. */
  sync?: SyncFile
}

/**
 * The one writer of a repository's ledger: holds the lock from `openLedger` to `close`. Every
 * change is written atomically; ledger.json is written last, so it is the commit point.
 */
export class LedgerWriter {
  private run?: RunRecord
  /** The writes that put the started run on disk (`flushStart`); every later write waits for them. */
  private starting?: Promise<void>
  private readonly writes: WriteQueue
  private readonly argv: string[]
  private readonly command: string
  /** This writer's intent journal, once it has written one, and what it holds. */
  private journal?: { file: IntentJournal; intents: Intent[] }
  readonly warnings: string[] = []

  /** The entries as this writer found them, and the state of the head record then (see `stateDigest`). */
  private loaded: LoadedEntries
  private headState?: StateDigest
  /** The ledger was started anew (none, or a corrupt one moved aside): its first record vouches for all of it. */
  private restarted = false
  /** Phase results recorded since the last one written to the run's journal (up to date, skipped: nothing ran). */
  private unjournaled: PhaseEntry[] = []
  /** Where each phase is in the run's `phases`. */
  private phaseIndex = new Map<string, number>()
  /** When ledger.json may be rewritten next during a run (see SAVE_EVERY_MS). */
  private nextSaveAt = 0
  /** A rewrite of ledger.json in progress during a run, and how the last one failed. */
  private saving?: Promise<void>
  private saveFailure?: { error: unknown }
  private readonly sync?: SyncFile

  private constructor(
    readonly root: string,
    private readonly lock: Lock,
    public ledger: Ledger,
    options: OpenLedgerOptions,
  ) {
    this.argv = options.argv ?? options.command.split(' ').slice(1)
    this.command = options.command
    const boundary = new RepoBoundary(root)
    this.writes = new WriteQueue(options.write ?? ((path, data) => boundary.writeFile(path, data)), (error, path) =>
      ledgerWriteError(error, root, path, options.command),
    )
    this.loaded = loadedEntries(ledger)
    this.sync = options.sync
  }

  /**
   * Takes the lock, reads (or starts) the ledger, moves a corrupt one aside, refuses a ledger whose
   * last run record does not verify, and completes a run that died or could not finish its writes.
   */
  static async open(root: string, options: OpenLedgerOptions): Promise<LedgerWriter> {
    const paths = ledgerPaths(root)
    // .wf and .wf/runs are made (or found) inside the repository before the lock is written into them.
    const lock = await Promise.resolve()
      .then(() => new RepoBoundary(root).mkdirSync(paths.runs))
      .then(() => acquireLock(paths.lock, { timeoutMs: options.lockTimeoutMs, command: options.command }))
      .catch((error: unknown) => {
        throw ledgerWriteError(error, root, paths.lock, options.command)
      })
    try {
      await finishMerge(paths.dir)
      const result = await readLedgerFile(paths.ledger, options.migrations ?? MIGRATIONS)
      const warnings: string[] = []
      let ledger: Ledger
      if ('ledger' in result) ledger = result.ledger
      else {
        if ('corrupt' in result) {
          const aside = `${paths.ledger}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`
          await rename(paths.ledger, aside)
          warnings.push(
            `.wf/ledger.json was corrupt (${result.corrupt}); moved it to .wf/${aside.slice(paths.dir.length + 1)} and started a new ledger`,
          )
        }
        ledger = { ...emptyLedger(options.wf, options.history), ...(await resumeChain(paths.runs)) }
      }
      if (options.history !== undefined) ledger.history = options.history
      const writer = new LedgerWriter(root, lock, ledger, options)
      writer.restarted = !('ledger' in result)
      writer.warnings.push(...warnings)
      await writer.cleanTempFiles()
      const problem = await headRecordProblem(root, ledger, { note: true })
      if (problem) throw damagedLedgerError(root, problem)
      if ('lifted' in result && result.lifted) await writer.save()
      // Files a writer that died had renamed into place are its output, whether it recorded them or not.
      const leftover = await readIntents(root)
      const intents = leftover.flatMap((journal) => journal.intents)
      // Tasks a killed wf left running are stopped, and the run that started them says so.
      const reaped = await reapTasks(root, { settle: true })
      writer.noteReaped(reaped)
      if (ledger.active) {
        const runId = ledger.active.runId
        replayPhases(ledger, leftover.find((journal) => journal.name === runId)?.phases ?? [])
        await writer.closeInterrupted(intents, reaped.get(ledger.active.pid))
      } else if (!(await writer.adoptUncountedRun(intents))) await writer.recordLeftIntents(intents)
      await removeIntents(
        root,
        leftover.map((journal) => journal.name),
      )
      return writer
    } catch (error) {
      await lock.release()
      throw ledgerWriteError(error, root, undefined, options.command)
    }
  }

  private get paths() {
    return ledgerPaths(this.root)
  }

  /** Removes temp files left by writers that died (a lock's temp file only when its process is gone). */
  private async cleanTempFiles(): Promise<void> {
    const cache = join(this.paths.dir, 'cache')
    const caches = (await readdir(cache).catch(() => [] as string[])).map((area) => join(cache, area))
    for (const dir of [this.paths.dir, this.paths.runs, ...caches]) {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (!name.endsWith('.tmp')) continue
        const lockPid = /^lock\.(\d+)-/.exec(name)?.[1]
        if (lockPid && isProcessAlive(Number(lockPid))) continue
        await unlink(join(dir, name)).catch(() => {})
      }
    }
  }

  /** Warns of the task processes that wf processes now gone had left running and that were stopped. */
  private noteReaped(reaped: Map<number, ReapedTask[]>): void {
    for (const [pid, tasks] of reaped) {
      const count = tasks.reduce((sum, task) => sum + task.processes, 0)
      this.warnings.push(
        `stopped ${count} process${count === 1 ? '' : 'es'} that wf (pid ${pid}) left running: ${tasks.map((t) => `\`${t.command}\``).join(', ')}`,
      )
    }
  }

  /** Records the run that held the ledger before us and died, and the phases it left running, as interrupted. */
  private async closeInterrupted(intents: Intent[], reaped?: ReapedTask[]): Promise<void> {
    const active = this.ledger.active!
    let run: RunRecord | undefined
    try {
      run = JSON.parse(await readFile(join(this.paths.runs, runFileName(active.seq)), 'utf8')) as RunRecord
    } catch {
      run = undefined
    }
    const now = new Date().toISOString()
    const mine = Object.values(this.ledger.phases).filter((p): p is PhaseRecord => p?.runId === active.runId)
    for (const phase of mine) {
      if (phase.status === 'running')
        Object.assign(phase, { status: 'interrupted', endedAt: now, reason: 'wf stopped while this phase ran' })
    }
    if (run?.hash !== undefined && run.id === active.runId && hashRecord(run) === run.hash) {
      // The run finished and wrote its record; only the ledger's last write was lost.
      await this.adoptFinishedRun(run, intents)
    } else if (run) {
      // The run file is written only at the start and the end; its phases are in ledger.json and the journal.
      run.phases = mine
      if (reaped?.length) run.reaped = reaped
      this.run = run
      await this.adoptIntents(intents)
      await this.finishRun('interrupted', now)
    } else {
      await this.adoptIntents(intents)
      this.ledger.active = null
      this.warnings.push(`run ${active.runId} died before its record was written`)
      await this.save()
    }
  }

  /** A run that wrote its finished record before ledger.json ever named it (nothing it did had to be written sooner). */
  private async adoptUncountedRun(intents: Intent[]): Promise<boolean> {
    const run = await readRunFile(join(this.paths.runs, runFileName(this.ledger.lastSeq + 1)))
    if (run?.hash === undefined || hashRecord(run) !== run.hash || run.prevHash !== this.ledger.head) return false
    this.ledger.lastSeq = run.seq
    await this.adoptFinishedRun(run, intents)
    return true
  }

  /** Files a writer outside any run (`wf generate`) renamed into place and died before recording: recorded in a `generate` record. */
  private async recordLeftIntents(intents: Intent[]): Promise<void> {
    if (intents.length === 0) return
    const generated = { ...this.ledger.generated }
    const adopted = await adoptIntents(this.root, generated, intents)
    if (adopted.length === 0) return
    await this.appendRecord('generate', (id) => {
      const entries = Object.fromEntries(adopted.map((path) => [path, { ...generated[path]!, runId: id }]))
      this.ledger.generated = { ...this.ledger.generated, ...entries }
      return { generated: entries }
    })
  }

  /** Completes the ledger's side of a run whose record was written in full. */
  private async adoptFinishedRun(run: RunRecord, intents: Intent[] = []): Promise<void> {
    // The record holds every phase the run ended with, also those (up to date, skipped) not yet written to ledger.json.
    for (const phase of run.phases)
      if (run.check)
        this.ledger.checks = {
          ...this.ledger.checks,
          [ledgerKey(phase.id, phase.environment)]: checkRecord(phase, run.check),
        }
      else {
        this.ledger.phases[ledgerKey(phase.id, phase.environment)] = phase
        for (const task of phase.tasks ?? [])
          noteGenerated(
            this.ledger,
            task.generated ?? [],
            phase.id,
            run.id,
            task.endedAt ?? run.endedAt ?? run.startedAt,
          )
      }
    // Files of its tasks that failed after writing: recorded by the run as it ended, as they are here.
    await this.adoptIntents(intents)
    // What an `approve` or `generate` record changed.
    if (run.approvals) this.ledger.approvals = { ...this.ledger.approvals, ...run.approvals }
    if (run.generated) this.ledger.generated = { ...this.ledger.generated, ...run.generated }
    this.ledger.recent = [...this.ledger.recent.filter((r) => r.seq !== run.seq), summarizeRun(run)].slice(-RECENT)
    this.ledger.head = run.hash!
    this.ledger.active = null
    await this.save()
    if (run.state) this.vouched(run.state)
  }

  /** The state a new record vouches for: entries this writer replaced, digested; the others as the head record has them. */
  private async nextState(texts?: Map<unknown, string>): Promise<StateDigest> {
    if (!this.restarted) this.headState ??= await readHeadState(this.paths.runs, this.ledger)
    const previous = this.restarted ? undefined : this.headState
    return stateDigest(this.ledger, previous ? { previous, loaded: this.loaded } : undefined, texts)
  }

  /** Records intended files found on disk as intended; says whether it recorded any. */
  private async adoptIntents(intents: Intent[]): Promise<boolean> {
    if (intents.length === 0) return false
    const generated = { ...this.ledger.generated }
    if ((await adoptIntents(this.root, generated, intents)).length === 0) return false
    this.ledger.generated = generated
    return true
  }

  /**
   * Records durably, before generated files are renamed into place, those about to be created or
   * updated, so that a crash before they reach the ledger leaves them known as wf's own.
   */
  async intend(outputs: readonly GeneratedOutput[], phase?: string): Promise<void> {
    const intents = toIntents(outputs, { phase, runId: this.run?.id })
    if (intents.length === 0) return
    const name = this.run?.id ?? `${process.pid}-${randomBytes(3).toString('hex')}`
    this.journal ??= { file: new IntentJournal(this.root, name, this.sync), intents: [] }
    this.journal.intents.push(...intents)
    await this.journal.file.write(intents)
  }

  /** Removes this writer's journal: called once the ledger on disk holds what it intended. */
  private async removeJournal(): Promise<void> {
    if (!this.journal) return
    const { file } = this.journal
    this.journal = undefined
    await file.close({ discard: true })
    await removeIntents(this.root, [file.name])
  }

  /** A record vouching for `state` is the new head: the next record starts from it. */
  private vouched(state: StateDigest): void {
    this.headState = state
    this.loaded = loadedEntries(this.ledger)
    this.restarted = false
  }

  /** Writes ledger.json as it is when the write starts (so a later change is never overwritten by an older one). */
  private save(): Promise<void> {
    return this.writes.write(this.paths.ledger, () => {
      this.ledger.updatedAt = new Date().toISOString()
      return `${JSON.stringify(this.ledger, null, 1)}\n`
    })
  }

  private saveRun(): Promise<void> {
    const run = this.run!
    return this.writes.write(join(this.paths.runs, runFileName(run.seq)), () => `${JSON.stringify(run, null, 1)}\n`)
  }

  /**
   * Starts a run record (status running). It goes to disk, marked active in the ledger, with the
   * first phase that does work (`flushStart`); a run in which everything is up to date writes
   * only its end.
   */
  async startRun(facts: { wf: string; git: GitFacts; argv: string[]; check?: CheckScope }): Promise<RunRecord> {
    const seq = this.ledger.lastSeq + 1
    const startedAt = new Date().toISOString()
    this.run = {
      format: 1,
      seq,
      id: `${seq}-${randomBytes(3).toString('hex')}`,
      status: 'running',
      startedAt,
      pid: process.pid,
      host: hostname(),
      argv: facts.argv,
      wf: facts.wf,
      git: facts.git,
      phases: [],
      ...(facts.check ? { check: facts.check } : {}),
      prevHash: null,
    }
    this.ledger.lastSeq = seq
    this.ledger.wf = facts.wf
    this.ledger.active = { runId: this.run.id, seq, pid: process.pid, host: hostname(), startedAt }
    this.starting = undefined
    this.saving = undefined
    this.saveFailure = undefined
    this.unjournaled = []
    this.phaseIndex = new Map()
    return this.run
  }

  /**
   * Writes the started run and then the ledger naming it active, once, so a crash from now on is
   * recorded as interrupted; every caller returns only when both are on disk.
   */
  async flushStart(): Promise<void> {
    if (!this.run) return
    this.starting ??= this.saveRun()
      .then(() => this.save())
      .then(() => {
        this.nextSaveAt = Date.now() + SAVE_EVERY_MS
      })
    await this.starting
  }

  /**
   * Records a phase's result in the run and as the phase's latest state (and what it passed
   * with). `durable` results are written when this returns (appended to the run's journal, which
   * survives wf being killed and reaches the disk by group commit, see `IntentJournal.record`;
   * the next writer, and readers, replay it over ledger.json, which is rewritten at most every
   * SAVE_EVERY_MS and when the run ends); others (up to date, skipped, blocked: nothing ran) are
   * written with the next durable one or when the run ends.
   */
  async recordPhase(record: PhaseRecord, passed?: FingerprintRecord, durable = true): Promise<void> {
    const run = this.run
    if (!run) throw new Error('recordPhase before startRun')
    const index = this.phaseIndex.get(record.id)
    if (index !== undefined && run.phases[index]?.id === record.id) run.phases[index] = record
    else this.phaseIndex.set(record.id, run.phases.push(record) - 1)
    const key = ledgerKey(record.id, record.environment)
    this.ledger.phases[key] = record
    if (passed) this.ledger.passed[key] = passed
    for (const task of record.tasks ?? [])
      this.noteGenerated(task.generated ?? [], record.id, run.id, task.endedAt ?? new Date().toISOString())
    this.unjournaled.push({ result: record, ...(passed ? { passed } : {}) })
    if (this.saveFailure) throw this.saveFailure.error
    if (!durable) return
    await this.flushStart()
    const entries = this.unjournaled.splice(0)
    this.journal ??= { file: new IntentJournal(this.root, run.id, this.sync), intents: [] }
    await this.journal.file.record(entries).catch((error: unknown) => {
      throw ledgerWriteError(error, this.root, join(this.paths.dir, 'intents', `${run.id}.jsonl`), this.command)
    })
    if (this.saving || Date.now() < this.nextSaveAt) return
    // In the background: the phase is in the journal already, and the next phase need not wait for
    // a rewrite of the whole ledger. A rewrite the disk refused fails the next phase's record.
    const started = Date.now()
    this.saving = this.save().then(
      () => {
        // A big ledger takes long to write: never spend more than a tenth of the run rewriting it.
        this.nextSaveAt = Date.now() + Math.max(SAVE_EVERY_MS, 9 * (Date.now() - started))
        this.saving = undefined
      },
      (error: unknown) => {
        this.saveFailure = { error }
      },
    )
  }

  /**
   * Records a phase's `wf check` result in the run and as the phase's last check, never as its
   * latest state: a check runs no task and may look at some files only. Written when the run ends.
   */
  recordCheck(record: PhaseRecord): void {
    const run = this.run
    if (!run) throw new Error('recordCheck before startRun')
    const result = record.gatesOnly ? record : { ...record, gatesOnly: true }
    const index = this.phaseIndex.get(record.id)
    if (index !== undefined && run.phases[index]?.id === record.id) run.phases[index] = result
    else this.phaseIndex.set(record.id, run.phases.push(result) - 1)
    this.ledger.checks = {
      ...this.ledger.checks,
      [ledgerKey(record.id, record.environment)]: checkRecord(record, run.check),
    }
  }

  /** Ends the run: records the state it leaves, chains its hash to the previous record, indexes it, prunes old records. */
  async finishRun(status: RunStatus, endedAt = new Date().toISOString()): Promise<RunRecord> {
    const run = this.run
    if (!run) throw new Error('finishRun before startRun')
    run.status = status
    run.endedAt = endedAt
    run.prevHash = this.ledger.head
    // Files a task wrote before it failed are recorded too (they hold what wf intended), under this record.
    await this.adoptIntents(this.journal?.intents ?? [])
    // The phases the run recorded are entries the state digest covers: their JSON is made once for both hashes.
    const texts = new Map<unknown, string>()
    run.state = await this.nextState(texts)
    run.hash = hashRecord(run, texts)
    await this.saveRun()
    const noting = noteVerifiedHead(this.root, runFileName(run.seq), run.hash)
    this.ledger.recent = [...this.ledger.recent.filter((r) => r.seq !== run.seq), summarizeRun(run)].slice(-RECENT)
    this.ledger.head = run.hash
    this.ledger.active = null
    await this.save()
    await noting
    this.vouched(run.state)
    await this.removeJournal()
    await this.prune()
    await pruneBases(this.root, this.ledger.generated ?? {})
    this.run = undefined
    return run
  }

  private async prune(): Promise<void> {
    const keepFrom = this.ledger.lastSeq - this.ledger.history + 1
    for (const name of await readdir(this.paths.runs).catch(() => [] as string[])) {
      const seq = Number.parseInt(name, 10)
      if (RUN_FILE.test(name) && seq < keepFrom) await unlink(join(this.paths.runs, name)).catch(() => {})
    }
  }

  /** The content-hash cache of input files (losing it only costs time). */
  readHashCache(): Promise<Record<string, { size: number; mtimeMs: number; hash: string }>> {
    return readHashCache(this.root)
  }

  async writeHashCache(cache: object): Promise<void> {
    // A cache: losing it to a power cut (or to a full disk) only costs time, so it skips the fsync.
    const file = join(this.paths.dir, 'hashes.json')
    await new RepoBoundary(this.root)
      .writeFile(file, JSON.stringify(cache), { durable: false })
      .catch((error: unknown) => {
        if (!writeFailure(error)) throw error
      })
  }

  /** Records files written by `wf generate` or `wf contracts generate` (outside a run: in a `generate` record of the chain). */
  async recordGenerated(outputs: NonNullable<TaskRecord['generated']>, phase?: string): Promise<void> {
    const at = new Date().toISOString()
    if (this.run) {
      // Inside a run, the run's own record vouches for them when it ends.
      this.noteGenerated(outputs, phase, this.run.id, at)
      await this.save()
      return
    }
    await this.appendRecord('generate', (id) => {
      const generated = this.noteGenerated(outputs, phase, id, at)
      return Object.keys(generated).length > 0 ? { generated } : undefined
    })
    // The journal's files are recorded now (or were left unwritten): the next writer need not look.
    await this.removeJournal()
  }

  /** Remembers the hash of each file wf wrote (or found current), so a later hand edit shows as drift; returns the entries it wrote. */
  private noteGenerated(
    outputs: NonNullable<TaskRecord['generated']>,
    phase: string | undefined,
    runId: string,
    at: string,
  ): Record<string, GeneratedFile> {
    return noteGenerated(this.ledger, outputs, phase, runId, at)
  }

  /** Records an approval of a phase, bound to its current fingerprint, in an `approve` record of the chain. */
  async approve(phase: string, approval: ApprovalRecord): Promise<void> {
    if (this.run) {
      this.ledger.approvals = { ...this.ledger.approvals, [phase]: approval }
      await this.save()
      return
    }
    await this.appendRecord('approve', () => {
      this.ledger.approvals = { ...this.ledger.approvals, [phase]: approval }
      return { approvals: { [phase]: approval } }
    })
  }

  /**
   * Appends a finished record of a change made outside a run, with the same sequence, chain and
   * index as runs: `change` applies it to the ledger (given the record's id) and says what it
   * changed, or undefined when nothing changed. The record is written first; ledger.json, written
   * last, commits it (a record numbered past the ledger's `lastSeq` was never committed).
   */
  private async appendRecord(
    kind: Exclude<RecordKind, 'run'>,
    change: (id: string) => Pick<RunRecord, 'approvals' | 'generated'> | undefined,
  ): Promise<void> {
    const git = await new GitRepository(this.root).facts()
    const seq = this.ledger.lastSeq + 1
    const id = `${seq}-${randomBytes(3).toString('hex')}`
    const changed = change(id)
    if (!changed) return
    const at = new Date().toISOString()
    const record: RunRecord = {
      format: 1,
      seq,
      id,
      kind,
      status: 'passed',
      startedAt: at,
      endedAt: at,
      pid: process.pid,
      host: hostname(),
      argv: this.argv,
      wf: WF_VERSION,
      git,
      phases: [],
      ...changed,
      prevHash: this.ledger.head,
      state: await this.nextState(),
    }
    record.hash = hashRecord(record)
    await this.writes.write(join(this.paths.runs, runFileName(seq)), () => `${JSON.stringify(record, null, 1)}\n`)
    await noteVerifiedHead(this.root, runFileName(seq), record.hash)
    this.ledger.lastSeq = seq
    this.ledger.wf = WF_VERSION
    this.ledger.recent = [...this.ledger.recent, summarizeRun(record)].slice(-RECENT)
    this.ledger.head = record.hash
    await this.save()
    this.vouched(record.state!)
    await this.prune()
  }

  /** Releases the lock (a journal not yet settled stays on disk for the next writer). */
  async close(): Promise<void> {
    await this.journal?.file.close()
    await this.lock.release()
  }
}

/** The `recent` index entry of a finished run. */
export function summarizeRun(run: RunRecord): RunSummary {
  const counts = countStatuses(run.phases)
  return {
    seq: run.seq,
    id: run.id,
    status: run.status,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    commit: run.git.commit,
    counts,
    ...(run.kind && run.kind !== 'run' ? { kind: run.kind } : {}),
  }
}

/** The content-hash cache of input files, for readers; empty when missing or unreadable. */
export async function readHashCache(
  root: string,
): Promise<Record<string, { size: number; mtimeMs: number; hash: string }>> {
  try {
    return JSON.parse(await readFile(join(ledgerPaths(root).dir, 'hashes.json'), 'utf8'))
  } catch {
    return {}
  }
}

/** Where the kept run records leave off, for a new ledger: the last seq, the chain's head, a last run that never finished, and the index of the newest finished records. */
async function resumeChain(runsDir: string): Promise<Pick<Ledger, 'lastSeq' | 'head' | 'active' | 'recent'>> {
  const seqs = (await readdir(runsDir).catch(() => [] as string[]))
    .filter((n) => RUN_FILE.test(n))
    .map((n) => Number.parseInt(n, 10))
    .sort((a, b) => b - a)
  let active: Ledger['active'] = null
  let head: string | null = null
  const recent: RunSummary[] = []
  for (const seq of seqs) {
    if (recent.length === RECENT) break
    const run = await readRunFile(join(runsDir, runFileName(seq)))
    if (run?.hash) {
      head ??= run.hash
      recent.unshift(summarizeRun(run))
    } else if (run?.status === 'running' && seq === seqs[0])
      active = { runId: run.id, seq, pid: run.pid, host: run.host, startedAt: run.startedAt }
  }
  return { lastSeq: seqs[0] ?? 0, head, active, recent }
}

/** The state the ledger's head record (the kept record whose hash is the ledger's head) vouches for, when it carries one. */
async function readHeadState(runsDir: string, ledger: Ledger): Promise<StateDigest | undefined> {
  if (ledger.head === null) return undefined
  const newest = ledger.recent.at(-1)?.seq
  let head = newest === undefined ? undefined : await readRunFile(join(runsDir, runFileName(newest)))
  if (head?.hash !== ledger.head) {
    head = undefined
    const names = (await readdir(runsDir).catch(() => [] as string[])).filter((n) => RUN_FILE.test(n)).sort()
    for (const name of names.reverse()) {
      const run = await readRunFile(join(runsDir, name))
      if (run?.hash === ledger.head) {
        head = run
        break
      }
    }
  }
  // Its hash is not recomputed: one who can rewrite the head record can rewrite its hash and the ledger's head too.
  return head?.state
}

/**
 * What is wrong with the record of the ledger's last finished run (the one its `head` names), if
 * anything: missing, not JSON, or not matching its own hash or the head. A writer refuses to go on
 * from it; readers show it.
 */
export async function headRecordProblem(
  root: string,
  ledger: Ledger,
  options: { note?: boolean } = {},
): Promise<string | undefined> {
  if (ledger.head === null) return undefined
  const runs = ledgerPaths(root).runs
  // Records past lastSeq, and the active run's, are runs the ledger has not counted yet.
  const seq = (await readdir(runs).catch(() => [] as string[]))
    .filter((n) => RUN_FILE.test(n))
    .map((n) => Number.parseInt(n, 10))
    .filter((n) => n <= ledger.lastSeq && n !== ledger.active?.seq)
    .reduce((a, b) => Math.max(a, b), 0)
  if (seq === 0) return 'ledger.json names a last run, but .wf/runs/ holds no record of it'
  // The record a writer hashed (writing it, or here), its file unchanged since: hashing it again finds the same.
  if (await isVerifiedHead(root, runFileName(seq), ledger.head)) return undefined
  const name = `.wf/runs/${runFileName(seq)}`
  let run: RunRecord
  try {
    run = JSON.parse(await readFile(join(runs, runFileName(seq)), 'utf8'))
  } catch (error) {
    return `${name}, the record of the last run, is not valid JSON (${(error as Error).message})`
  }
  if (run.hash === undefined || hashRecord(run) !== run.hash)
    return `${name}, the record of the last run, was changed after it was written (its hash does not match its content)`
  if (run.hash !== ledger.head) return `ledger.json's head does not match ${name}, the record of the last run`
  if (options.note) await noteVerifiedHead(root, runFileName(seq), run.hash)
  return undefined
}

/** A writer's refusal to build on a ledger whose last run record does not verify, with the way out. */
function damagedLedgerError(root: string, problem: string): WfError {
  const dir = ledgerPaths(root).dir
  const aside = `${dir}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`
  return new WfError('WF_LEDGER_DAMAGED', `${problem}; wf will not add runs to a ledger that does not verify`, {
    hint: `run \`wf ledger verify\` to see every problem; then restore .wf/ from a copy, or move it aside to start a new ledger: mv ${shellQuote(dir)} ${shellQuote(aside)}`,
  })
}

const shellQuote = (text: string) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`)

/** A write of the ledger's files that the disk refused, as WF_LEDGER_WRITE (exit 3) naming the file; other errors unchanged. */
function ledgerWriteError(error: unknown, root: string, path: string | undefined, command: string): unknown {
  const cause = (error instanceof WfError ? error.cause : error) as NodeJS.ErrnoException | undefined
  const target = path ?? cause?.path
  return (
    writeFailure(error, {
      code: 'WF_LEDGER_WRITE',
      file: target === undefined ? undefined : relative(root, target),
      state: 'the ledger was left as it was before this write',
      command,
    }) ?? error
  )
}

async function readRunFile(path: string): Promise<RunRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as RunRecord
  } catch {
    return undefined
  }
}
