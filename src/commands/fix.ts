import * as Args from '@oclif/core/args'
import { WfCommand } from '../cli/base-command.js'
import { cliFix, fixFlags } from '../cli/cli-fix.js'

export default class Fix extends WfCommand {
  static override summary = 'Fix what fails: apply the fixes of the failing gates, then check them again.'
  static override description =
    `Checks the gates of every phase (or of the phases named), applies the \`fix:\` of each gate that fails — renders its template to its file, or runs its command — and checks again. It reports what is fixed, what still fails and why, and what cannot be fixed (a \`manual\` fix says why and what to do by hand). Files it writes are recorded as generated, so a later hand edit shows as drift. It refuses to write over a file with uncommitted changes unless --yes (the file is then saved in .wf/backup/ first); commands are run whatever the state of the tree. --dry-run shows each change as a unified diff and each command it would run, and writes nothing.
Exit codes: 0 every failing gate is fixed (or none fails), 1 some still fail or cannot be fixed (in a dry run: some gate fails), 2 invalid plan or usage, 3 ledger busy.`
  static override strict = false
  static override args = { phases: Args.string({ description: 'Phase ids (default: every phase).' }) }
  static override examples = [
    '<%= config.bin %> <%= command.id %> --dry-run',
    { description: 'Fix one phase', command: '<%= config.bin %> <%= command.id %> governance' },
    {
      description: 'Fix one gate, writing over uncommitted changes',
      command: '<%= config.bin %> <%= command.id %> --gate "files exist: SECURITY.md" --yes',
    },
  ]
  static override flags = fixFlags

  async run() {
    const { flags, argv } = await this.parse(Fix)
    const phases = argv as string[]
    return cliFix({ cwd: this.cwdFrom(flags), phases, flags, json: this.jsonEnabled(), argv: ['fix', ...this.argv] })
  }
}
