import { createHash } from 'node:crypto'
import stringify from 'safe-stable-stringify'

/** sha256 of a record's canonical JSON (sorted keys), leaving out its own `hash` field. */
export function hashRecord(record: object): string {
  const { hash: _hash, ...rest } = record as { hash?: unknown }
  return createHash('sha256')
    .update(stringify(rest) ?? '')
    .digest('hex')
}
