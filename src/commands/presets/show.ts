import * as Args from '@oclif/core/args'
import { WfCommand } from '../../cli/base-command.js'
import { showPreset } from '../../app/show-preset.js'
import { formatPreset } from '../../report/format-preset.js'

export default class PresetsShow extends WfCommand {
  static override summary = 'Show a preset: why it matters, when it applies, and each of its checks.'
  static override description =
    "Prints the preset's category, tags, description and condition, then every check with what it checks, its severity and the hint shown when it fails, and the plan lines that use it. NAME may be given as `builtin:NAME`."
  static override args = { name: Args.string({ description: 'The preset id.', required: true }) }
  static override examples = [
    '<%= config.bin %> <%= command.id %> security-policy',
    '<%= config.bin %> <%= command.id %> builtin:community-health --json',
  ]

  async run() {
    const { args } = await this.parse(PresetsShow)
    const preset = showPreset(args.name)
    if (!this.jsonEnabled()) this.log(formatPreset(preset))
    return preset
  }
}
