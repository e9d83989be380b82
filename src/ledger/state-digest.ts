import { createHash } from 'node:crypto'
import stringify from 'safe-stable-stringify'
import type { Ledger, RunRecord } from './ledger.generated.js'

/** The maps of ledger.json whose every entry a finished record vouches for: a new map is one more name here. */
export const STATE_FIELDS = ['phases', 'passed', 'approvals', 'generated', 'checks'] as const

export type StateField = (typeof STATE_FIELDS)[number]
export type StateDigest = NonNullable<RunRecord['state']>

/** The digest of one entry: sha256 of its canonical JSON (sorted keys), 32 hex digits. */
export function digestEntry(entry: unknown): string {
  return createHash('sha256')
    .update(stringify(entry) ?? '')
    .digest('hex')
    .slice(0, 32)
}

/** The entries of one asserted map of a ledger (maps it does not hold are empty). */
export function stateEntries(ledger: Ledger, field: StateField): Record<string, unknown> {
  return ((ledger as unknown as Record<string, Record<string, unknown> | undefined>)[field] ?? {}) as Record<
    string,
    unknown
  >
}

/** Digests of every entry of the ledger's asserted maps, by map and key; empty maps are left out. */
export function stateDigest(ledger: Ledger): StateDigest {
  const state: StateDigest = {}
  for (const field of STATE_FIELDS) {
    const digests: Record<string, string> = {}
    let any = false
    for (const [key, entry] of Object.entries(stateEntries(ledger, field))) {
      if (entry === undefined) continue
      digests[key] = digestEntry(entry)
      any = true
    }
    if (any) state[field] = digests
  }
  return state
}
