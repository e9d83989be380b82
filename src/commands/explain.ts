import * as Args from '@oclif/core/args'
import { WfCommand } from '../cli/base-command.js'
import { sharedFlags } from '../cli/shared-flags.js'
import { explainPhase } from '../app/explain.js'

export default class Explain extends WfCommand {
  static override summary = 'Say why a phase would run, or that it is up to date.'
  static override description =
    "Compares the phase's inputs now with those of its last passed run and names each difference: a file added, removed or modified, the definition, variables or environment changed, a needed phase changed, or a new wf version."
  static override args = { phase: Args.string({ description: 'The phase id.', required: true }) }
  static override examples = [
    '<%= config.bin %> <%= command.id %> build',
    '<%= config.bin %> <%= command.id %> build --json',
  ]
  static override flags = { plan: sharedFlags.plan, env: sharedFlags.env }

  async run() {
    const { args, flags } = await this.parse(Explain)
    const result = await explainPhase({
      cwd: this.cwdFrom(flags),
      plan: flags.plan,
      environment: flags.env,
      phase: args.phase,
    })
    if (result.upToDate)
      this.log(
        `${result.phase} is up to date: nothing changed since it passed at ${result.lastPassed!.at} (run ${result.lastPassed!.runId}).`,
      )
    else this.log(`${result.phase} would run:\n${result.changes.map((c) => `  - ${c}`).join('\n')}`)
    return result
  }
}
