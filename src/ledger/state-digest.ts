import stringify from 'safe-stable-stringify'
import { sha256Text } from './hash-record.js'
import type { Ledger, RunRecord } from './ledger.generated.js'

/** The maps of ledger.json whose every entry a finished record vouches for: a new map is one more name here. */
export const STATE_FIELDS = ['phases', 'passed', 'approvals', 'generated', 'checks'] as const

export type StateField = (typeof STATE_FIELDS)[number]
export type StateDigest = NonNullable<RunRecord['state']>
/** The entries of each asserted map as a writer found them, by key (the objects themselves). */
export type LoadedEntries = Record<StateField, Map<string, unknown>>

/** Where a new record's state starts from: the head record's state, and the entries the writer found then. */
export interface StateOrigin {
  previous: StateDigest
  loaded: LoadedEntries
}

/** The digest of one entry: sha256 of its canonical JSON (sorted keys), 32 hex digits; `texts` keeps that JSON by entry. */
export function digestEntry(entry: unknown, texts?: Map<unknown, string>): string {
  const text = stringify(entry) ?? ''
  texts?.set(entry, text)
  return sha256Text(text).slice(0, 32)
}

/** The entries of one asserted map of a ledger (a map it does not hold is empty). */
export function stateEntries(ledger: Ledger, field: StateField): Record<string, unknown> {
  return (ledger as unknown as Record<string, Record<string, unknown> | undefined>)[field] ?? {}
}

/**
 * The entries of a ledger as a writer opens it, to tell later which ones it replaced. Entries of
 * the ledger's active run (still going, or dead and about to be closed) are left out: no record
 * vouches for them yet.
 */
export function loadedEntries(ledger: Ledger): LoadedEntries {
  const active = ledger.active?.runId
  const loaded = {} as LoadedEntries
  for (const field of STATE_FIELDS) {
    loaded[field] = new Map()
    for (const [key, entry] of Object.entries(stateEntries(ledger, field))) {
      const runId = (entry as { runId?: unknown } | undefined)?.runId
      if (entry === undefined || (active !== undefined && runId === active)) continue
      if (field === 'passed' && active !== undefined && ledger.phases[key]?.runId === active) continue
      loaded[field].set(key, entry)
    }
  }
  return loaded
}

/**
 * Digests of the ledger's asserted maps, by map and key (empty maps left out). Without an origin,
 * of every entry. With one, only entries the writer replaced (new objects: writers replace entries,
 * never change them in place) are digested anew; an entry it found keeps the digest the head
 * record gave it, so a hand edit made before the writer opened stays visible instead of being
 * vouched for: found but not in the head's state (added by hand) stays out, and an entry missing
 * when it opened (removed by hand) keeps its old digest. `texts` receives the canonical JSON of each
 * entry digested anew (see `hashRecord`).
 */
export function stateDigest(ledger: Ledger, origin?: StateOrigin, texts?: Map<unknown, string>): StateDigest {
  const state: StateDigest = {}
  for (const field of STATE_FIELDS) {
    const entries = stateEntries(ledger, field)
    const previous = origin?.previous[field] ?? {}
    const loaded = origin?.loaded[field]
    const digests: Record<string, string> = {}
    for (const [key, entry] of Object.entries(entries)) {
      if (entry === undefined) continue
      const digest = loaded?.get(key) === entry ? previous[key] : digestEntry(entry, texts)
      if (digest !== undefined) digests[key] = digest
    }
    if (loaded)
      for (const [key, digest] of Object.entries(previous))
        if (digest !== undefined && entries[key] === undefined && !loaded.has(key)) digests[key] = digest
    if (Object.keys(digests).length > 0) state[field] = digests
  }
  return state
}
