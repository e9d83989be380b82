import * as crypto from 'node:crypto'
import { lstatSync, type Stats } from 'node:fs'
import { readFile, readdir, realpath, stat } from 'node:fs/promises'
import { join, sep } from 'node:path'

/** The files among `only` (when given) or else in the tree that match the patterns. */
export async function candidateFiles(
  root: string,
  patterns: readonly string[],
  only?: readonly string[],
): Promise<string[]> {
  if (!only) return matchFiles(root, patterns)
  const { default: picomatch } = await import('picomatch')
  const isMatch = picomatch(
    patterns.map((p) => (GLOB_CHARS.test(p) ? p : `${p.replace(/\/$/, '')}{,/**}`)),
    { dot: true },
  )
  return only.filter((f) => isMatch(f)).sort()
}

/** How many files wf reads at once when it reads many. */
export const READ_AHEAD = 32

/**
 * `fn` over every item, at most `limit` at a time, results in the items' order: file reads side by
 * side, since one at a time each waits for its own round trip through the thread pool.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/** A plan value that is one string or a list of them, as a list. */
export function toList(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value]
}

/** What wf never looks into when matching globs. */
export const ALWAYS_IGNORED = ['.git/**', '.wf/**', 'node_modules/**', '**/node_modules/**']
/** Characters that make a path a glob. */
export const GLOB_CHARS = /[*?[\]{}!]/

/**
 * Repository-relative files matching globs or plain paths, sorted; plain paths are checked without a
 * directory walk (and through `hasher`, when given, which remembers what it found).
 */
export async function matchFiles(root: string, patterns: readonly string[], hasher?: FileHasher): Promise<string[]> {
  const unique = [...new Set(patterns)]
  const plain = unique.filter((p) => !GLOB_CHARS.test(p))
  const globs = unique.filter((p) => GLOB_CHARS.test(p))
  const found = new Set<string>()
  const infos = await mapLimit(plain, READ_AHEAD, (path) =>
    hasher ? hasher.stat(path) : stat(join(root, path)).catch(() => undefined),
  )
  plain.forEach((path, i) => {
    if (infos[i]?.isFile()) found.add(path.replace(/^\.\//, ''))
    else if (infos[i]?.isDirectory()) globs.push(`${path.replace(/\/$/, '')}/**`)
  })
  for (let i = 0; i < globs.length; i++) {
    const walk = WALKABLE.exec(globs[i]!)
    if (!walk) continue
    globs.splice(i--, 1)
    for (const file of await walkFiles(root, walk[1]!)) if (!walk[2] || file.endsWith(walk[2])) found.add(file)
  }
  if (globs.length > 0) {
    const { glob } = await import('tinyglobby')
    for (const file of await glob(globs, {
      cwd: root,
      dot: true,
      onlyFiles: true,
      ignore: ALWAYS_IGNORED,
      expandDirectories: false,
    }))
      found.add(file)
  }
  return [...found].sort()
}

// `dir/**`, `dir/**/*` and `dir/**/*.ext`: the most common inputs, listed by a plain directory walk.
const WALKABLE = /^((?:[\w.-]+\/)*[\w.-]+)\/\*\*(?:\/\*(\.[\w]+)?)?$/
const SKIPPED_DIRS = new Set(['.git', '.wf', 'node_modules'])

/** The files under `dir`, reading at most READ_AHEAD folders at once (a wide tree must not run out of file descriptors). */
async function walkFiles(root: string, dir: string): Promise<string[]> {
  const files: string[] = []
  const folders = [dir.replace(/^\.\//, '')]
  let reading = 0
  await new Promise<void>((resolve) => {
    const next = () => {
      while (reading < READ_AHEAD && folders.length > 0) {
        const rel = folders.pop()!
        reading++
        readdir(join(root, rel), { withFileTypes: true })
          .catch(() => [])
          .then((entries) => {
            for (const entry of entries) {
              const path = `${rel}/${entry.name}`
              if (entry.isDirectory()) {
                if (!SKIPPED_DIRS.has(entry.name)) folders.push(path)
              } else if (entry.isFile()) files.push(path)
            }
            reading--
            next()
          })
      }
      if (reading === 0 && folders.length === 0) resolve()
    }
    next()
  })
  return files
}

/** The sha256 of a text or bytes, in hex. */
export const sha256: (data: string | Uint8Array) => string =
  // One-shot hashing (Node 20.12+) costs a tenth of a Hash object: generated files hash each output.
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'hex')
    : (data) => crypto.createHash('sha256').update(data).digest('hex')

/** What wf needs of a stat. */
type FileInfo = Pick<Stats, 'isFile' | 'isDirectory' | 'size' | 'mtimeMs'>
/** A file wf wrote itself in this epoch (its hash is known; its size and mtime are not needed). */
const WRITTEN: FileInfo = { isFile: () => true, isDirectory: () => false, size: -1, mtimeMs: -1 }

/** A cached content hash of a file, keyed by its size and mtime (as git's index does). */
export interface HashCacheEntry {
  size: number
  mtimeMs: number
  hash: string
}
export type HashCache = Record<string, HashCacheEntry>

/** Hashes files by content, reusing cached hashes of files whose size and mtime did not change. */
export class FileHasher {
  /** True once the cache gained or replaced an entry (so it is worth saving). */
  dirty = false

  /** Hashes of files wf wrote in this run; good until files may have changed. */
  private written = new Map<string, { hash: string; epoch: number }>()
  /** What stat said about a path, until files may have changed (a phase's fingerprint asks twice). */
  private stats = new Map<string, { info: Promise<FileInfo | undefined>; epoch: number }>()
  private realRoot?: Promise<string>

  /**
   * `epoch` names the current files epoch (see Workspace): what the hasher learns by stat and by
   * writing holds only while it stays the same.
   */
  constructor(
    private readonly root: string,
    readonly cache: HashCache = {},
    private readonly epoch: () => number = () => 0,
  ) {}

  /** Records the content wf just wrote to `path` (its sha256 in hex), so the file need not be read back. */
  wrote(path: string, hash: string): void {
    this.written.set(path, { hash: hash.slice(0, 32), epoch: this.epoch() })
    this.stats.delete(path)
  }

  /** A repository-relative path's stat, or undefined when nothing is there. */
  stat(path: string): Promise<FileInfo | undefined> {
    const epoch = this.epoch()
    if (this.written.get(path)?.epoch === epoch) return Promise.resolve(WRITTEN)
    const known = this.stats.get(path)
    if (known?.epoch === epoch) return known.info
    const info = this.statInside(join(this.root, path)).catch(() => undefined)
    this.stats.set(path, { info, epoch })
    return info
  }

  /**
   * A path's stat, following a link only when it stays in the repository: a link out counts as
   * nothing there, so no outside file's content reaches a fingerprint (links are rare: realpath
   * runs for them alone).
   */
  private async statInside(full: string): Promise<FileInfo | undefined> {
    // Synchronous: a stat costs the main thread a few microseconds so, several times that through the thread pool.
    const info = lstatSync(full, { throwIfNoEntry: false })
    if (!info) return undefined
    if (!info.isSymbolicLink()) return info
    this.realRoot ??= realpath(this.root)
    const [real, root] = await Promise.all([realpath(full), this.realRoot])
    return real === root || real.startsWith(`${root}${sep}`) ? stat(real) : undefined
  }

  async hash(path: string): Promise<string | undefined> {
    const written = this.written.get(path)
    if (written?.epoch === this.epoch()) return written.hash
    const info = await this.stat(path)
    if (!info?.isFile()) return undefined
    const cached = this.cache[path]
    if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) return cached.hash
    const hash = sha256(await readFile(join(this.root, path))).slice(0, 32)
    // A file changed within the last second could change again without moving its mtime.
    if (Date.now() - info.mtimeMs > 1000) {
      this.cache[path] = { size: info.size, mtimeMs: info.mtimeMs, hash }
      this.dirty = true
    }
    return hash
  }

  /** Hashes of the files among `paths`, by path (sorted); at most READ_AHEAD files are open at once. */
  async hashAll(paths: readonly string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {}
    await mapLimit(paths, READ_AHEAD, async (p) => {
      const hash = await this.hash(p)
      if (hash) out[p] = hash
    })
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)))
  }
}
