import { lstat as lstatCallback, lstatSync, readFile as readFileCallback, readFileSync, type Stats } from 'node:fs'
import { promisify } from 'node:util'

const MAX_BYTES = 1024 * 1024
const SNIFF_BYTES = 8192
// The callback API costs less per call than fs/promises, which shows over thousands of small files.
const lstat = promisify(lstatCallback)
const readBytes = promisify(readFileCallback)

/** A file gone since it was listed is not scanned; any other failure to read it (no permission, too many open files) is the scan's failure, not a pass. */
function gone(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined
  throw error
}

/**
 * A file's text, or undefined when it is not scanned: gone, not a regular file, binary (a NUL in
 * its first 8 KB), or over 1 MiB. Throws when the file is there but cannot be read.
 */
export async function readText(path: string): Promise<string | undefined> {
  const info = await lstat(path).catch(gone)
  if (!info?.isFile() || info.size > MAX_BYTES) return undefined
  const bytes = await readBytes(path).catch(gone)
  if (!bytes || bytes.subarray(0, SNIFF_BYTES).includes(0)) return undefined
  return bytes.toString('utf8')
}

/** readText, blocking: for worker threads, where a blocking read costs less than a trip through libuv's thread pool. */
export function readTextSync(path: string): string | undefined {
  let info: Stats
  let bytes: Buffer
  try {
    info = lstatSync(path)
    if (!info.isFile() || info.size > MAX_BYTES) return undefined
    bytes = readFileSync(path)
  } catch (error) {
    return gone(error as NodeJS.ErrnoException)
  }
  if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return undefined
  return bytes.toString('utf8')
}
