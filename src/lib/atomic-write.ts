import { randomBytes } from 'node:crypto'
import { open, rename, unlink, writeFile } from 'node:fs/promises'
import { writeFailure } from './write-failure.js'

/**
 * Writes a file so that readers see the old or the new content, never a part: temp file, fsync,
 * rename. `durable: false` skips the fsync (still atomic for readers; for files wf can recreate).
 * A write that fails leaves no temp file; one the disk refuses (full, read-only…) throws
 * WF_WRITE_FAILED naming the file.
 */
export async function writeFileAtomic(path: string, data: string, options: { durable?: boolean } = {}): Promise<void> {
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  try {
    if (options.durable === false) await writeFile(tmp, data)
    else {
      const file = await open(tmp, 'w')
      try {
        await file.writeFile(data)
        await file.sync()
      } finally {
        await file.close()
      }
    }
    await rename(tmp, path)
  } catch (error) {
    await unlink(tmp).catch(() => {})
    throw writeFailure(error, { file: path }) ?? error
  }
}
