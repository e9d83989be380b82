import { statSync } from 'node:fs'
import { WfError } from '../lib/errors.js'

/** The directory a command works in: `--cwd DIR` (which must exist) or the current one. */
export function cwdFlag(flags: { cwd?: string }): string {
  if (flags.cwd === undefined) return process.cwd()
  if (!statSync(flags.cwd, { throwIfNoEntry: false })?.isDirectory())
    throw new WfError('WF_USAGE', `--cwd ${flags.cwd}: no such directory`, {
      hint: 'name an existing directory inside the repository, or leave --cwd out to use the current one',
    })
  return flags.cwd
}
