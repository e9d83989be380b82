import { WfCommand } from '../../cli/base-command.js'
import { findRoot } from '../../lib/paths.js'
import { verifyLedger } from '../../ledger/verify-ledger.js'
import { WF_VERSION } from '../../lib/wf-version.js'
import { EXIT } from '../../lib/errors.js'

export default class LedgerVerify extends WfCommand {
  static override summary = 'Check that the recorded history and the ledger were not edited.'
  static override description =
    "Every record in .wf/runs/ (a run, `wf approve`, or `wf generate` outside a run) carries the hash of the previous one and a digest of each entry ledger.json holds after it. This recomputes the chain over the kept records, checks that the ledger's head is the last record, and compares every entry of ledger.json (phase states, passed fingerprints, approvals, generated files, checks) and its index of recent runs with what the records vouch for. Exits 1 naming each entry edited, added or removed by hand."
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run() {
    const { flags } = await this.parse(LedgerVerify)
    const result = await verifyLedger(findRoot(this.cwdFrom(flags)), WF_VERSION)
    if (result.ok)
      this.log(`✔ ledger verified: ${result.runs} run ${result.runs === 1 ? 'record' : 'records'}, hash chain intact`)
    else {
      for (const problem of result.problems) this.logToStderr(`✖ ${problem}`)
      process.exitCode = EXIT.FAILED
    }
    return result
  }
}
