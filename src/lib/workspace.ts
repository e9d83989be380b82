import { FileHasher, type HashCache } from './files.js'
import { GitRepository } from './git.js'
import { RepoBoundary } from './inside-repo.js'
import { ShellPool } from './shell-worker.js'

/**
 * What one run (or one request of a long-lived server) knows about a repository: file hashes, git
 * facts, started shells, and the caches of the layers above, created for that run and dropped
 * with it. Knowledge about files holds within a files epoch: whoever runs code wf does not control
 * (a command, a plugin) calls `filesChanged()` before and after, which starts a new epoch.
 */
export class Workspace {
  readonly hasher: FileHasher
  readonly git: GitRepository
  /** Reads and writes that never follow a link out of the repository (the root's real path found once). */
  readonly boundary: RepoBoundary
  /** Persistent shells that run simple commands (closed by `close()`). */
  readonly shells = new ShellPool()
  /** Whether a program is on a PATH, by `PATH\0program` (see `directArgv`). */
  readonly programs = new Map<string, boolean>()
  private epoch = 0
  private readonly scopes = new Map<new () => unknown, unknown>()

  constructor(
    readonly root: string,
    options: { hashCache?: HashCache } = {},
  ) {
    this.hasher = new FileHasher(root, options.hashCache ?? {}, () => this.epoch)
    this.git = new GitRepository(root, () => this.epoch)
    this.boundary = new RepoBoundary(root)
  }

  /** Says that code outside wf's control may have changed files: what was learned about them is dropped. */
  filesChanged(): void {
    this.epoch++
  }

  /** The current files epoch, to tag what is known until files may have changed. */
  get filesEpoch(): number {
    return this.epoch
  }

  /** Adds hashes an earlier run saved to the hasher's cache (entries it already holds stay). */
  loadHashCache(cache: HashCache): void {
    for (const [path, entry] of Object.entries(cache)) this.hasher.cache[path] ??= entry
  }

  /** This workspace's one instance of `Kind`, made on first use: how modules above lib keep per-run caches. */
  scoped<T>(Kind: new () => T): T {
    let state = this.scopes.get(Kind) as T | undefined
    if (state === undefined) {
      state = new Kind()
      this.scopes.set(Kind, state)
    }
    return state
  }

  /** Lets the shells it started exit; the workspace is not used afterwards. */
  close(): void {
    this.shells.close()
  }
}
