// Copies of files edited by hand that wf was told to overwrite, under .wf/backup/<id>/<path>.
// wf never prunes them: they are the only copy of someone's work.
import { randomBytes } from 'node:crypto'
import { closeSync, constants, copyFileSync, fsyncSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { RepoBoundary } from '../lib/inside-repo.js'
import { ledgerPaths } from './paths.js'

/** Where backups live, relative to the repository root. */
export const BACKUP_DIR = '.wf/backup'

/** An id for the backups of a command that is not a recorded run: its UTC time and a random suffix (`20260115T101502Z-ab34f0`). */
export function newBackupId(now = new Date()): string {
  const time = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  return `${time}-${randomBytes(3).toString('hex')}`
}

/** The repository-relative path where the backup of `path` under `id` goes. */
export function backupPath(id: string, path: string): string {
  return `${BACKUP_DIR}/${id}/${path}`
}

/**
 * Copies the file at repository-relative `path` byte for byte to `.wf/backup/<id>/<path>` and
 * syncs it to disk, so the copy outlives a crash right after the original is replaced. An
 * existing backup is never replaced: a second one for the same path gets a `.2`, `.3`… suffix.
 * Returns the repository-relative path of the copy.
 */
export function saveBackup(root: string, id: string, path: string): string {
  const dir = join(ledgerPaths(root).dir, 'backup', id)
  const source = join(root, path)
  const boundary = new RepoBoundary(root)
  for (let n = 1; ; n++) {
    const rel = `${path}${n === 1 ? '' : `.${n}`}`
    const saved = boundary.inFolderSync(join(dir, rel), (target) => {
      try {
        copyFileSync(source, target, constants.COPYFILE_EXCL)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
        throw error
      }
      const fd = openSync(target, constants.O_RDONLY | constants.O_NOFOLLOW)
      try {
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      return true
    })
    if (saved) return backupPath(id, rel)
  }
}
