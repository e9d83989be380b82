/** Where the working tree stands: HEAD commit, branch, and whether anything is uncommitted. */
export interface GitFacts {
  commit: string | null
  branch: string | null
  dirty: boolean
}

type SimpleGit = import('simple-git').SimpleGit

// One `git status` answers the run's facts (commit, branch, dirty) and the staged files alike. It
// always prints the branch headers, which matters: simple-git waits 50 ms more for a command that
// prints nothing.
// --no-optional-locks: wf only reads; git status would otherwise refresh (rewrite) .git/index.
const STATUS = ['--no-optional-locks', 'status', '--porcelain=v2', '--branch', '-z', '--untracked-files=normal']

interface Status extends GitFacts {
  /** Files staged for commit: added, copied, modified or renamed (as `git diff --cached --diff-filter=ACMR`). */
  staged: string[]
}

/**
 * The git facts of one work tree, through one simple-git client made on first use (loaded lazily).
 * A status read (the first one comes with finding out whether the root is a repository at all)
 * answers every question until the files epoch moves: until code wf does not control may have
 * changed files.
 */
export class GitRepository {
  private git?: Promise<SimpleGit | undefined>
  private lastStatus?: { status: Promise<string>; epoch: number }

  constructor(
    readonly root: string,
    private readonly filesEpoch: () => number = () => 0,
  ) {}

  /** The simple-git client, or undefined when the root is not in a git work tree. */
  client(): Promise<SimpleGit | undefined> {
    this.git ??= this.open()
    return this.git
  }

  private async open(): Promise<SimpleGit | undefined> {
    const { simpleGit } = await import('simple-git')
    // Done when git closes its output; simple-git's default also arms a 50 ms timer on exit,
    // which kept wf alive after its work was done.
    const git = simpleGit({
      baseDir: this.root,
      maxConcurrentProcesses: 4,
      completion: { onClose: true, onExit: false },
    })
    try {
      const status = git.raw(STATUS)
      this.lastStatus = { status, epoch: this.filesEpoch() }
      await status
      return git
    } catch {
      this.lastStatus = undefined
      return undefined
    }
  }

  /** The work tree's status; `fresh` asks git again even when files have not changed since the last one. */
  private async status(fresh = false): Promise<Status | undefined> {
    const git = await this.client()
    if (!git) return undefined
    const cached = this.lastStatus
    let out = !fresh && cached?.epoch === this.filesEpoch() ? cached.status : undefined
    if (!out) {
      out = git.raw(STATUS)
      this.lastStatus = { status: out, epoch: this.filesEpoch() }
    }
    return parseStatus(await out)
  }

  /** HEAD commit, branch and whether the work tree has uncommitted changes (nulls outside git). */
  async facts(options: { fresh?: boolean } = {}): Promise<GitFacts> {
    const status = await this.status(options.fresh)
    if (!status) return { commit: null, branch: null, dirty: false }
    // CI checkouts are often a detached HEAD; GitHub Actions names the branch in its environment.
    const branch =
      status.branch ??
      (process.env.GITHUB_HEAD_REF ||
        (process.env.GITHUB_REF_TYPE === 'branch' ? process.env.GITHUB_REF_NAME : undefined) ||
        null)
    return { commit: status.commit, branch, dirty: status.dirty }
  }

  /** Files staged for commit (added, copied, modified or renamed), repository-relative and sorted. */
  async stagedFiles(): Promise<string[]> {
    return (await this.status())?.staged ?? []
  }

  /** Files changed since `ref` (committed, staged, unstaged and untracked), repository-relative. */
  async changedFiles(ref: string): Promise<string[]> {
    const git = await this.client()
    if (!git) return []
    const outputs = await Promise.all([
      // A ref is never taken for an option, whatever the plan says (`--output=FILE` would write a file).
      git.raw(['diff', '--name-only', '-z', '--end-of-options', `${ref}...HEAD`]),
      git.raw(['diff', '--name-only', '-z', 'HEAD']),
      git.raw(['ls-files', '--others', '--exclude-standard', '-z']),
    ])
    return [...new Set(outputs.flatMap((out) => out.split('\0').filter(Boolean)))].sort()
  }

  /**
   * Files that differ between commit `base` and the work tree: committed since, staged, unstaged
   * and untracked (not ignored), repository-relative and sorted. A rename counts as both paths.
   */
  async filesChangedSince(base: string): Promise<string[]> {
    const git = await this.client()
    if (!git) return []
    const outputs = await Promise.all([
      git.raw(['diff', '--name-only', '--no-renames', '-z', '--end-of-options', base]),
      git.raw(['ls-files', '--others', '--exclude-standard', '-z']),
    ])
    return [...new Set(outputs.flatMap((out) => out.split('\0').filter(Boolean)))].sort()
  }

  /** The merge base of HEAD and `ref`, or undefined when the history at hand holds none (or outside git). */
  async mergeBase(ref: string): Promise<string | undefined> {
    const git = await this.client()
    if (!git) return undefined
    try {
      return (await git.raw(['merge-base', '--end-of-options', 'HEAD', ref])).trim() || undefined
    } catch {
      return undefined
    }
  }

  /** Whether the repository is a shallow clone: part of its history is not here. */
  async isShallow(): Promise<boolean> {
    const git = await this.client()
    if (!git) return false
    return (await git.raw(['rev-parse', '--is-shallow-repository'])).trim() === 'true'
  }

  /** The default branch: origin/HEAD when known, else main or master when they exist. */
  async defaultBranch(): Promise<string> {
    const git = await this.client()
    if (!git) return 'main'
    try {
      return (await git.raw(['symbolic-ref', '--short', 'refs/remotes/origin/HEAD'])).trim()
    } catch {
      for (const name of ['main', 'master']) {
        try {
          await git.raw(['rev-parse', '--verify', '--quiet', name])
          return name
        } catch {}
      }
      return 'main'
    }
  }

  /** The commit a ref names, or undefined when it names none (or outside git). */
  async resolveRef(ref: string): Promise<string | undefined> {
    const git = await this.client()
    if (!git) return undefined
    try {
      return (await git.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim() || undefined
    } catch {
      return undefined
    }
  }
}

/** A simple-git client for the repository at `root`, or undefined when it is not a git work tree (for a command that asks git once). */
export function gitClient(root: string): Promise<SimpleGit | undefined> {
  return new GitRepository(root).client()
}

/** The default branch of the repository at `root` (for a command that asks git once). */
export function defaultBranch(root: string): Promise<string> {
  return new GitRepository(root).defaultBranch()
}

/** Parses `git status --porcelain=v2 --branch -z`. */
function parseStatus(out: string): Status {
  const status: Status = { commit: null, branch: null, dirty: false, staged: [] }
  const fields = out.split('\0')
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]
    if (!field) continue
    if (field.startsWith('# branch.oid ')) status.commit = field.slice(13) === '(initial)' ? null : field.slice(13)
    else if (field.startsWith('# branch.head '))
      status.branch = field.slice(14) === '(detached)' ? null : field.slice(14)
    else if (field.startsWith('#')) continue
    else {
      status.dirty = true
      // `1 XY sub mH mI mW hH hI path`, `2 XY sub mH mI mW hH hI Xscore path` then the original path.
      const kind = field[0]
      if (kind === '2') i++
      if (/^[12] [ACMR]/.test(field))
        status.staged.push(
          field
            .split(' ')
            .slice(kind === '1' ? 8 : 9)
            .join(' '),
        )
    }
  }
  status.staged.sort()
  return status
}
