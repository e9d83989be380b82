// Merge bases: what a template task last rendered for each output, kept as .wf/base/<sha256> so a
// later hand edit can be merged three ways with a new output. Content-addressed: a base is written
// before the file and the ledger record that names it, so a crash in between leaves at worst an
// unnamed base (removed by the next prune), never a record naming content it does not have; a
// base whose content does not hash to its name is not used.
import { existsSync } from 'node:fs'
import { readdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { sha256 } from '../lib/files.js'
import { RepoBoundary } from '../lib/inside-repo.js'
import type { GeneratedFile } from './ledger.generated.js'
import { ledgerPaths } from './paths.js'

/** Outputs larger than this keep no base (and are not merged: a hand edit is refused, as without a base). */
export const BASE_MAX_BYTES = 1024 * 1024

const HASH = /^[0-9a-f]{64}$/
const baseDir = (root: string) => join(ledgerPaths(root).dir, 'base')

/** Keeps `content` as a merge base (temp file and rename, inside the repository); returns its hash, or undefined when it is too large to keep. */
export function saveBase(boundary: RepoBoundary, root: string, content: string): string | undefined {
  if (Buffer.byteLength(content) > BASE_MAX_BYTES) return undefined
  const hash = sha256(content)
  const path = join(baseDir(root), hash)
  if (!existsSync(path)) boundary.writeFileSync(path, content)
  return hash
}

/** The merge base with this hash, or undefined when it is missing or its content does not match the hash. */
export async function readBase(root: string, hash: string): Promise<string | undefined> {
  if (!HASH.test(hash)) return undefined
  const bytes = await new RepoBoundary(root)
    .readFile(join(baseDir(root), hash))
    .catch(() => undefined as Buffer | undefined)
  return bytes && sha256(bytes) === hash ? bytes.toString('utf8') : undefined
}

/** Removes every base that no generated file's record names (the latest base of each output is kept). */
export async function pruneBases(root: string, generated: Record<string, GeneratedFile | undefined>): Promise<void> {
  const keep = new Set(Object.values(generated).map((file) => file?.base ?? file?.hash))
  try {
    const dir = await new RepoBoundary(root).resolve(baseDir(root))
    for (const name of await readdir(dir)) if (!keep.has(name)) await unlink(join(dir, name)).catch(() => {})
  } catch {
    // Only space is lost.
  }
}
