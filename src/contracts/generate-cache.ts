// A memo of what a contracts target generated for given inputs, so an unchanged re-run of
// `wf contracts generate` neither compiles schemas nor loads the code generator. It lives in the
// repository's .wf/cache/ and is only trusted after every file it lists is found on disk with the
// recorded hash.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { mapLimit, READ_AHEAD, sha256 } from '../lib/files.js'
import { readCache, writeCache } from '../ledger/cache-files.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { listSchemaFiles } from './schema-set.js'
import type { GenerateContractsOptions } from './generate.js'

export interface CachedOutput {
  path: string
  hash: string
  source: string
}

/** A key over everything the output depends on: wf's version, the options, and every schema's path and content. */
export async function inputsKey(root: string, options: GenerateContractsOptions): Promise<string> {
  const hash = createHash('sha256').update(
    `${WF_VERSION}\0${root}\0${options.contracts}\0${options.out}\0${options.validators === true}\0`,
  )
  // Read side by side (one at a time, the thread pool's round trips add up), hashed in order.
  const rels = await listSchemaFiles(root, options.contracts)
  const contents = await mapLimit(rels, READ_AHEAD, (rel) => readFile(join(root, rel)))
  rels.forEach((rel, i) => {
    hash.update(`${rel}\0`).update(contents[i]!).update('\0')
  })
  return hash.digest('hex')
}

/** The outputs recorded for a key, when every one of them is on disk with its recorded content. */
export async function cachedOutputs(root: string, key: string): Promise<CachedOutput[] | undefined> {
  const files = (await readCache<{ files: CachedOutput[] }>(root, 'contracts', key.slice(0, 40)))?.files
  if (!Array.isArray(files) || files.length === 0) return undefined
  const texts = await mapLimit(files, READ_AHEAD, (file) =>
    readFile(join(root, file.path), 'utf8').catch(() => undefined),
  )
  return files.every((file, i) => texts[i] !== undefined && sha256(texts[i]!) === file.hash) ? files : undefined
}

/** Remembers the outputs of a key (best effort: a cache that cannot be written is skipped). */
export async function rememberOutputs(root: string, key: string, files: CachedOutput[]): Promise<void> {
  await writeCache(root, 'contracts', key.slice(0, 40), { files })
}
