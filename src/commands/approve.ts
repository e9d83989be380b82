import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../cli/base-command.js'
import { sharedFlags } from '../cli/shared-flags.js'
import { approvePhase } from '../app/approve-phase.js'

export default class Approve extends WfCommand {
  static override summary = 'Approve a phase that waits at an approval gate.'
  static override description =
    `Records in the ledger who approved the phase, when and why. The approval holds for the phase's inputs as they are now: when they change, the phase waits for a new approval.

An unsigned approval names whoever ran the command (--by, or git config user.name): it shows that someone able to write .wf/ recorded it. With --sign, wf signs the phase id, its fingerprint, the commit, the time and the note with your SSH key (ssh-keygen -Y sign, the key from git config user.signingkey), and the approver is the name the committed allowed-signers file (default .github/allowed_signers) gives that key. An approval gate with \`signed: true\` accepts only such a signature.`
  static override args = { phase: Args.string({ description: 'The phase id.', required: true }) }
  static override examples = [
    '<%= config.bin %> <%= command.id %> release',
    '<%= config.bin %> <%= command.id %> release --by @alice --note "checked the changelog"',
    '<%= config.bin %> <%= command.id %> release --sign --note "checked the changelog"',
  ]
  static override flags = {
    by: Flags.string({
      summary: 'Who approves (default: git config user.name).',
      helpValue: 'NAME',
      exclusive: ['sign'],
    }),
    sign: Flags.boolean({
      summary: 'Sign with the SSH key in git config user.signingkey; the allowed-signers file names the approver.',
    }),
    note: Flags.string({ summary: 'Why, or what was checked.', helpValue: 'TEXT' }),
    'lock-timeout': sharedFlags['lock-timeout'],
  }

  async run() {
    const { args, flags } = await this.parse(Approve)
    const result = await approvePhase({
      cwd: this.cwdFrom(flags),
      phase: args.phase,
      by: flags.by,
      note: flags.note,
      sign: flags.sign,
      lockTimeoutMs: flags['lock-timeout'] * 1000,
      argv: ['approve', ...this.argv],
    })
    const signed = result.approval.signature ? ' (signed)' : ''
    this.log(`✔ ${result.phase} approved by ${result.approval.by}${signed}; run \`wf run\` to continue`)
    return result
  }
}
