import { pruneCache, readCache, writeCache } from '../ledger/cache-files.js'
import type { Workspace } from '../lib/workspace.js'
import { hashedTree } from './repository-state.js'

/** The cache area of the trees whole-tree fingerprints were taken on (keyed by their hash, so ledger.json stays small). */
const AREA = 'trees'
/** Changed files named one by one; the rest are counted. */
export const NAMED_CHANGES = 20
// A digest prefix this long tells two versions of one file apart; the full one would double the file.
const DIGEST = 16

type SavedTree = { files: Record<string, string> }

/** The tree states this workspace saved: a run's phases keep each other's. */
class SavedTrees {
  hashes = new Set<string>()
}

/** What changed between two trees, as worked out in this workspace: phases on the same trees share it. */
class TreeComparisons {
  byPair = new Map<string, Promise<string[] | undefined>>()
}

/**
 * Keeps the files behind a whole-tree fingerprint (`state`, a `repository` hash of this workspace)
 * in .wf/cache, so a later run can name the files that changed since; drops saved trees that
 * neither `keep` (the hashes the ledger's passes were taken on) nor this workspace refers to.
 */
export async function saveTreeState(workspace: Workspace, state: string, keep: Iterable<string>): Promise<void> {
  const saved = workspace.scoped(SavedTrees).hashes
  if (saved.has(state)) return
  const files = hashedTree(workspace, state)
  if (!files) return
  saved.add(state)
  const compact: Record<string, string> = {}
  for (const [path, digest] of files) compact[path] = digest.slice(0, DIGEST)
  await writeCache(workspace.root, AREA, state, { files: compact } satisfies SavedTree, { ifLedgerExists: true })
  await pruneCache(workspace.root, AREA, new Set([...keep, ...saved]))
}

/**
 * The files added, removed and modified between two whole-tree fingerprints (`before` saved by a
 * run, `now` taken in this workspace), the first NAMED_CHANGES by path and then how many more;
 * undefined when either tree is not known.
 */
export function treeChanges(workspace: Workspace, before: string, now: string): Promise<string[] | undefined> {
  const compared = workspace.scoped(TreeComparisons).byPair
  const key = `${before}:${now}`
  let changes = compared.get(key)
  if (!changes) {
    changes = compareTrees(workspace, before, now)
    compared.set(key, changes)
  }
  return changes
}

async function compareTrees(workspace: Workspace, before: string, now: string): Promise<string[] | undefined> {
  const current = hashedTree(workspace, now)
  // The key comes from ledger.json: only a hash names a cache file.
  if (!current || !/^[0-9a-f]{32}$/.test(before)) return undefined
  const saved = await readCache<SavedTree>(workspace.root, AREA, before)
  if (!saved?.files || typeof saved.files !== 'object') return undefined
  const changes: [string, string][] = []
  for (const [path, digest] of current) {
    const old = saved.files[path]
    if (old === undefined) changes.push([path, `file added: ${path}`])
    else if (old !== digest.slice(0, DIGEST)) changes.push([path, `file modified: ${path}`])
  }
  for (const path of Object.keys(saved.files)) if (!current.has(path)) changes.push([path, `file removed: ${path}`])
  if (changes.length === 0) return undefined
  changes.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const named = changes.slice(0, NAMED_CHANGES).map(([, text]) => text)
  const more = changes.length - named.length
  if (more > 0) named.push(`and ${more} more ${more === 1 ? 'file' : 'files'} changed`)
  return named
}
