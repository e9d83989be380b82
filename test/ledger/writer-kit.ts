// What tests of the ledger writer share: git facts, a writer opened with test defaults, a phase record.
import { LedgerWriter, type OpenLedgerOptions, type PhaseRecord } from '../../src/ledger/ledger.js'
import type { WriteFile } from '../../src/ledger/write-queue.js'

export const GIT = { commit: 'abc', branch: 'main', dirty: false }

/** A writer of `root`'s ledger that never waits for the lock; `options` (or a write function) override the defaults. */
export function openWriter(root: string, options: Partial<OpenLedgerOptions> | WriteFile = {}): Promise<LedgerWriter> {
  const extra = typeof options === 'function' ? { write: options } : options
  return LedgerWriter.open(root, { wf: '9.9.9', lockTimeoutMs: 0, command: 'wf test', ...extra })
}

/** A phase record with no tasks or gates. */
export const phaseRecord = (id: string, runId: string, status: PhaseRecord['status'] = 'passed'): PhaseRecord => ({
  id,
  status,
  runId,
  tasks: [],
  gates: [],
})
