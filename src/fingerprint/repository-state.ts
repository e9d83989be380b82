import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { mapLimit, matchFiles, READ_AHEAD } from '../lib/files.js'
import type { Workspace } from '../lib/workspace.js'
import { readWrittenFiles } from '../ledger/written-files.js'

/** The working tree's files and digests, as a workspace last computed them. */
class TreeState {
  files?: Promise<Map<string, string>>
  /** The trees behind the latest hashes given out (newest last), so what changed can be named. */
  hashed = new Map<string, { files: Map<string, string>; left: (path: string) => boolean }>()
}

/** How many hashed trees a workspace remembers: enough for the phases running at once. */
const REMEMBERED = 8

/**
 * A hash of the whole working tree, computed once per workspace (until forgotten). In git: every tracked and
 * untracked (not ignored) file with its git blob id, taken from the index when git says the
 * file is unmodified and computed from the content otherwise, so the result does not depend on
 * git's stat cache. Elsewhere: every file's content. .wf/ is left out, and so are the files in
 * `generated` or matched by `outputs` (files wf writes and declared outputs belong to the phases that
 * write them, which hash them as their own).
 */
export async function repositoryState(
  workspace: Workspace,
  generated: ReadonlySet<string> = new Set(),
  outputs: (path: string) => boolean = () => false,
): Promise<string> {
  const tree = workspace.scoped(TreeState)
  const files = await treeFiles(workspace)
  const left = (path: string) => generated.has(path) || outputs(path)
  const hash = createHash('sha256')
  for (const [path, digest] of files) if (!left(path)) hash.update(`${path}\0${digest}\0`)
  const state = hash.digest('hex').slice(0, 32)
  tree.hashed.delete(state)
  tree.hashed.set(state, { files, left })
  if (tree.hashed.size > REMEMBERED) tree.hashed.delete(tree.hashed.keys().next().value!)
  return state
}

/** Every file of the working tree with a digest of its content, computed once per workspace (until forgotten). */
export function treeFiles(workspace: Workspace): Promise<Map<string, string>> {
  const tree = workspace.scoped(TreeState)
  tree.files ??= compute(workspace)
  return tree.files
}

/** The files (path → digest) behind a hash `repositoryState` gave out lately in this workspace, or undefined. */
export function hashedTree(workspace: Workspace, state: string): Map<string, string> | undefined {
  const tree = workspace.scoped(TreeState).hashed.get(state)
  if (!tree) return undefined
  return new Map([...tree.files].filter(([path]) => !tree.left(path)))
}

/** The files wf wrote on request (`wf report --output`, `wf ci github`) that still hold what it wrote. */
export async function writtenByWf(workspace: Workspace): Promise<Set<string>> {
  const written = Object.entries(await readWrittenFiles(workspace.root))
  const now = await mapLimit(written, READ_AHEAD, ([path]) => workspace.hasher.hash(path))
  return new Set(written.filter(([, hash], i) => now[i] === hash).map(([path]) => path))
}

/** Forgets the workspace's state of the tree (after tasks changed files). */
export function forgetRepositoryState(workspace: Workspace): void {
  workspace.scoped(TreeState).files = undefined
}

/** Every file of the working tree with a digest of its content, sorted by path. */
async function compute(workspace: Workspace): Promise<Map<string, string>> {
  const { root, hasher } = workspace
  const git = await workspace.git.client()
  if (git) {
    const blobs = new Map<string, string>()
    for (const entry of (await git.raw(['ls-files', '--stage', '-z'])).split('\0')) {
      const tab = entry.indexOf('\t')
      if (tab > 0) blobs.set(entry.slice(tab + 1), entry.split(' ')[1]!)
    }
    const changed = (
      await git.raw(['ls-files', '--modified', '--others', '--deleted', '--exclude-standard', '-z'])
    ).split('\0')
    // .wf/ is left out before reading, not after: a run's own temp files there vanish as it hashes.
    const paths = [...new Set(changed)].filter((path) => path && !path.startsWith('.wf/'))
    const digests = await mapLimit(paths, READ_AHEAD, async (path) => {
      if (!blobs.has(path)) return hasher.hash(path)
      // Tracked: the blob id git would give the content now (equal to the index's when unchanged).
      const content = await readFile(join(root, path)).catch(() => undefined)
      return content === undefined
        ? undefined
        : createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex')
    })
    paths.forEach((path, i) => {
      const digest = digests[i]
      if (digest) blobs.set(path, digest)
      else blobs.delete(path)
    })
    return new Map(
      [...blobs.keys()]
        .filter((path) => !path.startsWith('.wf/'))
        .sort()
        .map((path) => [path, blobs.get(path)!]),
    )
  }
  return new Map(Object.entries(await hasher.hashAll(await matchFiles(root, ['**/*']))))
}
