import { mkdir, readFile, readdir, realpath, stat } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { WfError } from '../../lib/errors.js'
import { hashRecord } from '../hash-record.js'
import {
  LEDGER_FORMAT,
  RECENT,
  RUN_FILE,
  readLedgerDir,
  runFileName,
  summarizeRun,
  type ApprovalRecord,
  type FingerprintRecord,
  type GeneratedFile,
  type Ledger,
  type PhaseRecord,
  type RunRecord,
} from '../ledger.js'
import { ledgerKey } from '../environment-key.js'
import { acquireLock } from '../lock.js'
import { finishMerge, stageMerge } from './merge-journal.js'
import { stateDigest } from '../state-digest.js'
import { verifyLedgerDir } from '../verify-ledger.js'

export interface MergeLedgersOptions {
  /**
   * What to merge, resolved against `cwd`: ledger.json files, ledger folders (holding ledger.json
   * and runs/), repositories (their .wf/), or folders whose subfolders are any of those (the
   * layout `actions/download-artifact` leaves).
   */
  sources: string[]
  /** The ledger folder to write (created when missing); a ledger already there is merged too. */
  into: string
  cwd: string
  wf: string
  lockTimeoutMs: number
  /** Run records to keep; default: the largest history of the merged ledgers. */
  history?: number
}

export interface MergeLedgersResult {
  into: string
  /** The ledger folders that were read, as given or found. */
  sources: string[]
  /** Runs in the merged history (kept in runs/). */
  runs: number
  /** Runs found in more than one ledger and kept once. */
  duplicates: number
  phases: { id: string; status: PhaseRecord['status']; runId: string }[]
}

interface Source {
  label: string
  ledger: Ledger
  runs: RunRecord[]
}

/**
 * Merges ledgers written by parallel jobs into one: every run once, re-sequenced by start time
 * with the hash chain rebuilt; each phase's latest result; the newest passed fingerprint, approval
 * and generated-file record of each. A ledger whose history does not verify is refused. The
 * result is written under the target's lock and verified again.
 */
export async function mergeLedgers(options: MergeLedgersOptions): Promise<MergeLedgersResult> {
  const into = resolve(options.cwd, options.into)
  const found = await findLedgerDirs(options.sources.map((s) => resolve(options.cwd, s)))
  await mkdir(into, { recursive: true })
  const target = await realpath(into)
  const lock = await acquireLock(join(into, 'lock'), { timeoutMs: options.lockTimeoutMs, command: 'wf ledger merge' })
  try {
    // A merge into this folder that was killed: finish it (or drop it) before reading the folder.
    await finishMerge(into)
    const sources: Source[] = []
    const seen = new Set<string>()
    for (const dir of [into, ...found]) {
      const real = await realpath(dir)
      if (seen.has(real)) continue
      seen.add(real)
      const label = relative(options.cwd, dir) || '.'
      const source = await readSource(dir, label, options.wf, real === target)
      if (source) sources.push(source)
    }
    if (sources.length === 0)
      throw new WfError('WF_USAGE', 'nothing to merge: no ledger was found', {
        hint: 'name ledger.json files or the folders holding them',
      })
    const merged = combine(sources, options)
    await writeMerged(into, merged)
    const check = await verifyLedgerDir(into, options.wf)
    if (!check.ok)
      throw new WfError('WF_INTERNAL', `the merged ledger in ${into} does not verify: ${check.problems.join('; ')}`)
    return {
      into,
      sources: sources.map((s) => s.label),
      runs: merged.runs.length,
      duplicates: merged.duplicates,
      phases: Object.values(merged.ledger.phases)
        .filter((p): p is PhaseRecord => p !== undefined)
        .map(({ id, status, runId }) => ({ id, status, runId }))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    }
  } finally {
    await lock.release()
  }
}

/** Expands the arguments into ledger folders, in the order given (subfolders by name). */
async function findLedgerDirs(paths: string[]): Promise<string[]> {
  const dirs: string[] = []
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined)
    if (!info)
      throw new WfError('WF_USAGE', `${path}: no such file or folder`, {
        hint: 'name ledger.json files, or folders holding ledger.json (such as .wf)',
      })
    if (info.isFile()) {
      if (!path.endsWith('ledger.json'))
        throw new WfError('WF_USAGE', `${path} is not a ledger.json file`, {
          hint: 'name a ledger.json file, or the folder holding it and its runs/',
        })
      dirs.push(resolve(path, '..'))
      continue
    }
    const own = await ledgerIn(path)
    if (own) {
      dirs.push(own)
      continue
    }
    const children = (await readdir(path, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
    const nested: string[] = []
    for (const name of children) {
      const dir = await ledgerIn(join(path, name))
      if (dir) nested.push(dir)
    }
    if (nested.length === 0)
      throw new WfError(
        'WF_USAGE',
        `no ledger in ${path}: expected ledger.json, .wf/ledger.json, or folders holding one`,
      )
    dirs.push(...nested)
  }
  return dirs
}

async function ledgerIn(dir: string): Promise<string | undefined> {
  for (const candidate of [dir, join(dir, '.wf')]) {
    if ((await stat(join(candidate, 'ledger.json')).catch(() => undefined))?.isFile()) return candidate
  }
  return undefined
}

/** Reads and verifies one ledger folder with its run records; a run it left unfinished is closed as interrupted. */
async function readSource(dir: string, label: string, wf: string, isTarget: boolean): Promise<Source | undefined> {
  let ledger: Ledger
  try {
    const read = await readLedgerDir(dir, wf)
    if (!read.exists) {
      if (isTarget) return undefined
      throw new WfError('WF_USAGE', `${label}: no ledger.json`)
    }
    ledger = read.ledger
  } catch (error) {
    if (error instanceof WfError && error.code === 'WF_LEDGER_UNREADABLE')
      throw new WfError('WF_LEDGER_UNREADABLE', `cannot merge ${label}: ${error.message}`, { hint: error.hint })
    throw error
  }
  const check = await verifyLedgerDir(dir, wf)
  if (!check.ok) {
    throw new WfError(
      'WF_FAILED',
      `refusing to merge ${label}: its history does not verify:\n  - ${check.problems.join('\n  - ')}`,
      {
        hint: `\`wf ledger verify\` in the repository that wrote it lists the same problems; merge only ledgers as wf wrote them${isTarget ? ' (or remove the target ledger)' : ''}`,
      },
    )
  }
  const runs: RunRecord[] = []
  const runsDir = join(dir, 'runs')
  for (const name of (await readdir(runsDir).catch(() => [] as string[])).filter((n) => RUN_FILE.test(n)).sort()) {
    const run = JSON.parse(await readFile(join(runsDir, name), 'utf8')) as RunRecord
    if (run.hash !== undefined) runs.push(run)
    else if (ledger.active?.runId === run.id) runs.push(closeInterrupted(run, ledger))
    // Any other unfinished record died before the ledger counted it: nothing refers to it.
  }
  const finished = runs.find((r) => r.id === ledger.active?.runId && r.hash !== undefined)
  if (finished) {
    // The run wrote its finished record but died before the ledger caught up: the record is the truth.
    for (const phase of finished.phases) {
      const key = ledgerKey(phase.id, phase.environment)
      if (ledger.phases[key]?.runId === finished.id) ledger.phases[key] = phase
    }
  }
  if (ledger.active && !runs.some((r) => r.id === ledger.active!.runId)) {
    // The active run's record is missing: its phases still show what they did.
    for (const phase of Object.values(ledger.phases))
      if (phase?.runId === ledger.active.runId && phase.status === 'running') interrupt(phase, ledger.active.startedAt)
  }
  return { label, ledger, runs }
}

function interrupt(phase: PhaseRecord, at: string): void {
  Object.assign(phase, {
    status: 'interrupted',
    endedAt: phase.endedAt ?? at,
    reason: 'wf stopped while this phase ran',
  })
}

/** A run that was still going when its ledger was copied (a job cancelled or timed out): recorded as interrupted. */
function closeInterrupted(run: RunRecord, ledger: Ledger): RunRecord {
  const mine = Object.values(ledger.phases).filter((p): p is PhaseRecord => p?.runId === run.id)
  const endedAt =
    mine
      .map((p) => p.endedAt ?? p.startedAt ?? run.startedAt)
      .sort()
      .at(-1) ?? run.startedAt
  for (const phase of mine) if (phase.status === 'running') interrupt(phase, endedAt)
  return { ...run, status: 'interrupted', endedAt, phases: mine }
}

interface Merged {
  ledger: Ledger
  runs: RunRecord[]
  duplicates: number
}

/** Numbers the runs anew, and their ids (`SEQ-SUFFIX`) with them, in every record that names them; returns the new ids. */
function renumber(sources: Source[], runs: RunRecord[]): Map<string, string> {
  const newIds = new Map<string, string>()
  for (const [index, run] of runs.entries())
    newIds.set(identity(run), `${index + 1}-${run.id.slice(run.id.indexOf('-') + 1)}`)
  for (const source of sources) {
    const rename = new Map(source.runs.map((run) => [run.id, newIds.get(identity(run))!]))
    const renamed = (id: string) => rename.get(id) ?? id
    for (const record of runReferences(source)) if (record.runId !== undefined) record.runId = renamed(record.runId)
  }
  return newIds
}

/** The pure part: one ledger and one hash-chained history out of several. */
function combine(sources: Source[], options: MergeLedgersOptions): Merged {
  // The same run is copied into several ledgers when a job merges the ledgers of the jobs it needs.
  const byIdentity = new Map<string, RunRecord>()
  let duplicates = 0
  for (const source of sources) {
    for (const run of source.runs) {
      if (byIdentity.has(identity(run))) duplicates++
      else byIdentity.set(identity(run), run)
    }
  }
  const runs = [...byIdentity.values()].sort(
    (a, b) => compare(a.startedAt, b.startedAt) || compare(a.endedAt ?? '', b.endedAt ?? '') || compare(a.id, b.id),
  )
  const newIds = renumber(sources, runs)
  let prevHash: string | null = null
  for (const [index, run] of runs.entries()) {
    run.id = newIds.get(identity(run))!
    run.seq = index + 1
    run.prevHash = prevHash
    run.hash = hashRecord(run)
    prevHash = run.hash
  }
  const byId = new Map(runs.map((r) => [r.id, r]))
  const seqOf = new Map(runs.map((r) => [r.id, r.seq]))
  const when = (record: PhaseRecord) =>
    record.endedAt ?? record.startedAt ?? byId.get(record.runId)?.endedAt ?? byId.get(record.runId)?.startedAt ?? ''
  const phases = latest(
    sources.map((s) => s.ledger.phases),
    (a, b) => compare(when(a), when(b)) || (seqOf.get(a.runId) ?? 0) - (seqOf.get(b.runId) ?? 0),
  )
  const checks = latest(
    sources.map((s) => s.ledger.checks ?? {}),
    (a, b) => compare(when(a), when(b)) || (seqOf.get(a.runId) ?? 0) - (seqOf.get(b.runId) ?? 0),
  )
  const byAt = (a: { at: string }, b: { at: string }) => compare(a.at, b.at)
  const passed = latest<FingerprintRecord>(
    sources.map((s) => s.ledger.passed),
    byAt,
  )
  const approvals = latest<ApprovalRecord>(
    sources.map((s) => s.ledger.approvals ?? {}),
    byAt,
  )
  const generated = latest<GeneratedFile>(
    sources.map((s) => s.ledger.generated ?? {}),
    byAt,
  )
  const history = options.history ?? Math.max(...sources.map((s) => s.ledger.history))
  const kept = runs.slice(-history)
  const ledger: Ledger = {
    format: LEDGER_FORMAT,
    wf: options.wf,
    updatedAt: new Date().toISOString(),
    history,
    lastSeq: runs.length,
    head: runs.at(-1)?.hash ?? null,
    active: null,
    phases,
    passed,
    recent: kept.slice(-RECENT).map(summarizeRun),
    ...(Object.keys(approvals).length ? { approvals } : {}),
    ...(Object.keys(generated).length ? { generated } : {}),
    ...(Object.keys(checks).length ? { checks } : {}),
  }
  // A phase's latest state is the very object its run holds, so the two cannot drift apart.
  for (const run of kept)
    run.phases = run.phases.map((p) => (phases[p.id] && phases[p.id]!.runId === run.id ? phases[p.id]! : p))
  vouchForMerged(ledger, kept)
  return { ledger, runs: kept, duplicates }
}

/** Each object of a source that names a run by id, once (a phase's latest state is also part of its run). */
function runReferences(source: Source): Set<{ runId?: string }> {
  return new Set<{ runId?: string }>(
    [
      ...Object.values(source.ledger.phases),
      ...Object.values(source.ledger.passed),
      ...Object.values(source.ledger.checks ?? {}),
      ...source.runs.flatMap((r) => r.phases),
      ...Object.values(source.ledger.generated ?? {}),
      ...source.runs.flatMap((r) => Object.values(r.generated ?? {})),
    ].filter((r) => r !== undefined),
  )
}

/** The merged ledger is a new state: its newest record vouches for all of it. */
function vouchForMerged(ledger: Ledger, kept: RunRecord[]): void {
  const head = kept.at(-1)
  if (!head) return
  head.state = stateDigest(ledger)
  head.hash = hashRecord(head)
  ledger.head = head.hash
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** What tells runs apart: the process that made it, and when it started. */
function identity(run: RunRecord): string {
  return `${run.startedAt} ${run.host} ${run.pid}`
}

/** Per key, the entry that sorts last (the first one met wins a tie), keys sorted. */
function latest<T>(maps: Record<string, T | undefined>[], order: (a: T, b: T) => number): Record<string, T> {
  const best: Record<string, T> = {}
  for (const map of maps) {
    for (const [key, value] of Object.entries(map)) {
      if (value === undefined) continue
      const current = best[key]
      if (current === undefined || order(value, current) > 0) best[key] = value
    }
  }
  return Object.fromEntries(
    Object.keys(best)
      .sort()
      .map((k) => [k, best[k]!]),
  )
}

/** Writes the merged ledger through the merge journal: staged whole, committed, then moved into place. */
async function writeMerged(into: string, merged: Merged): Promise<void> {
  const runs = new Map(merged.runs.map((run) => [runFileName(run.seq), `${JSON.stringify(run, null, 1)}\n`]))
  await stageMerge(into, runs, `${JSON.stringify(merged.ledger, null, 1)}\n`)
  await finishMerge(into)
}
