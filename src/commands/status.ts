import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../cli/base-command.js'
import { sharedFlags } from '../cli/shared-flags.js'
import { statusCommand } from '../cli/hot-commands.js'

export default class Status extends WfCommand {
  static override summary = 'Show the latest result of every phase.'
  static override description =
    "A table of phases with their latest status, when they ran, how long they took and at which commit, from .wf/ledger.json. The status is that of the last full run (`wf run`, `wf run-phase`); once a phase was checked, a LAST CHECK column shows the last `wf check` beside it (its result, scope and age), never in its place. --detailed adds each task and gate with its message, the last check's failing gates, and why a phase is not up to date (naming the files that changed); for an up-to-date phase, the tasks, gates, time and duration of the run that passed it. Waivers are listed with the days they have left."
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --detailed',
    { description: 'The results of the prod environment', command: '<%= config.bin %> <%= command.id %> --env prod' },
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override flags = {
    detailed: Flags.boolean({ char: 'd', summary: 'Show tasks, gates and why each phase would run.' }),
    plan: sharedFlags.plan,
    env: sharedFlags.env,
  }

  async run() {
    const { flags } = await this.parse(Status)
    return statusCommand(flags, { json: this.jsonEnabled(), argv: this.argv })
  }
}
