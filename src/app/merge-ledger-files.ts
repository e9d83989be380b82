import { ledgerPaths } from '../ledger/ledger.js'
import { mergeLedgers, type MergeLedgersResult } from '../ledger/merge/merge-ledger.js'
import { findRoot } from '../lib/paths.js'
import { WF_VERSION } from '../lib/wf-version.js'

/** `wf ledger merge`: merges ledgers into `into`, by default the .wf/ of the repository around `cwd`. */
export async function mergeLedgerFiles(options: {
  cwd: string
  sources: string[]
  into?: string
  lockTimeoutSeconds: number
}): Promise<MergeLedgersResult> {
  return mergeLedgers({
    sources: options.sources,
    into: options.into ?? ledgerPaths(findRoot(options.cwd)).dir,
    cwd: options.cwd,
    wf: WF_VERSION,
    lockTimeoutMs: options.lockTimeoutSeconds * 1000,
  })
}
