import { lstatSync } from 'node:fs'
import { join } from 'node:path'
import { readCache, writeCache } from './cache-files.js'
import { ledgerPaths } from './paths.js'

/** A run record file as it was when its hash was last computed: its name, that hash, and the file's identity. */
interface VerifiedHead {
  name: string
  hash: string
  ino: string
  size: string
  mtimeNs: string
  ctimeNs: string
}

/** The identity of a file in .wf/runs/ (inode, size, modification and change times in ns), or undefined. */
function fileIdentity(root: string, name: string): Omit<VerifiedHead, 'name' | 'hash'> | undefined {
  const info = lstatSync(join(ledgerPaths(root).runs, name), { bigint: true, throwIfNoEntry: false })
  if (!info?.isFile()) return undefined
  return {
    ino: String(info.ino),
    size: String(info.size),
    mtimeNs: String(info.mtimeNs),
    ctimeNs: String(info.ctimeNs),
  }
}

/**
 * Notes that the run record `name` hashes to `hash` as its file is now: a writer that has just
 * written it, or hashed it in full, need not be followed by another hashing of the same bytes.
 */
export async function noteVerifiedHead(root: string, name: string, hash: string): Promise<void> {
  const identity = fileIdentity(root, name)
  if (identity) await writeCache(root, 'ledger', 'head', { name, hash, ...identity } satisfies VerifiedHead)
}

/**
 * Whether the run record `name` is, byte for byte as far as the file system can tell, the one noted
 * with hash `hash`: the same inode, size, and modification and change times (a change time no
 * program sets at will, so an edit whose mtime was put back still shows).
 */
export async function isVerifiedHead(root: string, name: string, hash: string): Promise<boolean> {
  const noted = await readCache<VerifiedHead>(root, 'ledger', 'head')
  if (noted?.name !== name || noted.hash !== hash) return false
  const identity = fileIdentity(root, name)
  return (
    identity !== undefined &&
    identity.ino === noted.ino &&
    identity.size === noted.size &&
    identity.mtimeNs === noted.mtimeNs &&
    identity.ctimeNs === noted.ctimeNs
  )
}
