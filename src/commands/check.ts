import { WfCommand } from '../cli/base-command.js'
import { checkFlags, cliFix } from '../cli/cli-fix.js'
import { checkCommand } from '../cli/hot-commands.js'

export default class Check extends WfCommand {
  static override summary = 'Check gates only: no tasks run, nothing is skipped as up to date.'
  static override description =
    `Evaluates the gates of every phase (or of the phases named). Arguments that are not phase ids must be existing files: file-based gates (files-absent, file-contains, forbid, json-schema, workflow, dockerfile, binaries, large-files, markdown-links, plugin) then look only at them, and gates that need the whole tree are not run — this is what the pre-commit framework passes. --staged does the same for the files staged in git, so a pre-commit hook stays fast. An argument that is neither a phase id nor a file (a typo such as \`biuld\`) is a usage error that names the closest phase.
The result is recorded as each phase's last check, with its scope (full, phases, files or staged): \`wf status\` and \`wf report\` show it beside the phase's result, which only \`wf run\` and \`wf run-phase\` set. A check never makes a phase passed or up to date, and never meets a need. --fix applies the fixes of the failing gates and checks again, as \`wf fix\` does.
Exit codes: 0 all gates passed (or were waived or warned), 1 a gate failed, 2 invalid plan or usage, 3 ledger busy, damaged, or its disk full or read-only.`
  static override strict = false
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Check one phase', command: '<%= config.bin %> <%= command.id %> governance' },
    {
      description: 'In a pre-commit hook: only what is staged',
      command: '<%= config.bin %> <%= command.id %> --staged',
    },
    {
      description: 'Check two files, as the pre-commit framework calls it',
      command: '<%= config.bin %> <%= command.id %> src/config.ts .env.example',
    },
  ]
  static override flags = checkFlags

  async run() {
    const { flags, argv } = await this.parse(Check)
    const [json, targets] = [this.jsonEnabled(), argv as string[]]
    if (flags.fix)
      return cliFix({ cwd: this.cwdFrom(flags), phases: targets, flags, json, argv: ['check', ...this.argv] })
    return checkCommand(flags, targets, { json, argv: this.argv })
  }
}
