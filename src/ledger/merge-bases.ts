// Merge bases: what a template task last rendered for each output, kept as .wf/base/<sha256> so a
// later hand edit can be merged three ways with a new output. Content-addressed: a base is written
// before the file and the ledger record that names it, so a crash in between leaves at worst an
// unnamed base (removed by the next prune), never a record naming content it does not have; a
// base whose content does not hash to its name is not used. Bases saved together (a batch of
// template tasks) go into one pack, .wf/base/<sha256 of its index>.pack: its first line the JSON
// list of the bases' hashes, its second the JSON list of their contents, so a thousand outputs
// cost one file written, not a thousand.
import { existsSync } from 'node:fs'
import { open, readdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { sha256 } from '../lib/files.js'
import { RepoBoundary } from '../lib/inside-repo.js'
import type { GeneratedFile } from './ledger.generated.js'
import { ledgerPaths } from './paths.js'

/** Outputs larger than this keep no base (and are not merged: a hand edit is refused, as without a base). */
export const BASE_MAX_BYTES = 1024 * 1024

/** A pack holds bases up to about this many bytes (of text); more bases saved at once make more packs. */
const PACK_MAX_CHARS = 16 * 1024 * 1024

const HASH = /^[0-9a-f]{64}$/
const PACK = /^[0-9a-f]{64}\.pack$/
const baseDir = (root: string) => join(ledgerPaths(root).dir, 'base')
// Cheap before exact: a UTF-16 unit is at most 3 bytes of UTF-8.
const tooLarge = (content: string) => content.length * 3 > BASE_MAX_BYTES && Buffer.byteLength(content) > BASE_MAX_BYTES

/** Keeps `content` as a merge base (temp file and rename, inside the repository); returns its hash, or undefined when it is too large to keep. */
export function saveBase(
  boundary: RepoBoundary,
  root: string,
  content: string,
  hash = sha256(content),
): string | undefined {
  if (tooLarge(content)) return undefined
  const path = join(baseDir(root), hash)
  if (!existsSync(path)) boundary.writeFileSync(path, content)
  return hash
}

/**
 * Keeps many contents as merge bases at once (`hash` is the sha256 of `content`): one base alone as
 * `saveBase` does, more in packs (each written whole: temp file and rename). Too large ones are left out.
 */
export function saveBases(
  boundary: RepoBoundary,
  root: string,
  bases: ReadonlyArray<{ hash: string; content: string }>,
): void {
  const unique = new Map<string, string>()
  for (const { hash, content } of bases) if (!unique.has(hash) && !tooLarge(content)) unique.set(hash, content)
  if (unique.size === 1) {
    for (const [hash, content] of unique) saveBase(boundary, root, content, hash)
    return
  }
  const dir = baseDir(root)
  let hashes: string[] = []
  let contents: string[] = []
  let chars = 0
  const flush = () => {
    if (hashes.length === 0) return
    const index = JSON.stringify(hashes)
    const path = join(dir, `${sha256(index)}.pack`)
    if (!existsSync(path)) boundary.writeFileSync(path, `${index}\n${JSON.stringify(contents)}\n`)
    hashes = []
    contents = []
    chars = 0
  }
  for (const [hash, content] of unique) {
    if (chars + content.length > PACK_MAX_CHARS) flush()
    hashes.push(hash)
    contents.push(content)
    chars += content.length
  }
  flush()
}

/** The merge base with this hash, or undefined when it is missing or its content does not match the hash. */
export async function readBase(root: string, hash: string): Promise<string | undefined> {
  if (!HASH.test(hash)) return undefined
  const boundary = new RepoBoundary(root)
  const bytes = await boundary.readFile(join(baseDir(root), hash)).catch(() => undefined as Buffer | undefined)
  if (bytes && sha256(bytes) === hash) return bytes.toString('utf8')
  for (const name of await readdir(baseDir(root)).catch(() => [] as string[])) {
    if (!PACK.test(name)) continue
    const text = await boundary.readFile(join(baseDir(root), name), 'utf8').catch(() => '')
    const content = packEntry(text, hash)
    if (content !== undefined && sha256(content) === hash) return content
  }
  return undefined
}

/** The content a pack's text holds under `hash`, or undefined (also for a pack that does not parse). */
function packEntry(text: string, hash: string): string | undefined {
  const end = text.indexOf('\n')
  try {
    const at = (JSON.parse(text.slice(0, end)) as unknown[]).indexOf(hash)
    if (at < 0) return undefined
    const content = (JSON.parse(text.slice(end + 1)) as unknown[])[at]
    return typeof content === 'string' ? content : undefined
  } catch {
    return undefined
  }
}

/** The hashes a pack holds: its first line, read alone (undefined when it does not parse). */
async function packHashes(path: string): Promise<string[] | undefined> {
  const file = await open(path, 'r')
  try {
    const chunks: Buffer[] = []
    for (;;) {
      const { buffer, bytesRead } = await file.read({ buffer: Buffer.alloc(64 * 1024) })
      if (bytesRead === 0) break
      const end = buffer.subarray(0, bytesRead).indexOf(10)
      chunks.push(buffer.subarray(0, end < 0 ? bytesRead : end))
      if (end >= 0) break
    }
    const list = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown
    return Array.isArray(list) ? list.filter((h): h is string => typeof h === 'string') : undefined
  } catch {
    return undefined
  } finally {
    await file.close()
  }
}

/** Removes every base that no generated file's record names (the latest base of each output is kept), and every pack holding none of those. */
export async function pruneBases(root: string, generated: Record<string, GeneratedFile | undefined>): Promise<void> {
  const keep = new Set(Object.values(generated).map((file) => file?.base ?? file?.hash))
  try {
    const dir = await new RepoBoundary(root).resolve(baseDir(root))
    for (const name of await readdir(dir)) {
      if (keep.has(name)) continue
      if (PACK.test(name) && (await packHashes(join(dir, name)).catch(() => undefined))?.some((h) => keep.has(h)))
        continue
      await unlink(join(dir, name)).catch(() => {})
    }
  } catch {
    // Only space is lost.
  }
}
