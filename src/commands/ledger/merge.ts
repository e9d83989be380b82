import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../../cli/base-command.js'
import { mergeLedgers } from '../../ledger/merge/merge-ledger.js'
import { ledgerPaths } from '../../ledger/ledger.js'
import { findRoot } from '../../lib/paths.js'
import { WF_VERSION } from '../../lib/wf-version.js'

export default class LedgerMerge extends WfCommand {
  static override summary = 'Merge ledgers written by parallel jobs into one.'
  static override description =
    `Each argument is a ledger.json file, a ledger folder (ledger.json with its runs/, such as .wf or a copy of it), a repository (its .wf/), or a folder whose subfolders are any of those — the layout actions/download-artifact leaves. The ledgers are merged into this repository's .wf/ (or --into DIR), together with the ledger already there: every run once, ordered by start time and re-numbered with the hash chain rebuilt; each phase's latest result; the newest passed fingerprint and approval of each phase.
Every ledger is verified first (as \`wf ledger verify\` does); one whose history was edited is refused and nothing is written (exit 1). A run a ledger left unfinished (its job was cancelled) is recorded as interrupted. The merged ledger is verified again after it is written.`
  static override strict = false
  static override args = { ledgers: Args.string({ description: 'Ledger files or folders to merge.', required: true }) }
  static override examples = [
    {
      description: 'Merge the ledgers of CI jobs downloaded as artifacts',
      command: '<%= config.bin %> <%= command.id %> "$RUNNER_TEMP/wf-ledgers"',
    },
    {
      description: 'Merge two ledger copies into this repository',
      command: '<%= config.bin %> <%= command.id %> ../job-a/.wf ../job-b/.wf/ledger.json',
    },
    {
      description: "Copy this repository's ledger to a folder an artifact can upload",
      command: '<%= config.bin %> <%= command.id %> .wf --into "$RUNNER_TEMP/wf-ledger"',
    },
  ]
  static override flags = {
    into: Flags.string({
      summary: 'The ledger folder to write (default: .wf/ of this repository); a ledger already there is merged too.',
      helpValue: 'DIR',
    }),
    'lock-timeout': Flags.integer({
      summary: 'Seconds to wait for another wf process to finish with the target ledger.',
      default: 10,
      min: 0,
      helpValue: 'SECONDS',
    }),
  }

  async run() {
    const { flags, argv } = await this.parse(LedgerMerge)
    const cwd = this.cwdFrom(flags)
    const result = await mergeLedgers({
      sources: argv as string[],
      into: flags.into ?? ledgerPaths(findRoot(cwd)).dir,
      cwd,
      wf: WF_VERSION,
      lockTimeoutMs: flags['lock-timeout'] * 1000,
    })
    const n = result.sources.length
    this.log(
      `✔ merged ${n} ${n === 1 ? 'ledger' : 'ledgers'} into ${result.into}: ${result.runs} ${result.runs === 1 ? 'run' : 'runs'}, ${result.phases.length} ${result.phases.length === 1 ? 'phase' : 'phases'}, hash chain verified`,
    )
    return result
  }
}
