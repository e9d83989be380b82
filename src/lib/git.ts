import { childProcess } from './child-process.js'

/** Where the working tree stands: HEAD commit, branch, and whether anything is uncommitted. */
export interface GitFacts {
  commit: string | null
  branch: string | null
  dirty: boolean
}

type SimpleGit = import('simple-git').SimpleGit

// One `git status` answers the run's facts (commit, branch, dirty) and the staged files alike.
// --no-optional-locks: wf only reads; git status would otherwise refresh (rewrite) .git/index.
const STATUS = ['--no-optional-locks', 'status', '--porcelain=v2', '--branch', '-z', '--untracked-files=normal']

interface Status extends GitFacts {
  /** Files staged for commit: added, copied, modified or renamed (as `git diff --cached --diff-filter=ACMR`). */
  staged: string[]
}

/**
 * The git facts of one work tree. Its status (the first one also says whether the root is in a
 * repository at all) comes from one `git status` process, without loading simple-git, and answers
 * every question until the files epoch moves: until code wf does not control may have changed
 * files. Other questions go through one simple-git client, made (and loaded) on first use.
 */
export class GitRepository {
  private git?: Promise<SimpleGit | undefined>
  private lastStatus?: { status: Promise<string>; epoch: number }
  private repository?: Promise<boolean>

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
    if (!(await this.isRepository())) return undefined
    const { simpleGit } = await import('simple-git')
    // Done when git closes its output; simple-git's default also arms a 50 ms timer on exit,
    // which kept wf alive after its work was done.
    return simpleGit({
      baseDir: this.root,
      maxConcurrentProcesses: 4,
      completion: { onClose: true, onExit: false },
    })
  }

  /** Whether the root is in a git work tree: the first status read says. */
  private isRepository(): Promise<boolean> {
    this.repository ??= this.statusOutput(false).then(
      () => true,
      () => false,
    )
    return this.repository
  }

  /** `git status`'s output, read again when files may have changed since (or when `fresh`). */
  private statusOutput(fresh: boolean): Promise<string> {
    const cached = this.lastStatus
    if (!fresh && cached?.epoch === this.filesEpoch()) return cached.status
    const status = gitOutput(this.root, STATUS)
    status.catch(() => {})
    this.lastStatus = { status, epoch: this.filesEpoch() }
    return status
  }

  /** The work tree's status; `fresh` asks git again even when files have not changed since the last one. */
  private async status(fresh = false): Promise<Status | undefined> {
    if (!(await this.isRepository())) return undefined
    return parseStatus(await this.statusOutput(fresh))
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

/** What git prints on its standard output in `root`; rejects when it fails (or is not installed). */
function gitOutput(root: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    let errors = ''
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk
    })
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString('utf8'))
        : reject(new Error(errors.trim() || `git ${args.join(' ')} exited ${code}`)),
    )
  })
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
