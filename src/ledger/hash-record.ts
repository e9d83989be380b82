import crypto from 'node:crypto'
import stringify from 'safe-stable-stringify'

/** sha256 of a text in hex: one-shot where Node has it (a tenth of the cost of a Hash object). */
export const sha256Text: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex')

/**
 * sha256 of a record's canonical JSON (sorted keys), leaving out its own `hash` field. `texts`
 * holds the canonical JSON of phase records already made (see `stateDigest`): a record's phases
 * are mostly the entries its state digest has just covered, and are not written out twice.
 */
export function hashRecord(record: object, texts?: ReadonlyMap<unknown, string>): string {
  const { hash: _hash, ...rest } = record as { hash?: unknown; phases?: unknown }
  if (!texts || !Array.isArray(rest.phases)) return sha256Text(stringify(rest) ?? '')
  // The same text safe-stable-stringify makes (keys in code-unit order, undefined left out), with the phases' own texts reused.
  const fields: string[] = []
  for (const key of Object.keys(rest).sort()) {
    const value = (rest as Record<string, unknown>)[key]
    const text =
      key === 'phases'
        ? `[${(value as unknown[]).map((phase) => texts.get(phase) ?? stringify(phase) ?? 'null').join(',')}]`
        : stringify(value)
    if (text !== undefined) fields.push(`${JSON.stringify(key)}:${text}`)
  }
  return sha256Text(`{${fields.join(',')}}`)
}
