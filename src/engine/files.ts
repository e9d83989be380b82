import { createHash } from 'node:crypto'
import { readFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'

/** The files among `only` (when given) or else in the tree that match the patterns. */
export async function candidateFiles(root: string, patterns: readonly string[], only?: readonly string[]): Promise<string[]> {
  if (!only) return matchFiles(root, patterns)
  const { default: picomatch } = await import('picomatch')
  const isMatch = picomatch(patterns.map((p) => (GLOB_CHARS.test(p) ? p : `${p.replace(/\/$/, '')}{,/**}`)), { dot: true })
  return only.filter((f) => isMatch(f)).sort()
}

/** A plan value that is one string or a list of them, as a list. */
export function toList(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value]
}

/** What wf never looks into when matching globs. */
export const ALWAYS_IGNORED = ['.git/**', '.wf/**', 'node_modules/**', '**/node_modules/**']
const GLOB_CHARS = /[*?[\]{}!]/

/** Repository-relative files matching globs or plain paths, sorted; plain paths are checked without a directory walk. */
export async function matchFiles(root: string, patterns: readonly string[]): Promise<string[]> {
  const unique = [...new Set(patterns)]
  const plain = unique.filter((p) => !GLOB_CHARS.test(p))
  const globs = unique.filter((p) => GLOB_CHARS.test(p))
  const found = new Set<string>()
  const infos = await Promise.all(plain.map((path) => stat(join(root, path)).catch(() => undefined)))
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
    for (const file of await glob(globs, { cwd: root, dot: true, onlyFiles: true, ignore: ALWAYS_IGNORED, expandDirectories: false })) found.add(file)
  }
  return [...found].sort()
}

// `dir/**`, `dir/**/*` and `dir/**/*.ext`: the most common inputs, listed by a plain directory walk.
const WALKABLE = /^((?:[\w.-]+\/)*[\w.-]+)\/\*\*(?:\/\*(\.[\w]+)?)?$/
const SKIPPED_DIRS = new Set(['.git', '.wf', 'node_modules'])

async function walkFiles(root: string, dir: string): Promise<string[]> {
  const files: string[] = []
  const visit = async (rel: string): Promise<void> => {
    const entries = await readdir(join(root, rel), { withFileTypes: true }).catch(() => [])
    await Promise.all(entries.map(async (entry) => {
      const path = `${rel}/${entry.name}`
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await visit(path)
      } else if (entry.isFile()) files.push(path)
    }))
  }
  await visit(dir.replace(/^\.\//, ''))
  return files
}

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

  constructor(
    private readonly root: string,
    readonly cache: HashCache = {},
  ) {}

  async hash(path: string): Promise<string | undefined> {
    const full = join(this.root, path)
    const info = await stat(full).catch(() => undefined)
    if (!info?.isFile()) return undefined
    const cached = this.cache[path]
    if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) return cached.hash
    const hash = createHash('sha256').update(await readFile(full)).digest('hex').slice(0, 32)
    // A file changed within the last second could change again without moving its mtime.
    if (Date.now() - info.mtimeMs > 1000) {
      this.cache[path] = { size: info.size, mtimeMs: info.mtimeMs, hash }
      this.dirty = true
    }
    return hash
  }

  async hashAll(paths: readonly string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {}
    await Promise.all(paths.map(async (p) => {
      const hash = await this.hash(p)
      if (hash) out[p] = hash
    }))
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)))
  }
}
