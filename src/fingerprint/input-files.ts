import { type Dirent, readdirSync } from 'node:fs'
import { join, sep } from 'node:path'
import { GLOB_CHARS, matchFiles } from '../lib/files.js'
import type { Workspace } from '../lib/workspace.js'

// `dir/**`, `dir/**/*` and `dir/**/*.ext`: the inputs phases declare most, listed by walking `dir`.
const WALKABLE = /^((?:[\w.-]+\/)*[\w.-]+)\/\*\*(?:\/\*(\.[\w]+)?)?$/
const SKIPPED_DIRS = new Set(['.git', '.wf', 'node_modules'])

/**
 * The repository-relative files the globs and plain paths match, sorted, exactly as `matchFiles`
 * finds them; `dir/**` globs are listed by one synchronous walk of their folders.
 */
export async function inputFiles(workspace: Workspace, patterns: readonly string[]): Promise<string[]> {
  const rest: string[] = []
  const plain: string[] = []
  const walks = new Map<string, (string | undefined)[]>()
  for (const pattern of new Set(patterns)) {
    const walk = WALKABLE.exec(pattern)
    if (walk) {
      const dir = walk[1]!.replace(/^\.\//, '')
      walks.set(dir, [...(walks.get(dir) ?? []), walk[2]])
    } else if (GLOB_CHARS.test(pattern)) rest.push(pattern)
    else plain.push(pattern)
  }
  const found = new Set<string>()
  // A plain path (every phase's `.env`) is one stat, which the hasher remembers; a folder is left to matchFiles.
  for (const path of plain) {
    const info = await workspace.hasher.stat(path)
    if (info?.isFile()) found.add(path.replace(/^\.\//, ''))
    else if (info?.isDirectory()) rest.push(path)
  }
  for (const [dir, endings] of walks)
    for (const file of folderFiles(workspace.root, dir))
      if (endings.some((ending) => !ending || file.endsWith(ending))) found.add(file)
  if (rest.length > 0) for (const file of await matchFiles(workspace.root, rest, workspace.hasher)) found.add(file)
  return [...found].sort()
}

/**
 * The files under `dir`, not following links and skipping .git, .wf and node_modules. Listed
 * synchronously: a listing costs the main thread a few microseconds this way and several times
 * that through the thread pool, and a phase's fingerprint waits for its walk either way.
 */
function folderFiles(root: string, dir: string): string[] {
  const files: string[] = []
  const folders = [dir]
  // path.join normalizes every path it builds, a cost per folder; names read from a folder need none,
  // so only a start naming `.` or `..` goes through it.
  const plain = !/(^|\/)\.\.?(\/|$)/.test(dir)
  const base = root.endsWith(sep) ? root : `${root}${sep}`
  while (folders.length > 0) {
    const rel = folders.pop()!
    let entries: Dirent[]
    try {
      entries = readdirSync(plain ? base + rel : join(root, rel), { withFileTypes: true })
    } catch {
      continue
    }
    for (const entry of entries) {
      const path = `${rel}/${entry.name}`
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) folders.push(path)
      } else if (entry.isFile()) files.push(path)
    }
  }
  return files
}
