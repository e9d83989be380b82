import stringify from 'safe-stable-stringify'
import { type Ledger, RECENT, type RunRecord, runFileName, summarizeRun } from './ledger.js'
import { digestEntry, STATE_FIELDS, type StateField, stateEntries } from './state-digest.js'

/**
 * What ledger.json asserts that its records do not vouch for, one line per entry edited, added or
 * removed by hand: its maps against the head record's `state`, its `recent` index against the
 * kept records. `chain` is the kept records of the chain, oldest first, ending with the head.
 * Entries the active run wrote are not in the head's state yet and are left out; a head written
 * by a wf that recorded no state is not compared.
 */
export function ledgerEdits(ledger: Ledger, chain: RunRecord[]): string[] {
  const head = chain.at(-1)
  if (!head?.state) return []
  return [...stateEdits(ledger, head), ...recentEdits(ledger, chain)]
}

function stateEdits(ledger: Ledger, head: RunRecord): string[] {
  const problems: string[] = []
  const active = ledger.active?.runId
  const byActiveRun = (field: StateField, key: string, entry: unknown) =>
    active !== undefined &&
    ((entry as { runId?: unknown }).runId === active || (field === 'passed' && ledger.phases[key]?.runId === active))
  const by = label(head)
  for (const field of STATE_FIELDS) {
    const entries = stateEntries(ledger, field)
    const digests = head.state?.[field] ?? {}
    for (const [key, entry] of Object.entries(entries)) {
      if (entry === undefined || byActiveRun(field, key, entry)) continue
      const digest = digests[key]
      if (digest === undefined)
        problems.push(`ledger.json: ${entryName(field, key)} was added by hand (${by} has no such entry)`)
      else if (digestEntry(entry) !== digest)
        problems.push(`ledger.json: ${entryName(field, key)} was edited after ${by} recorded it`)
    }
    for (const key of Object.keys(digests))
      if (entries[key] === undefined)
        problems.push(`ledger.json: ${entryName(field, key)} was removed (${by} recorded it)`)
  }
  return problems
}

function recentEdits(ledger: Ledger, chain: RunRecord[]): string[] {
  const problems: string[] = []
  const expected = new Map(chain.slice(-RECENT).map((run) => [run.seq, run]))
  const oldestKept = chain[0]!.seq
  const listed = new Set<number>()
  for (const entry of ledger.recent) {
    listed.add(entry.seq)
    const run = expected.get(entry.seq)
    if (!run) {
      // Older entries may name records pruned from the history.
      if (entry.seq >= oldestKept)
        problems.push(`ledger.json: recent lists run ${entry.id}, which no kept record matches (added by hand)`)
      continue
    }
    // Only a record that carries state was indexed by this wf (older ones summarized differently).
    if (run.state && stringify(summarizeRun(run)) !== stringify(entry))
      problems.push(
        `ledger.json: recent entry of ${label(run)} was edited (it differs from runs/${runFileName(run.seq)})`,
      )
  }
  for (const run of expected.values())
    if (run.state && !listed.has(run.seq))
      problems.push(`ledger.json: recent leaves out ${label(run)} (it was removed)`)
  return problems
}

/** How a message names a record: a run, or the command that wrote it. */
function label(record: RunRecord): string {
  return !record.kind || record.kind === 'run' ? `run ${record.id}` : `${record.kind} record ${record.id}`
}

function entryName(field: StateField, key: string): string {
  return /^[\w-]+$/.test(key) ? `${field}.${key}` : `${field} \`${key}\``
}
