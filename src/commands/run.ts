import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../cli/base-command.js'
import { cliRun } from '../cli/cli-run.js'
import { runFlagOptions, runFlags } from '../cli/run-flags.js'

export default class Run extends WfCommand {
  static override summary = 'Run the plan: every phase whose inputs changed, in dependency order.'
  static override description =
    `Phases start when everything they need has passed; independent phases run at once (--concurrency). A phase whose fingerprint matches its last passed run is up to date and skipped (--force runs it anyway). A generated file edited by hand is never overwritten, with or without --force: its task fails with the diff. --overwrite replaces it, first copying it byte for byte to .wf/backup/RUN-ID/PATH, and names the copy in the output and the ledger. A failure blocks its dependants and stops the run unless --continue-on-error. Every result is recorded in .wf/ledger.json as it happens.
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
    only: Flags.string({
      summary: 'Run only this phase (repeatable); what it needs must already have passed.',
      multiple: true,
      helpValue: 'ID',
    }),
    from: Flags.string({ summary: 'Run this phase and every phase that depends on it.', helpValue: 'ID' }),
  }

  async run() {
    const { flags } = await this.parse(Run)
    return cliRun({
      cwd: this.cwdFrom(flags),
      ...runFlagOptions(flags),
      only: flags.only,
      from: flags.from,
      json: this.jsonEnabled(),
      argv: ['run', ...this.argv],
    })
  }
}
