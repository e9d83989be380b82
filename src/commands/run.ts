import { WfCommand } from '../cli/base-command.js'
import { runCommand } from '../cli/hot-commands.js'
import { runCommandFlags, runFlags } from '../cli/run-flags.js'

export default class Run extends WfCommand {
  static override summary = 'Run the plan: every phase whose inputs changed, in dependency order.'
  static override description =
    `Phases start when everything they need has passed; independent phases run at once (--concurrency). A phase whose fingerprint matches its last passed run is up to date and skipped (--force runs it anyway). A generated file edited by hand is never overwritten, with or without --force: a template task merges the edit with its new output three ways (the task option merge: false turns that off), and fails with the diff, or the conflicting lines, when it cannot. --overwrite replaces it, first copying it byte for byte to .wf/backup/RUN-ID/PATH, and names the copy in the output and the ledger. A failure blocks its dependants and stops the run unless --continue-on-error. Every result is recorded in .wf/ledger.json as it happens.
--affected runs only the phases affected by the files changed since the merge base of HEAD and --since REF (default: the default branch): committed since, staged, unstaged and untracked files. A phase is affected when a changed file is one of its inputs or its plan file (a phase that declares no inputs: by any change), or when it needs an affected phase; needs of those that have not passed run too. In a shallow clone without REF or the merge base, wf exits 2 saying what to fetch.
Exit codes: 0 passed or up to date, 1 a task or gate failed, 2 invalid plan or usage, 3 ledger busy, damaged, or its disk full or read-only, 130 interrupted (SIGINT, SIGTERM; after SIGHUP wf ends by SIGHUP, 129).`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --env prod',
    {
      description: 'Show what would run and why, without running anything',
      command: '<%= config.bin %> <%= command.id %> --dry-run',
    },
    {
      description: 'Run two phases (their needs must have passed)',
      command: '<%= config.bin %> <%= command.id %> --only lint --only test',
    },
    {
      description: 'Run a phase and everything after it, one at a time',
      command: '<%= config.bin %> <%= command.id %> --from build --concurrency 1',
    },
  ]
  static override flags = {
    ...runFlags,
    ...runCommandFlags,
  }

  async run() {
    const { flags } = await this.parse(Run)
    return runCommand(flags, { json: this.jsonEnabled(), argv: this.argv })
  }
}
