import { statSync } from 'node:fs'
import { join } from 'node:path'
import { explainPhases, type Freshness } from '../fingerprint/freshness.js'
import { phaseInputGlobs } from '../fingerprint/fingerprint.js'
import { readStatus, type StatusReport } from '../app/read-status.js'
import {
  deadActiveRun,
  environmentView,
  ledgerPaths,
  readHashCache,
  readLedger,
  type Ledger,
} from '../ledger/ledger.js'
import { NEVER_RUN } from '../ledger/statuses.js'
import type { HashCache } from '../lib/files.js'
import { findRoot } from '../lib/paths.js'
import { readPlan } from '../app/read-plan.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { Workspace } from '../lib/workspace.js'
import { stampTree, unchangedSince, type TreeStamp } from './tree-stamp.js'
import { TreeWatch } from './tree-watch.js'

/** Each phase's latest recorded status and whether it is up to date now, by id (the same object while nothing changed). */
export type PhaseStates = ReadonlyMap<string, { status: string; freshness: Freshness }>

/** A freshness computation kept with what tells it is still true. */
interface CachedFreshness {
  plan: ResolvedPlan
  ledger: Ledger
  /** Every file and folder of the tree, or when it is watched only the paths outside its folders. */
  stamp: TreeStamp
  /** The watch's mark before the computation, when every folder of the tree was watched. */
  watched?: number
  result: Map<string, Freshness>
}

/** The stamp of the last `count` paths of a stamp (the paths outside the tree's folders). */
const outside = (stamp: TreeStamp, count: number): TreeStamp => ({
  paths: stamp.paths.slice(stamp.paths.length - count),
  signatures: stamp.signatures.slice(stamp.signatures.length - count),
  newest: stamp.newest,
  folders: [],
})

const sameFolders = (a: readonly string[], b: readonly string[]) => {
  if (a.length !== b.length) return false
  const seen = new Set(a)
  return b.every((folder) => seen.has(folder))
}

/**
 * Reads a repository's plan and ledger for a long-lived server. The resolved plan is kept while
 * the plan files (the size, mtime and inode of phases/ and of every file read) are
 * unchanged, and the ledger while .wf/ledger.json is (every write replaces it), so a tool call
 * costs a few stat calls instead of a parse.
 */
export class RepoReader {
  readonly root: string
  private cached?: { key: string; plan: ResolvedPlan }
  private cachedLedger?: { key: string; ledger: Ledger }
  private cachedFreshness?: CachedFreshness
  private cachedStates?: { plan: ResolvedPlan; ledger: Ledger; freshness: Map<string, Freshness>; states: PhaseStates }
  private readonly watch: TreeWatch
  private hashes?: Promise<HashCache>

  constructor(readonly cwd: string) {
    this.root = findRoot(cwd)
    this.watch = new TreeWatch(this.root)
  }

  /** The resolved plan; throws WfError / PlanError as readPlan does. */
  async plan(): Promise<ResolvedPlan> {
    if (this.cached && this.key(this.cached.plan.files).key === this.cached.key) return this.cached.plan
    const started = Date.now()
    const plan = await readPlan({ cwd: this.cwd })
    const { key, newest } = this.key(plan.files)
    // A file written while it was read (or within the mtime's resolution) is read again next time.
    this.cached = newest < started - 1000 ? { key, plan } : undefined
    return plan
  }

  /** The ledger as on disk (an empty one when there is none yet). */
  async ledger(): Promise<Ledger> {
    const info = statSync(ledgerPaths(this.root).ledger, { bigint: true, throwIfNoEntry: false })
    const key = info ? `${info.size}:${info.mtimeNs}:${info.ino}` : 'missing'
    if (this.cachedLedger?.key === key) return this.cachedLedger.ledger
    const { ledger } = await readLedger(this.root, WF_VERSION)
    // A run going on appends its results to its journal, not to ledger.json: read again each time.
    this.cachedLedger = ledger.active ? undefined : { key, ledger }
    return ledger
  }

  /**
   * Content hashes of files by size and mtime (as git's index keeps them), read from .wf/ once and
   * kept for the server's lifetime: every check and freshness computation adds what it hashed.
   */
  hashCache(): Promise<HashCache> {
    this.hashes ??= readHashCache(this.root)
    return this.hashes
  }

  /** The status report of `wf status` (`detailed`: with whether each phase is up to date and why not, without the records). */
  async status(detailed = false): Promise<StatusReport> {
    const plan = await this.plan()
    const ledger = await this.ledger()
    const report = await readStatus({ cwd: this.cwd, read: { plan, ledger } })
    if (!detailed) return report
    const freshness = await this.freshnessOf(plan, ledger)
    return { ...report, phases: report.phases.map((row) => ({ ...row, freshness: freshness.get(row.id) })) }
  }

  /**
   * Each phase's latest recorded status (`interrupted` for the one a run that died left running, as
   * `wf status` says) and whether it is up to date now, and why not: what list_phases shows, without
   * the rest of the status report (approvals, waivers, the check of the ledger's last record). The
   * same map while the plan, the ledger and the freshness are the same.
   */
  async phaseStates(): Promise<PhaseStates> {
    const plan = await this.plan()
    const whole = await this.ledger()
    const ledger = environmentView(whole, plan.environment)
    const freshness = await this.freshnessOf(plan, whole)
    const kept = this.cachedStates
    // The same plan, ledger and freshness give the same states (a ledger with a run going on is never kept, so a dead run is seen).
    if (kept && kept.plan === plan && kept.ledger === whole && kept.freshness === freshness) return kept.states
    const dead = deadActiveRun(ledger)
    const states = new Map(
      plan.phases.map((phase) => {
        const record = ledger.phases[phase.id]
        const interrupted = dead && record?.status === 'running' && record.runId === dead.runId
        const status = interrupted ? 'interrupted' : (record?.status ?? NEVER_RUN)
        return [phase.id, { status, freshness: freshness.get(phase.id)! }]
      }),
    )
    this.cachedStates = { plan, ledger: whole, freshness, states }
    return states
  }

  /**
   * Whether each phase is up to date now, and why not. Kept while the plan, the ledger and every
   * file and folder of the working tree are unchanged (a phase's fingerprint depends on nothing else
   * the server can see change), so repeated calls cost a stat per file instead of hashing.
   */
  async freshness(): Promise<Map<string, Freshness>> {
    return this.freshnessOf(await this.plan(), await this.ledger())
  }

  private async freshnessOf(plan: ResolvedPlan, ledger: Ledger): Promise<Map<string, Freshness>> {
    const cached = this.cachedFreshness
    if (cached && cached.plan === plan && cached.ledger === ledger && (await this.unchanged(cached)))
      return cached.result
    const started = Date.now()
    const mark = this.watch.mark
    // Stamped before computing: a change made meanwhile shows on the next call.
    const plain = [...new Set(plan.phases.flatMap(phaseInputGlobs).filter((p) => !/[*?[\]{}!]/.test(p)))]
    const extra = ['.git/index', ...plain]
    const stamp = this.stampWatched(extra)
    // A workspace per computation: what it learned about files holds only until the tree changes.
    const workspace = new Workspace(plan.root, { hashCache: await this.hashCache() })
    const result = await explainPhases(plan, ledger, { wf: WF_VERSION, workspace })
    // A file written within the mtime's resolution could change again unseen: not kept then.
    this.cachedFreshness =
      stamp && stamp.newest < started - 1000
        ? {
            plan,
            ledger,
            stamp: stamp.watched ? outside(stamp, extra.length) : stamp,
            watched: stamp.watched ? mark : undefined,
            result,
          }
        : undefined
    return result
  }

  /**
   * Whether nothing a freshness computation saw changed: no change event in the tree's folders since
   * (and the paths outside them, such as .git/index, stat the same), or when the tree is not watched,
   * every file and folder stats the same.
   */
  private async unchanged(cached: CachedFreshness): Promise<boolean> {
    if (cached.watched === undefined) return unchangedSince(this.root, cached.stamp)
    await this.watch.settle()
    return this.watch.active && this.watch.mark === cached.watched && unchangedSince(this.root, cached.stamp)
  }

  /**
   * The tree's stamp, its folders watched first: walked again after the watches are in place, so a
   * folder made before its parent was watched is seen (and watched) too. `watched` when every folder
   * of the second walk is watched: from then on any change in the tree comes as an event.
   */
  private stampWatched(extra: readonly string[]): (TreeStamp & { watched: boolean }) | undefined {
    let stamp = stampTree(this.root, extra)
    for (let attempt = 0; stamp && this.watch.active && attempt < 3; attempt++) {
      if (!this.watch.cover(stamp.folders)) break
      const again = stampTree(this.root, extra)
      if (again && sameFolders(again.folders, stamp.folders)) return { ...again, watched: true }
      stamp = again
    }
    return stamp && { ...stamp, watched: false }
  }

  /** Stops watching the tree. */
  close(): void {
    this.watch.close()
  }

  // Synchronous on purpose: a few stat calls cost microseconds, far less than a trip through the thread pool.
  // A plan file added to or removed from phases/ changes the folder's mtime, so its stat stands for its listing.
  private key(files: readonly string[]): { key: string; newest: number } {
    let newest = 0
    const stats = ['phases', ...files].map((file) => {
      const info = statSync(join(this.root, file), { bigint: true, throwIfNoEntry: false })
      if (!info) return `${file}:missing`
      newest = Math.max(newest, Number(info.mtimeMs))
      return `${file}:${info.size}:${info.mtimeNs}:${info.ino}`
    })
    return { key: stats.join('\n'), newest }
  }
}
