import type { GitFacts } from '../ledger/ledger.js'

type SimpleGit = import('simple-git').SimpleGit

const clients = new Map<string, Promise<SimpleGit | undefined>>()

/** A simple-git client for the repository at `root`, or undefined when it is not a git work tree (loaded lazily). */
export function gitClient(root: string): Promise<SimpleGit | undefined> {
  let client = clients.get(root)
  if (!client) {
    client = (async () => {
      const { simpleGit } = await import('simple-git')
      const git = simpleGit({ baseDir: root, maxConcurrentProcesses: 4 })
      try {
        const status = git.raw(['status', '--porcelain=v2', '--branch', '--untracked-files=normal'])
        statusCache.set(root, { status, at: Date.now() })
        await status
        return git
      } catch {
        statusCache.delete(root)
        return undefined
      }
    })()
    clients.set(root, client)
  }
  return client
}

// The first status is read while finding out whether `root` is a repository at all (one git call,
// not two); it stands in for a status asked for soon after, not for one asked much later.
const statusCache = new Map<string, { status: Promise<string>; at: number }>()
const STATUS_FRESH_MS = 1000

/** HEAD commit, branch and whether the work tree has uncommitted changes (nulls outside git). */
export async function readGitFacts(root: string): Promise<GitFacts> {
  const git = await gitClient(root)
  if (!git) return { commit: null, branch: null, dirty: false }
  const cached = statusCache.get(root)
  statusCache.delete(root)
  const fresh = cached && Date.now() - cached.at < STATUS_FRESH_MS ? cached.status : undefined
  const out = await (fresh ?? git.raw(['status', '--porcelain=v2', '--branch', '--untracked-files=normal']))
  let commit: string | null = null
  let branch: string | null = null
  let dirty = false
  for (const line of out.split('\n')) {
    if (line.startsWith('# branch.oid ')) commit = line.slice(13) === '(initial)' ? null : line.slice(13)
    else if (line.startsWith('# branch.head ')) branch = line.slice(14) === '(detached)' ? null : line.slice(14)
    else if (line && !line.startsWith('#')) dirty = true
  }
  // CI checkouts are often a detached HEAD; GitHub Actions names the branch in its environment.
  branch ??= process.env.GITHUB_HEAD_REF || (process.env.GITHUB_REF_TYPE === 'branch' ? process.env.GITHUB_REF_NAME : undefined) || null
  return { commit, branch, dirty }
}

/** Files changed since `ref` (committed, staged, unstaged and untracked), repository-relative. */
export async function changedFiles(root: string, ref: string): Promise<string[]> {
  const git = await gitClient(root)
  if (!git) return []
  const committed = await git.raw(['diff', '--name-only', '-z', `${ref}...HEAD`])
  const working = await git.raw(['diff', '--name-only', '-z', 'HEAD'])
  const untracked = await git.raw(['ls-files', '--others', '--exclude-standard', '-z'])
  return [...new Set([committed, working, untracked].flatMap((out) => out.split('\0').filter(Boolean)))].sort()
}

/** The default branch: origin/HEAD when known, else main or master when they exist. */
export async function defaultBranch(root: string): Promise<string> {
  const git = await gitClient(root)
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
export async function resolveRef(root: string, ref: string): Promise<string | undefined> {
  const git = await gitClient(root)
  if (!git) return undefined
  try {
    return (await git.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim() || undefined
  } catch {
    return undefined
  }
}

/** Files staged for commit (added, copied, modified or renamed), repository-relative. */
export async function stagedFiles(root: string): Promise<string[]> {
  // Asked without waiting for gitClient's first status, so the two git processes run side by side.
  const { simpleGit } = await import('simple-git')
  try {
    return (await simpleGit({ baseDir: root }).raw(['diff', '--cached', '--name-only', '--diff-filter=ACMR', '-z'])).split('\0').filter(Boolean).sort()
  } catch {
    return []
  }
}
