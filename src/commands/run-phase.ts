import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../cli/base-command.js'
import { cliRun } from '../cli/cli-run.js'
import { runFlagOptions, runFlags } from '../cli/run-flags.js'

export default class RunPhase extends WfCommand {
  static override summary = 'Run one or more phases by id.'
  static override description =
    `Without --with-deps, every phase the named ones need must already have passed (or be up to date); otherwise wf names the unmet needs and exits 2. With --with-deps they run too, when not up to date. --force runs a phase that is up to date; it never overwrites a generated file edited by hand (the task fails with the diff); --overwrite does, first copying the file byte for byte to .wf/backup/RUN-ID/PATH.`
  static override strict = false
  static override args = { ids: Args.string({ description: 'Phase ids.', required: true }) }
  static override examples = [
    '<%= config.bin %> <%= command.id %> phase1',
    {
      description: 'Run a phase and whatever it needs',
      command: '<%= config.bin %> <%= command.id %> test --with-deps',
    },
    {
      description: 'Re-run a phase that is up to date',
      command: '<%= config.bin %> <%= command.id %> governance --force',
    },
    {
      description: 'Replace generated files edited by hand (each is saved in .wf/backup/ first)',
      command: '<%= config.bin %> <%= command.id %> files --overwrite',
    },
  ]
  static override flags = {
    ...runFlags,
    'with-deps': Flags.boolean({ summary: 'Also run the phases these need.' }),
  }

  async run() {
    const { flags, argv } = await this.parse(RunPhase)
    return cliRun({
      cwd: this.cwdFrom(flags),
      ...runFlagOptions(flags),
      only: argv as string[],
      withDeps: flags['with-deps'],
      json: this.jsonEnabled(),
      argv: ['run-phase', ...this.argv],
    })
  }
}
