// The intent journal: before wf renames generated files into place it appends what it is about to
// write to .wf/intents/<journal>.jsonl (a plain write, no fsync). A writer that dies between a rename and the
// ledger write leaves its journal behind; the next writer records every file that holds what was
// intended as wf's own output, so it is not taken for a hand edit. Journals are written only under
// the ledger's lock, so a journal the next lock holder finds belongs to a writer that is gone.
// A run's journal (named after the run) also holds each phase result, written as it finishes and
// synced by group commit: ledger.json is rewritten only now and then during a run, and the next
// writer (or a reader of a ledger whose run is active) replays the journal over it.
import { closeSync, constants, fdatasync, openSync, writeFileSync } from 'node:fs'
import { readdir, readFile, unlink } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { sha256 } from '../lib/files.js'
import { RepoBoundary } from '../lib/inside-repo.js'
import { isInside } from '../lib/paths.js'
import type { FingerprintRecord, GeneratedFile, GeneratedOutput, PhaseRecord } from './ledger.generated.js'
import { ledgerPaths } from './paths.js'

/** One file wf is about to rename into place, and what will be in it. */
export interface Intent {
  /** Repository-relative, with `/`. */
  path: string
  /** sha256 (hex) of the content. */
  hash: string
  /** sha256 (hex) of what the generator rendered, when the file holds a merge (the record's `base`). */
  base?: string
  source: string
  phase?: string
  runId?: string
  /** The writing process: its temp files are named after it. */
  pid: number
  at: string
}

/**
 * A phase result a run appended to its journal (named after the run): ledger.json is rewritten
 * only now and then during a run, so the journal is where a finished phase is durable first.
 */
export interface PhaseEntry {
  result: PhaseRecord
  passed?: FingerprintRecord
}

/** A journal found in .wf/intents/: its name, and the intents and phase results that could be read from it. */
export interface Journal {
  name: string
  intents: Intent[]
  phases: PhaseEntry[]
}

const JOURNAL = /^(.+)\.jsonl$/

type OutputFacts = Pick<GeneratedOutput, 'path' | 'action' | 'hash' | 'base' | 'source' | 'markers'>

/** Whether a generator's output is a file wf writes: created, updated, replaced, merged, or written with conflict markers. */
export function writes(output: Pick<GeneratedOutput, 'action' | 'markers'>): boolean {
  const { action } = output
  return (
    action === 'created' ||
    action === 'updated' ||
    action === 'overwritten' ||
    action === 'merged' ||
    (action === 'conflicted' && output.markers === true)
  )
}

/** Whether an output is recorded as wf's: a file it writes or found current (not one it left edited by hand). */
export function wroteOrFound(output: Pick<GeneratedOutput, 'action' | 'markers'>): boolean {
  return writes(output) || output.action === 'unchanged'
}

/** The intents for outputs a writer is about to write. */
export function toIntents(outputs: readonly OutputFacts[], facts: { phase?: string; runId?: string }): Intent[] {
  const at = new Date().toISOString()
  const { phase, runId } = facts
  return outputs.filter(writes).map(({ path, hash, base, source }) => ({
    path,
    hash,
    ...(base ? { base } : {}),
    source,
    ...(phase ? { phase } : {}),
    ...(runId ? { runId } : {}),
    pid: process.pid,
    at,
  }))
}

const intentsDir = (root: string) => join(ledgerPaths(root).dir, 'intents')

/** Flushes a file's data to the disk (fdatasync); tests pass their own to hold or fail syncs. */
export type SyncFile = (fd: number) => Promise<void>

const fdatasyncFile: SyncFile = (fd) =>
  new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())))

/**
 * One writer's journal, open while it writes. Each append is written at once, before the caller
 * renames anything, without an fsync: like the generated files it guards (written without one, as
 * wf can recreate them), it survives the writer being killed, and a power cut that loses it costs
 * at worst a file reported as edited by hand, never a lost edit.
 */
export class IntentJournal {
  private fd?: number
  /** The sync in flight, if any; it loops while results were appended after it began. */
  private syncing?: Promise<void>
  private unsynced = false
  private failure?: { error: unknown }

  constructor(
    private readonly root: string,
    readonly name: string,
    private readonly sync: SyncFile = fdatasyncFile,
  ) {}

  /** Appends intents; they are in the file (for any later reader) when this returns. */
  async write(intents: readonly Intent[]): Promise<void> {
    if (intents.length === 0) return
    this.fd ??= openJournal(this.root, this.name)
    writeFileSync(this.fd, intents.map((intent) => `${JSON.stringify(intent)}\n`).join(''))
  }

  /**
   * Appends phase results: they are in the file (for any later reader, and for the next writer
   * after this process is killed) when this returns. They reach the disk by group commit: one
   * fdatasync at a time, each covering every result appended before it began, so phases that end
   * while a sync is in flight share the next one and a chain of phases never waits for the disk.
   * A sync that failed fails the next append (and `synced`).
   */
  async record(entries: readonly PhaseEntry[]): Promise<void> {
    if (this.failure) throw this.failure.error
    if (entries.length === 0) return
    this.fd ??= openJournal(this.root, this.name)
    writeFileSync(this.fd, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''))
    this.unsynced = true
    this.syncing ??= this.syncAll(this.fd)
  }

  /** Resolves once every phase result appended so far is on disk; rejects if a sync failed. */
  async synced(): Promise<void> {
    while (this.syncing) await this.syncing
    if (this.failure) throw this.failure.error
  }

  private async syncAll(fd: number): Promise<void> {
    try {
      while (this.unsynced && !this.failure) {
        this.unsynced = false
        await this.sync(fd)
      }
    } catch (error) {
      this.failure = { error }
    } finally {
      this.syncing = undefined
    }
  }

  /**
   * Closes the journal file (it stays on disk) once what was appended is synced; `discard`: the
   * caller is about to remove it, so only a sync in flight is waited for.
   */
  async close(options: { discard?: boolean } = {}): Promise<void> {
    if (options.discard) this.unsynced = false
    await this.synced().catch(() => {})
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }
}

function openJournal(root: string, name: string): number {
  const path = join(intentsDir(root), `${name}.jsonl`)
  return new RepoBoundary(root).inFolderSync(path, (at) =>
    openSync(at, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o666),
  )
}

/** Every journal left in .wf/intents/; a line that does not parse (the torn end of one) is skipped. */
export async function readIntents(root: string): Promise<Journal[]> {
  const names = await readdir(intentsDir(root)).catch(() => [] as string[])
  const journals: Journal[] = []
  for (const file of names) {
    const name = JOURNAL.exec(file)?.[1]
    if (!name) continue
    journals.push({ name, ...parseJournal(await readFile(join(intentsDir(root), file), 'utf8').catch(() => '')) })
  }
  return journals
}

/** The phase results in the journal of run `runId` in a ledger folder (`.wf/` or a copy), if it left one (for readers of a ledger whose run is active). */
export async function readPhaseEntries(ledgerDir: string, runId: string): Promise<PhaseEntry[]> {
  if (!/^[\w-]+$/.test(runId)) return []
  const text = await readFile(join(ledgerDir, 'intents', `${runId}.jsonl`), 'utf8').catch(() => '')
  return parseJournal(text).phases
}

function parseJournal(text: string): Omit<Journal, 'name'> {
  const intents: Intent[] = []
  const phases: PhaseEntry[] = []
  for (const line of text.split('\n')) {
    try {
      const entry = JSON.parse(line) as Intent & Partial<PhaseEntry>
      if (typeof entry?.path === 'string' && typeof entry.hash === 'string' && typeof entry.source === 'string')
        intents.push(entry)
      else if (typeof entry?.result?.id === 'string' && typeof entry.result.runId === 'string')
        phases.push({ result: entry.result, ...(entry.passed ? { passed: entry.passed } : {}) })
    } catch {}
  }
  return { intents, phases }
}

/**
 * Records in `generated` each intended file that holds what was intended (it is wf's output: the
 * rename happened) and is not recorded so; a file that holds anything else is left to drift
 * protection. Removes the temp files that writers other than this process left beside them.
 * Returns the paths it recorded.
 */
export async function adoptIntents(
  root: string,
  generated: Record<string, GeneratedFile | undefined>,
  intents: readonly Intent[],
): Promise<string[]> {
  // A path whose every intent is this process's and recorded as intended has nothing to adopt and
  // no temp file to remove: the common case, every file of a run that is ending.
  const open = new Set<string>()
  for (const intent of intents)
    if (intent.pid !== process.pid || generated[intent.path]?.hash !== intent.hash) open.add(intent.path)
  const byPath = new Map<string, Intent[]>()
  for (const intent of intents) {
    if (!open.has(intent.path)) continue
    // A journal is a file in .wf/ like any other: it never leads wf outside the repository.
    const full = resolve(root, intent.path)
    if (full === resolve(root) || !isInside(root, full)) continue
    const list = byPath.get(intent.path)
    if (list) list.push(intent)
    else byPath.set(intent.path, [intent])
  }
  const adopted: string[] = []
  for (const [path, list] of byPath) {
    await removeTempFiles(root, path, list)
    const known = generated[path]?.hash
    if (list.every((intent) => intent.hash === known)) continue
    const hash = await readFile(join(root, path)).then(sha256, () => undefined)
    const intent = list.filter((i) => i.hash === hash).at(-1)
    if (!intent || hash === known) continue
    const { base, source, phase, runId, at } = intent
    generated[path] = {
      hash: intent.hash,
      ...(base ? { base } : {}),
      source,
      ...(phase ? { phase } : {}),
      ...(runId ? { runId } : {}),
      at,
    }
    adopted.push(path)
  }
  return adopted
}

/** The temp files (`NAME.PID-RANDOM.tmp`) a writer that is gone left beside a file it meant to write. */
async function removeTempFiles(root: string, path: string, intents: readonly Intent[]): Promise<void> {
  const pids = new Set(intents.map((i) => i.pid).filter((pid) => pid !== process.pid))
  if (pids.size === 0) return
  const dir = dirname(join(root, path))
  const name = basename(path)
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    if (!entry.startsWith(`${name}.`) || !entry.endsWith('.tmp')) continue
    const pid = /^(\d+)-[a-z0-9]+$/.exec(entry.slice(name.length + 1, -'.tmp'.length))?.[1]
    if (pid && pids.has(Number(pid))) await unlink(join(dir, entry)).catch(() => {})
  }
}

/** Removes journals whose intents are settled (recorded in the ledger, or found not to have happened). */
export async function removeIntents(root: string, names: readonly string[]): Promise<void> {
  for (const name of names) await unlink(join(intentsDir(root), `${name}.jsonl`)).catch(() => {})
}
