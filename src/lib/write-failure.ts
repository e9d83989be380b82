import { WfError } from './errors.js'

/** The refusals of a disk that the user can act on: what happened, in words, and what to do. */
const FAULTS: Record<string, { what: string; fix: (file: string) => string }> = {
  ENOSPC: { what: 'no space left on device', fix: () => 'free space' },
  EDQUOT: { what: 'disk quota exceeded', fix: () => 'free space or raise the quota' },
  EROFS: { what: 'read-only file system', fix: (file) => `make the folder of ${file} writable` },
  EACCES: { what: 'permission denied', fix: (file) => `give this user write access to the folder of ${file}` },
  EPERM: { what: 'operation not permitted', fix: (file) => `give this user write access to the folder of ${file}` },
  EIO: { what: 'input/output error', fix: () => 'check the disk' },
}

export interface WriteFailureOptions {
  /** The file as the user should read it (default: the path the error names). */
  file?: string
  /** WF_LEDGER_WRITE for the ledger's own files (exit 3); WF_WRITE_FAILED for any other file. */
  code?: 'WF_LEDGER_WRITE' | 'WF_WRITE_FAILED'
  /** What the failed write left on disk, said after the cause. */
  state?: string
  /** The command to run again once the disk is fixed. */
  command?: string
}

/**
 * A write the disk refused (full, over quota, read-only, no permission, failing) as a WfError that
 * says so in words and names the file; undefined for any other error. Looks through a
 * WF_WRITE_FAILED to the disk's error it wraps, so the file's owner can restate it.
 */
export function writeFailure(error: unknown, options: WriteFailureOptions = {}): WfError | undefined {
  const wrapped = error instanceof WfError && error.code === 'WF_WRITE_FAILED'
  if (error instanceof WfError && !wrapped) return undefined
  const cause = (wrapped ? error.cause : error) as NodeJS.ErrnoException | undefined
  const fault = FAULTS[cause?.code ?? '']
  if (!fault) return undefined
  const file = options.file ?? cause?.path ?? 'a file'
  const again = options.command ? `run \`${options.command}\` again` : 'run the command again'
  return new WfError(
    options.code ?? 'WF_WRITE_FAILED',
    `${fault.what} writing ${file}${options.state ? `; ${options.state}` : ''}`,
    { hint: `${fault.fix(file)}, then ${again}`, cause },
  )
}
