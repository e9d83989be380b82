import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../cli/base-command.js'
import { readPlan } from '../app/read-plan.js'

export default class Validate extends WfCommand {
  static override summary = 'Check every plan file for errors.'
  static override description =
    `Reads phases/*.yaml (or --plan FILE), validates each against contracts/plan.schema.json and checks what a schema cannot: duplicate phase ids, unknown needs, dependency cycles, include loops, missing template and schema files, paths that leave the repository.
Every problem is reported at once with file:line:col. Exits 0 when the plan is valid and 2 when it is not.`
  static override examples = [
    { description: 'Validate all plans in phases/', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Validate one file', command: '<%= config.bin %> <%= command.id %> --plan phases/release.yaml' },
    { description: 'Machine-readable result', command: '<%= config.bin %> <%= command.id %> --json' },
  ]
  static override flags = {
    plan: Flags.file({ summary: 'Validate only this plan file (and what it includes).', helpValue: 'FILE' }),
  }

  async run() {
    const { flags } = await this.parse(Validate)
    const plan = await readPlan({ cwd: this.cwdFrom(flags), plan: flags.plan, deep: true })
    const result = { valid: true, files: plan.files, phases: plan.phases.length }
    this.log(
      `✔ ${plan.files.length} plan ${plan.files.length === 1 ? 'file' : 'files'}, ${plan.phases.length} ${plan.phases.length === 1 ? 'phase' : 'phases'}: valid`,
    )
    return result
  }
}
