import { type Dirent, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Folders wf never matches inputs in: the same as SKIPPED_DIRS in engine/files.ts (.git, the ledger's .wf, node_modules). */
const SKIPPED = new Set(['.git', '.wf', 'node_modules'])

/** The size, mtime and inode of every file and folder of a working tree at one moment. */
export interface TreeStamp {
  paths: string[]
  signatures: string[]
  /** The latest mtime seen, in ms. */
  newest: number
  /** The folders walked (`.` the root), which a TreeWatch watches. */
  folders: string[]
}

function signature(full: string): [string, number] {
  const info = statSync(full, { bigint: true, throwIfNoEntry: false })
  return info ? [`${info.size}:${info.mtimeNs}:${info.ino}`, Number(info.mtimeMs)] : ['missing', 0]
}

/**
 * Stamps every file and folder of the tree (.git, .wf and node_modules left out, `extra` paths
 * added). A file added, removed or changed anywhere changes the stamp, since adding or removing
 * an entry changes its folder's mtime. Undefined when the tree has more than `limit` entries.
 */
export function stampTree(root: string, extra: readonly string[], limit = 5000): TreeStamp | undefined {
  const paths: string[] = ['.']
  for (let i = 0; i < paths.length; i++) {
    let entries: Dirent[]
    try {
      entries = readdirSync(join(root, paths[i]!), { withFileTypes: true })
    } catch {
      continue
    }
    for (const entry of entries) {
      if (SKIPPED.has(entry.name)) continue
      const path = paths[i] === '.' ? entry.name : `${paths[i]}/${entry.name}`
      if (entry.isDirectory()) paths.push(path)
      else paths.push(`\0${path}`)
      if (paths.length > limit) return undefined
    }
  }
  const folders = paths.filter((p) => !p.startsWith('\0'))
  return { ...stampPaths(root, [...paths.map((p) => p.replace(/^\0/, '')), ...extra]), folders }
}

/** Stamps only these paths (no folder walked). */
function stampPaths(root: string, paths: readonly string[]): TreeStamp {
  let newest = 0
  const signatures = paths.map((path) => {
    const [sig, mtime] = signature(join(root, path))
    newest = Math.max(newest, mtime)
    return sig
  })
  return { paths: [...paths], signatures, newest, folders: [] }
}

/** True when nothing stamped changed since. */
export function unchangedSince(root: string, stamp: TreeStamp): boolean {
  return stamp.paths.every((path, i) => signature(join(root, path))[0] === stamp.signatures[i])
}
