import { randomBytes } from 'node:crypto'
import { mkdir, readFile, readdir, rename, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { WfError } from '../lib/errors.js'
import { writeFileAtomic } from '../lib/atomic-write.js'
export { ledgerPaths, RUN_FILE, runFileName } from './paths.js'
import { hashRecord } from './hash-record.js'
import { adoptIntents, type Intent, IntentJournal, readIntents, removeIntents, toIntents } from './intents.js'
import type {
  ApprovalRecord,
  FingerprintRecord,
  GeneratedOutput,
  GitFacts,
  Ledger,
  PhaseRecord,
  RunRecord,
  RunStatus,
  RunSummary,
  TaskRecord,
} from './ledger.generated.js'
import { acquireLock, isProcessAlive, type Lock } from './lock.js'
import { finishMerge } from './merge/merge-journal.js'
import { ledgerPaths, RUN_FILE, runFileName } from './paths.js'
import { countStatuses } from './statuses.js'
import validateLedger from './validate-ledger.generated.js'

export type {
  ApprovalRecord,
  FingerprintInputs,
  FingerprintRecord,
  GateRecord,
  GeneratedFile,
  GitFacts,
  Ledger,
  PhaseRecord,
  PhaseStatus,
  ResultLocation,
  RunRecord,
  RunStatus,
  RunSummary,
  TaskRecord,
} from './ledger.generated.js'

/** The ledger format this version of wf writes. */
export const LEDGER_FORMAT = 1
/** Run records kept in .wf/runs/ unless the plan says otherwise. */
export const DEFAULT_HISTORY = 100
/** How many runs the ledger's `recent` index keeps (full records stay in .wf/runs/). */
export const RECENT = 10

/** Upgrades a ledger of format N to N+1; there is one entry per past format. */
export type Migration = (old: Record<string, unknown>) => Record<string, unknown>
export const MIGRATIONS: Record<number, Migration> = {}

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

type ReadResult = { ledger: Ledger } | { missing: true } | { corrupt: string }

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
  return { ledger: data as unknown as Ledger }
}

/** The ledger as it is on disk, for commands that only read (no lock; writes are atomic renames). */
export async function readLedger(root: string, wf: string): Promise<{ ledger: Ledger; exists: boolean }> {
  const result = await readLedgerFile(ledgerPaths(root).ledger, MIGRATIONS)
  if ('corrupt' in result) {
    throw new WfError('WF_LEDGER_UNREADABLE', `.wf/ledger.json is corrupt: ${result.corrupt}`, {
      hint: 'the next `wf run` moves it aside to .wf/ledger.json.corrupt-<time> and starts a new one',
    })
  }
  if ('missing' in result) return { ledger: emptyLedger(wf), exists: false }
  return { ledger: result.ledger, exists: true }
}

/** The ledger in a ledger folder (a repository's `.wf/` or a copy of one): like `readLedger`, for a folder named by path. */
export async function readLedgerDir(dir: string, wf: string): Promise<{ ledger: Ledger; exists: boolean }> {
  const file = join(dir, 'ledger.json')
  const result = await readLedgerFile(file, MIGRATIONS)
  if ('corrupt' in result) throw new WfError('WF_LEDGER_UNREADABLE', `${file} is corrupt: ${result.corrupt}`)
  if ('missing' in result) return { ledger: emptyLedger(wf), exists: false }
  return { ledger: result.ledger, exists: true }
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
  history?: number
  migrations?: Record<number, Migration>
}

/**
 * The one writer of a repository's ledger: holds the lock from `openLedger` to `close`. Every
 * change is written atomically; ledger.json is written last, so it is the commit point.
 */
export class LedgerWriter {
  private run?: RunRecord
  private started = false
  /** This writer's intent journal, once it has written one, and what it holds. */
  private journal?: { file: IntentJournal; intents: Intent[] }
  readonly warnings: string[] = []

  private constructor(
    readonly root: string,
    private readonly lock: Lock,
    public ledger: Ledger,
  ) {}

  /** Takes the lock, reads (or starts) the ledger, moves a corrupt one aside, and records a run that died as interrupted. */
  static async open(root: string, options: OpenLedgerOptions): Promise<LedgerWriter> {
    const paths = ledgerPaths(root)
    await mkdir(paths.runs, { recursive: true })
    const lock = await acquireLock(paths.lock, { timeoutMs: options.lockTimeoutMs, command: options.command })
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
      const writer = new LedgerWriter(root, lock, ledger)
      writer.warnings.push(...warnings)
      await writer.cleanTempFiles()
      // Files a writer that died had renamed into place are its output, whether it recorded them or not.
      const leftover = await readIntents(root)
      const adopted = await writer.adoptIntents(leftover.flatMap((journal) => journal.intents))
      if (ledger.active) await writer.closeInterrupted()
      else if (adopted) await writer.save()
      await removeIntents(
        root,
        leftover.map((journal) => journal.name),
      )
      return writer
    } catch (error) {
      await lock.release()
      throw error
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

  /** Records the run that held the ledger before us and died, and the phases it left running, as interrupted. */
  private async closeInterrupted(): Promise<void> {
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
      await this.adoptFinishedRun(run)
    } else if (run) {
      // ledger.json is written after every phase; the run file only at the start and the end.
      run.phases = mine
      this.run = run
      await this.finishRun('interrupted', now)
    } else {
      this.ledger.active = null
      this.warnings.push(`run ${active.runId} died before its record was written`)
      await this.save()
    }
  }

  /** Completes the ledger's side of a run whose record was written in full. */
  private async adoptFinishedRun(run: RunRecord): Promise<void> {
    for (const phase of run.phases)
      if (this.ledger.phases[phase.id]?.runId === run.id) this.ledger.phases[phase.id] = phase
    this.ledger.recent = [...this.ledger.recent.filter((r) => r.seq !== run.seq), summarizeRun(run)].slice(-RECENT)
    this.ledger.head = run.hash!
    this.ledger.active = null
    await this.save()
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
    this.journal ??= { file: new IntentJournal(this.root, name), intents: [] }
    this.journal.intents.push(...intents)
    await this.journal.file.write(intents)
  }

  /** Removes this writer's journal: called once the ledger on disk holds what it intended. */
  private async removeJournal(): Promise<void> {
    if (!this.journal) return
    const { file } = this.journal
    this.journal = undefined
    await file.close()
    await removeIntents(this.root, [file.name])
  }

  private async save(): Promise<void> {
    this.ledger.updatedAt = new Date().toISOString()
    await writeFileAtomic(this.paths.ledger, `${JSON.stringify(this.ledger, null, 1)}\n`)
  }

  private async saveRun(): Promise<void> {
    const run = this.run!
    await writeFileAtomic(join(this.paths.runs, runFileName(run.seq)), `${JSON.stringify(run, null, 1)}\n`)
  }

  /**
   * Starts a run record (status running). It goes to disk, marked active in the ledger, with the
   * first phase that does work (`flushStart`); a run in which everything is up to date writes
   * only its end.
   */
  async startRun(facts: { wf: string; git: GitFacts; argv: string[] }): Promise<RunRecord> {
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
      prevHash: null,
    }
    this.ledger.lastSeq = seq
    this.ledger.wf = facts.wf
    this.ledger.active = { runId: this.run.id, seq, pid: process.pid, host: hostname(), startedAt }
    this.started = false
    return this.run
  }

  /** Writes the started run and the ledger naming it active, once, so a crash from now on is recorded as interrupted. */
  async flushStart(): Promise<void> {
    if (this.started || !this.run) return
    this.started = true
    await this.saveRun()
    await this.save()
  }

  /**
   * Records a phase's result in the run and as the phase's latest state (and what it passed
   * with). `durable` results are on disk when this returns; others (up to date, skipped,
   * blocked: nothing ran) are written with the next durable one or when the run ends.
   */
  async recordPhase(record: PhaseRecord, passed?: FingerprintRecord, durable = true): Promise<void> {
    const run = this.run
    if (!run) throw new Error('recordPhase before startRun')
    const index = run.phases.findIndex((p) => p.id === record.id)
    if (index >= 0) run.phases[index] = record
    else run.phases.push(record)
    this.ledger.phases[record.id] = record
    if (passed) this.ledger.passed[record.id] = passed
    for (const task of record.tasks ?? [])
      this.noteGenerated(task.generated ?? [], record.id, task.endedAt ?? new Date().toISOString())
    if (!durable) return
    if (!this.started) await this.flushStart()
    else await this.save()
  }

  /** Ends the run: chains its hash to the previous run, indexes it, prunes old run records. */
  async finishRun(status: RunStatus, endedAt = new Date().toISOString()): Promise<RunRecord> {
    const run = this.run
    if (!run) throw new Error('finishRun before startRun')
    run.status = status
    run.endedAt = endedAt
    run.prevHash = this.ledger.head
    run.hash = hashRecord(run)
    await this.saveRun()
    this.ledger.recent = [...this.ledger.recent.filter((r) => r.seq !== run.seq), summarizeRun(run)].slice(-RECENT)
    this.ledger.head = run.hash
    this.ledger.active = null
    // Files a task wrote before it failed are recorded too: they hold what wf intended.
    await this.adoptIntents(this.journal?.intents ?? [])
    await this.save()
    await this.removeJournal()
    await this.prune()
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
    // A cache: losing it to a power cut only costs time, so it skips the fsync.
    await writeFileAtomic(join(this.paths.dir, 'hashes.json'), JSON.stringify(cache), { durable: false })
  }

  /** Records files written by `wf generate` or `wf contracts generate` (outside a run). */
  async recordGenerated(outputs: NonNullable<TaskRecord['generated']>, phase?: string): Promise<void> {
    this.noteGenerated(outputs, phase, new Date().toISOString())
    await this.adoptIntents(this.journal?.intents ?? [])
    await this.save()
    await this.removeJournal()
  }

  /** Remembers the hash of each file wf wrote (or found current), so a later hand edit shows as drift. */
  private noteGenerated(outputs: NonNullable<TaskRecord['generated']>, phase: string | undefined, at: string): void {
    for (const output of outputs) {
      if (output.action === 'drifted' || output.action === 'kept') continue
      this.ledger.generated ??= {}
      this.ledger.generated[output.path] = { hash: output.hash, source: output.source, ...(phase ? { phase } : {}), at }
    }
  }

  /** Records an approval of a phase, bound to its current fingerprint. */
  async approve(phase: string, approval: ApprovalRecord): Promise<void> {
    this.ledger.approvals = { ...this.ledger.approvals, [phase]: approval }
    await this.save()
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

/** Where the kept run records leave off, for a new ledger: the last seq, the chain's head, and a last run that never finished. */
async function resumeChain(runsDir: string): Promise<Pick<Ledger, 'lastSeq' | 'head' | 'active'>> {
  const seqs = (await readdir(runsDir).catch(() => [] as string[]))
    .filter((n) => RUN_FILE.test(n))
    .map((n) => Number.parseInt(n, 10))
    .sort((a, b) => b - a)
  let active: Ledger['active'] = null
  for (const seq of seqs) {
    const run = await readRunFile(join(runsDir, runFileName(seq)))
    if (run?.hash) return { lastSeq: seqs[0]!, head: run.hash, active }
    if (run?.status === 'running' && seq === seqs[0])
      active = { runId: run.id, seq, pid: run.pid, host: run.host, startedAt: run.startedAt }
  }
  return { lastSeq: seqs[0] ?? 0, head: null, active }
}

async function readRunFile(path: string): Promise<RunRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as RunRecord
  } catch {
    return undefined
  }
}
