// Caches that only save time, kept in the repository's .wf/cache/ (never shared between
// repositories or users): losing one costs work, never correctness.
import { access, readdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { RepoBoundary } from '../lib/inside-repo.js'
import { ledgerPaths } from './paths.js'

const cacheFile = (root: string, area: string, key: string) => join(ledgerPaths(root).dir, 'cache', area, `${key}.json`)

/** A cached JSON value, or undefined when there is none (or it does not parse). */
export async function readCache<T>(root: string, area: string, key: string): Promise<T | undefined> {
  try {
    return JSON.parse(await new RepoBoundary(root).readFile(cacheFile(root, area, key), 'utf8')) as T
  } catch {
    return undefined
  }
}

/**
 * Stores a JSON value (temp file and rename; a cache that cannot be written is skipped).
 * `ifLedgerExists`: only in a repository where wf has already made its .wf folder.
 */
export async function writeCache(
  root: string,
  area: string,
  key: string,
  value: unknown,
  options: { ifLedgerExists?: boolean } = {},
): Promise<void> {
  const target = cacheFile(root, area, key)
  try {
    if (options.ifLedgerExists) await access(ledgerPaths(root).dir)
    await new RepoBoundary(root).writeFile(target, JSON.stringify(value), { durable: false })
  } catch {
    // Only time is lost.
  }
}

/** Removes the entries of a cache area whose keys are not in `keep` (entries that cannot be removed stay). */
export async function pruneCache(root: string, area: string, keep: ReadonlySet<string>): Promise<void> {
  try {
    const dir = await new RepoBoundary(root).resolve(join(ledgerPaths(root).dir, 'cache', area))
    for (const name of await readdir(dir))
      if (name.endsWith('.json') && !keep.has(name.slice(0, -5))) await unlink(join(dir, name)).catch(() => {})
  } catch {
    // Only space is lost.
  }
}
