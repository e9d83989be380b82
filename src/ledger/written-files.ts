import { join } from 'node:path'
import { sha256 } from '../lib/files.js'
import { RepoBoundary } from '../lib/inside-repo.js'
import { ledgerPaths } from './paths.js'

const fileOf = (root: string) => join(ledgerPaths(root).dir, 'written.json')

/**
 * Files wf wrote into the repository on request (`wf report --output`, `wf ci github`), by
 * repository-relative path, with the sha256 (32 hex digits) of what it wrote; empty when none.
 */
export async function readWrittenFiles(root: string): Promise<Record<string, string>> {
  const text = await new RepoBoundary(root).readFile(fileOf(root), 'utf8').catch(() => undefined)
  if (!text) return {}
  try {
    const value = JSON.parse(text) as unknown
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {}
  } catch {
    return {}
  }
}

/** Records that wf wrote `text` to `path` (repository-relative): while the file holds it, it is not a change of the tree. */
export async function recordWrittenFile(root: string, path: string, text: string): Promise<void> {
  const written = await readWrittenFiles(root)
  written[path] = sha256(text).slice(0, 32)
  // Inside the repository like every other write under .wf (no link out is followed).
  await new RepoBoundary(root).writeFile(fileOf(root), `${JSON.stringify(written, null, 2)}\n`)
}
