import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../../cli/base-command.js'
import { sharedFlags } from '../../cli/shared-flags.js'
import { example } from '../../cli/example.js'
import { mergeLedgerFiles } from '../../app/merge-ledger-files.js'
import { formatMerge } from '../../report/format-merge.js'

export default class LedgerMerge extends WfCommand {
  static override summary = 'Merge ledgers written by parallel jobs into one.'
  static override description =
    `Each argument is a ledger.json file, a ledger folder (ledger.json with its runs/, such as .wf or a copy of it), a repository (its .wf/), or a folder whose subfolders are any of those — the layout actions/download-artifact leaves. The ledgers are merged into this repository's .wf/ (or --into DIR), together with the ledger already there: every run once, ordered by start time and re-numbered with the hash chain rebuilt; each phase's latest result; the newest passed fingerprint and approval of each phase.
Every ledger is verified first (as \`wf ledger verify\` does); one whose history was edited is refused and nothing is written (exit 1). A run a ledger left unfinished (its job was cancelled) is recorded as interrupted. The merged ledger is verified again after it is written.`
  static override strict = false
  static override args = { ledgers: Args.string({ description: 'Ledger files or folders to merge.', required: true }) }
  static override examples = [
    example('Merge the ledgers of CI jobs downloaded as artifacts', '"$RUNNER_TEMP/wf-ledgers"'),
    example('Merge two ledger copies into this repository', '../job-a/.wf ../job-b/.wf/ledger.json'),
    example("Copy this repository's ledger to a folder an artifact can upload", '.wf --into "$RUNNER_TEMP/wf-ledger"'),
  ]
  static override flags = {
    into: Flags.string({
      summary: 'The ledger folder to write (default: .wf/ of this repository); a ledger already there is merged too.',
      helpValue: 'DIR',
    }),
    'lock-timeout': sharedFlags['lock-timeout'],
  }

  async run() {
    const { flags, argv } = await this.parse(LedgerMerge)
    const result = await mergeLedgerFiles({
      cwd: this.cwdFrom(flags),
      sources: argv as string[],
      into: flags.into,
      lockTimeoutSeconds: flags['lock-timeout'],
    })
    this.log(formatMerge(result))
    return result
  }
}
