import { randomBytes } from 'node:crypto'
import { open, rename, unlink, writeFile } from 'node:fs/promises'

/**
 * Writes a file so that readers see the old or the new content, never a part: temp file, fsync,
 * rename. `durable: false` skips the fsync (still atomic for readers; for files wf can recreate).
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
    throw error
  }
}
