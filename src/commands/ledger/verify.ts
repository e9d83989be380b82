import { WfCommand } from '../../cli/base-command.js'
import { findRoot } from '../../lib/paths.js'
import { verifyLedger } from '../../ledger/verify-ledger.js'
import { WF_VERSION } from '../../lib/wf-version.js'
import { EXIT } from '../../lib/errors.js'

export default class LedgerVerify extends WfCommand {
  static override summary = 'Check that the recorded run history was not edited.'
  static override description =
    "Every run record carries the hash of the previous one. This recomputes the chain over the kept records in .wf/runs/, checks that the ledger's head is the last run, and that each phase's latest state matches the run that produced it. Exits 1 when anything does not match."
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
