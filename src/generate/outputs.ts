// Writing generated files with drift protection: wf overwrites a file only when it still holds
// what wf wrote last (the hash in the ledger), or when told to, after saving the edited file
// in .wf/backup/; and it never writes outside the repository.
import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import { sha256 } from '../lib/files.js'
import { WfError } from '../lib/errors.js'
import type { RepoBoundary } from '../lib/inside-repo.js'
import type { Workspace } from '../lib/workspace.js'
import type { GeneratedFile } from '../ledger/ledger.js'
import { BACKUP_DIR, backupPath, newBackupId, saveBackup } from '../ledger/save-backup.js'
import { readBase, saveBases } from '../ledger/merge-bases.js'
import { writes, wroteOrFound } from '../ledger/intents.js'
import { forgetCompiled } from './templates.js'
import { hasConflictMarkers, type MergeConflict, mergeText } from './merge-text.js'

/** A file a generator task produces: a repository-relative path (with `/`) and its full content. */
export interface OutputFile {
  path: string
  content: string
}

/** What happened to one generated file. */
export interface GeneratedOutput {
  path: string
  /**
   * `created`/`updated`: written now; `unchanged`: already current; `drifted`: edited by hand, left
   * alone; `kept`: exists and `overwrite: never`; `overwritten`: edited by hand, saved to `backup`, then written;
   * `merged`: edited by hand and merged three ways with the new output; `conflicted`: the merge conflicted
   * (left alone, or written with conflict markers when `markers`).
   */
  action: 'created' | 'updated' | 'unchanged' | 'drifted' | 'kept' | 'overwritten' | 'merged' | 'conflicted'
  /** sha256 of the content the file holds after the task (of what the generator rendered when wf leaves the file alone). */
  hash: string
  /** sha256 of what the generator rendered, when the file holds something else (a merge): the next merge base. */
  base?: string
  /** `conflicted`: written with git-style conflict markers. */
  markers?: boolean
  /** What produced it, e.g. `builtin:security-policy` or `contracts/events/Order.json`. */
  source: string
  /** `overwritten`: where the edited file was saved, byte for byte (repository-relative, under .wf/backup/). */
  backup?: string
}

export type OverwritePolicy = 'if-unchanged' | 'always' | 'never'

/** How a dry run says what it would do to a file. */
export const WOULD: Record<GeneratedOutput['action'], string> = {
  created: 'would create',
  updated: 'would update',
  unchanged: 'is current:',
  drifted: 'edited by hand, would not overwrite',
  kept: 'would keep',
  overwritten: 'would overwrite',
  merged: 'would merge your edit into',
  conflicted: 'your edit conflicts with the new output of',
}

/**
 * What a drift message tells the user to do: replace the edit (with a backup), or keep it for good
 * with `overwrite: never` where the task takes it (template tasks; contracts follow their schemas).
 */
export function driftAdvice(kind: 'template' | 'contracts'): string {
  const replace = `to regenerate, run with --overwrite (the edited file is saved in ${BACKUP_DIR}/ first)`
  return kind === 'template'
    ? `${replace}; to keep the edit for good, give the task \`overwrite: never\``
    : `${replace}; code generated from contracts follows its schemas, so make the change there`
}

/** What writing one generated file would do, decided before anything is written. */
export interface OutputPlan extends GeneratedOutput {
  content: string
  /** The absolute path, checked to be inside the repository. */
  target: string
  /** What is on disk now (decoded as UTF-8, for diffs); undefined when the file does not exist. */
  current?: string
  /** Whether the file's directory was found to exist (else it is created before writing). */
  dirExists?: boolean
  /** Why the file is `drifted`, `kept` or `overwritten`. */
  note?: string
  /** `overwritten`: the id of the backup folder (`.wf/backup/<id>/`), the run's id or a fresh one. */
  backupId?: string
  /** What the generator rendered (kept as the next merge base when `keepBase`). */
  rendered: string
  /** Keep `rendered` in .wf/base/ (template tasks that merge hand edits). */
  keepBase?: boolean
  /** `conflicted`: the regions where the edit and the new output disagree. */
  conflicts?: MergeConflict[]
}

/**
 * Resolves a repository-relative output path, refusing anything that would write outside the
 * repository: absolute paths, `..`, a symbolic link in place of the file, or a directory on the
 * way that is a link pointing outside.
 */
export async function confineOutputPath(workspace: Workspace, path: string): Promise<string> {
  return confineAndStat(workspace, path).target
}

/** What a workspace remembers about where outputs go. */
class OutputChecks {
  realRoot?: string
  /**
   * Directories already found to be real directories inside the repository, or missing under one,
   * with the files epoch they were checked in: knowledge that lasts until a command may have changed files.
   */
  dirs = new Map<string, { epoch: number; exists: boolean }>()
}

/**
 * The checked absolute path, whether a file is there now, and whether its directory exists. Small
 * synchronous file-system calls: a template task does a handful per file, and waiting on the
 * thread pool for each costs more than the call itself.
 */
function confineAndStat(workspace: Workspace, path: string): { target: string; exists: boolean; dirExists: boolean } {
  const root = workspace.root
  const checks = workspace.scoped(OutputChecks)
  const fail = (why: string) =>
    new WfError('WF_USAGE', `cannot write ${path}: ${why}`, {
      hint: 'Output paths are relative to the repository root and stay inside it.',
    })
  if (isAbsolute(path) || /^[a-zA-Z]:/.test(path)) throw fail('it is an absolute path')
  if (/[\\/]$/.test(path)) throw fail('it names a directory, not a file')
  const target = resolve(root, path)
  const rel = relative(root, target)
  if (rel === '') throw fail('it is the repository root')
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw fail('it is outside the repository')
  checks.realRoot ??= realpathSync.native(root)
  const realRoot = checks.realRoot
  const stat = lstatOrUndefined(target)
  if (stat?.isSymbolicLink()) throw fail('it is a symbolic link, and wf does not write through links')
  if (stat?.isDirectory()) throw fail('it is a directory')
  const exists = stat !== undefined
  const known = checks.dirs.get(dirname(target))
  if (known?.epoch === workspace.filesEpoch) return { target, exists, dirExists: known.exists }
  // The deepest directory on the way that exists must really be inside the repository.
  const missing: string[] = []
  for (let dir = dirname(target); ; dir = dirname(dir)) {
    const real = realpathOrUndefined(dir)
    if (real !== undefined) {
      const inside = relative(realRoot, real)
      if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))
        throw fail(`${relative(root, dir) || '.'} leads outside the repository through a symbolic link`)
      if (!statSync(real).isDirectory()) throw fail(`${repoPath(root, dir)} is a file, not a directory`)
      checks.dirs.set(dir, { epoch: workspace.filesEpoch, exists: true })
      // Folders still to be made under a checked one (outputs of one batch are planned before any is written).
      for (const below of missing) checks.dirs.set(below, { epoch: workspace.filesEpoch, exists: false })
      return { target, exists, dirExists: dir === dirname(target) }
    }
    missing.push(dir)
    if (dirname(dir) === dir) return { target, exists, dirExists: false }
  }
}

function realpathOrUndefined(path: string): string | undefined {
  // A missing folder is the common case for new outputs: no exception thrown (and its stack taken) for it.
  if (!existsSync(path)) return undefined
  try {
    return realpathSync.native(path)
  } catch {
    return undefined
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path, { throwIfNoEntry: false })
  } catch {
    return undefined
  }
}

function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** How to decide what to do with each file. */
export interface PlanOutputsOptions {
  /** What wf last wrote to each file (from the ledger). */
  previous: Record<string, GeneratedFile | undefined>
  /** The task's `overwrite:` policy. */
  policy: OverwritePolicy
  /** `--overwrite`: replace files edited by hand, after saving them under .wf/backup/ (`overwrite: never` still keeps them). */
  overwrite?: boolean
  /** Names the backup folder (`.wf/backup/<id>/`): the run's id; a fresh one when not given. */
  backupId?: string
  /** Merge hand edits three ways with the new output (base: what wf rendered last, from .wf/base/); absent: refuse them. */
  merge?: { conflicts: 'fail' | 'markers' }
}

/** Decides, for each file, whether to create, update, leave or report it, comparing disk with the ledger's record. */
export async function planOutputs(
  workspace: Workspace,
  files: Array<OutputFile & { source: string }>,
  options: PlanOutputsOptions,
): Promise<OutputPlan[]> {
  let backupId = options.backupId
  return Promise.all(
    files.map(async (file): Promise<OutputPlan> => {
      const { target, exists, dirExists } = confineAndStat(workspace, file.path)
      const hash = sha256(file.content)
      const base = {
        path: file.path,
        hash,
        source: file.source,
        content: file.content,
        rendered: file.content,
        target,
        dirExists,
        ...(options.merge ? { keepBase: true } : {}),
      }
      // Bytes, not text: a hand edit with bytes that are not UTF-8 must not decode into a match.
      const bytes = exists ? readIfExists(target) : undefined
      if (bytes === undefined) return { ...base, action: 'created' }
      const current = bytes.toString('utf8')
      if (bytes.equals(Buffer.from(file.content))) return { ...base, action: 'unchanged', current }
      if (options.policy === 'never')
        return { ...base, action: 'kept', current, note: 'exists and the task says `overwrite: never`' }
      const recorded = options.previous[file.path]
      const onDisk = sha256(bytes)
      // The file holds what wf rendered last (not a merge with a hand edit): it is wf's to replace.
      if (recorded && (recorded.base ?? recorded.hash) === onDisk) return { ...base, action: 'updated', current }
      const note = recorded ? 'edited since wf wrote it' : 'exists but was not written by wf'
      if (options.overwrite || options.policy === 'always') {
        backupId ??= newBackupId()
        return { ...base, action: 'overwritten', current, note, backupId, backup: backupPath(backupId, file.path) }
      }
      const merged =
        recorded && options.merge
          ? await mergeOutput(workspace.root, { ...base, current, onDisk }, recorded, options.merge.conflicts)
          : undefined
      return merged ?? { ...base, action: 'drifted', current, note }
    }),
  )
}

/**
 * Merges a hand edit with the new output, the base being what wf rendered last; undefined without a
 * usable base (files generated before bases were kept, a base too large to keep or not matching
 * its hash), which leaves the file to drift protection.
 */
async function mergeOutput(
  root: string,
  plan: Omit<OutputPlan, 'action'> & { current: string; onDisk: string },
  recorded: GeneratedFile,
  conflicts: 'fail' | 'markers',
): Promise<OutputPlan | undefined> {
  const { onDisk, ...rest } = plan
  const baseText = await readBase(root, recorded.base ?? recorded.hash)
  if (baseText === undefined) return undefined
  const { current, rendered, path } = plan
  if (hasConflictMarkers(current) && !hasConflictMarkers(rendered))
    return { ...rest, action: 'conflicted', note: 'it still holds conflict markers: resolve them, then run again' }
  const kept = { ...rest, hash: onDisk, base: plan.hash, content: current }
  // The output did not change: the edit stays as it is, and is wf's to merge next time.
  if (baseText === rendered)
    return recorded.hash === onDisk
      ? { ...kept, action: 'unchanged' }
      : { ...kept, action: 'merged', note: 'your edit kept; the output did not change' }
  const result = await mergeText(current, baseText, rendered, {
    ours: `${path} (your edit)`,
    theirs: `${path} (generated)`,
  })
  if (result.clean) {
    if (result.text === rendered) return { ...rest, action: 'updated' }
    return {
      ...kept,
      action: 'merged',
      hash: sha256(result.text),
      content: result.text,
      note: 'your edit merged with the new output',
    }
  }
  const note = `${result.conflicts.length} conflicting region${result.conflicts.length === 1 ? '' : 's'}`
  if (conflicts === 'markers')
    return {
      ...kept,
      action: 'conflicted',
      markers: true,
      hash: sha256(result.markers),
      content: result.markers,
      conflicts: result.conflicts,
      note: `${note}, written with conflict markers`,
    }
  return { ...rest, action: 'conflicted', conflicts: result.conflicts, note: `${note}; the file was left as it was` }
}

/**
 * Keeps the merge base of every planned file wf writes or finds current (template tasks that merge),
 * all in one pack when there are many. Called before any of the files is written: a record (or an
 * adopted intent) names a base only after its file, so it never names a missing one.
 */
export function keepBases(workspace: Workspace, plans: readonly OutputPlan[], boundary: RepoBoundary): void {
  const bases: Array<{ hash: string; content: string }> = []
  // What the generator rendered: the hash of the plan's content, or its `base` when the file holds a merge.
  for (const plan of plans)
    if (plan.keepBase && wroteOrFound(plan)) bases.push({ hash: plan.base ?? plan.hash, content: plan.rendered })
  if (bases.length > 0) saveBases(boundary, workspace.root, bases)
}

/**
 * Writes what the plans say to write (atomically, creating directories), first saving each file
 * it overwrites to .wf/backup/ (the plan's `backup` says where); returns what to record.
 * `boundary`: the workspace's, or one holding folders open for many writes (`RepoBoundary.holding`);
 * `basesKept`: `keepBases` was called for these plans already.
 */
export async function applyOutputs(
  workspace: Workspace,
  plans: OutputPlan[],
  boundary: RepoBoundary = workspace.boundary,
  options: { basesKept?: boolean } = {},
): Promise<GeneratedOutput[]> {
  if (!options.basesKept) keepBases(workspace, plans, boundary)
  for (const plan of plans) {
    if (!writes(plan) || plan.content === plan.current) continue
    if (plan.action === 'overwritten') plan.backup = saveBackup(workspace.root, plan.backupId!, plan.path)
    // Temp file and rename inside a checked handle on the folder (see inside-repo.ts), so readers see
    // the old or the new content and a folder swapped for a link meanwhile is not followed;
    // generated files can be recreated, so they skip the fsync that the ledger's own writes pay for.
    boundary.writeFileSync(plan.target, plan.content)
    forgetCompiled(workspace, plan.target)
  }
  return plans.map(({ path, action, hash, base, markers, source, backup }) => ({
    path,
    action,
    hash,
    ...(base ? { base } : {}),
    ...(markers ? { markers } : {}),
    source,
    ...(action === 'overwritten' ? { backup } : {}),
  }))
}

/**
 * A line diff stops past this many changed lines, or after this long: Myers' diff costs
 * (lines × changes), so a rewritten file of 40,000 lines would take minutes. Past either, the
 * diff is a one-line summary.
 */
export const DIFF_MAX_EDITS = 1000
export const DIFF_TIMEOUT_MS = 500

/**
 * A unified diff from what is on disk to what wf would write (empty when equal); for a file with
 * too many changes to diff in time (see DIFF_MAX_EDITS), the ---/+++ header and a line saying how
 * many lines were removed and added.
 */
export async function unifiedDiff(path: string, before: string | undefined, after: string): Promise<string> {
  if (before === after) return ''
  const { createTwoFilesPatch } = await import('diff')
  const from = before === undefined ? '/dev/null' : `a/${path}`
  const patch: string | undefined = createTwoFilesPatch(from, `b/${path}`, before ?? '', after, undefined, undefined, {
    context: 3,
    maxEditLength: DIFF_MAX_EDITS,
    timeout: DIFF_TIMEOUT_MS,
  })
  if (patch === undefined) return `--- ${from}\n+++ b/${path}\n${rewriteSummary(before ?? '', after)}`
  // Drop the `Index:`/`===` preamble; keep the ---/+++ header and the hunks.
  return patch
    .split('\n')
    .filter((line, i) => !(i < 2 && (line.startsWith('Index:') || line.startsWith('===='))))
    .join('\n')
    .trimEnd()
}

/** How many lines a rewrite removed and added, counting lines as a multiset (linear; a moved line counts as kept). */
export function rewriteSummary(before: string, after: string): string {
  const lines = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'))
  const old = lines(before)
  const kept = new Map<string, number>()
  for (const line of old) kept.set(line, (kept.get(line) ?? 0) + 1)
  let added = 0
  const neu = lines(after)
  for (const line of neu) {
    const n = kept.get(line)
    if (n) kept.set(line, n - 1)
    else added++
  }
  const removed = old.length - (neu.length - added)
  return `file rewritten: ${removed + added} lines changed (-${removed} +${added}; ${old.length} lines before, ${neu.length} after), too many changes to show line by line`
}

/** The first line where two texts differ (1-based), for pointing a report at a stale file. */
export function firstDifferentLine(a: string, b: string): number {
  const x = a.split('\n')
  const y = b.split('\n')
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return i + 1
  return 1
}

/** A repository-relative path with forward slashes. */
export function repoPath(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/')
}
