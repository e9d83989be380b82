import type { CheckRecord, CheckScope, PhaseRecord } from './ledger.generated.js'

/** How many file names a check's scope lists; past that it only counts them. */
export const LISTED_FILES = 20

/** A phase's last check, from the record of the phase in the check's run. */
export function checkRecord(record: PhaseRecord, scope?: CheckScope): CheckRecord {
  const {
    tasks: _tasks,
    gatesOnly: _gatesOnly,
    fingerprint: _fingerprint,
    environment: _environment,
    ...result
  } = record
  return { ...result, ...(scope ? { scope } : {}) }
}

/** What a check looked at: `files` are the files a files or staged check was given. */
export function checkScope(kind: CheckScope['kind'], files?: readonly string[]): CheckScope {
  if (kind !== 'files' && kind !== 'staged') return { kind }
  const list = files ?? []
  return { kind, fileCount: list.length, ...(list.length <= LISTED_FILES ? { files: [...list] } : {}) }
}
