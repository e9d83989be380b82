import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../../cli/base-command.js'
import { findPresets } from '../../app/find-presets.js'
import { EXIT } from '../../lib/errors.js'
import { formatPresets, presetsMarkdown } from '../../report/format-presets.js'

export default class Presets extends WfCommand {
  static override summary = 'List and search the built-in presets (`extends: builtin:NAME`).'
  static override description =
    "Lists wf's policy library grouped by category: each preset's id, name, number of checks and why it matters. QUERY words must all match (id, name, description, tags, category or check names, in any case); best matches come first. Exits 1 when nothing matches, like grep. `wf presets show NAME` explains one preset."
  static override args = { query: Args.string({ description: 'Words to search for.' }) }
  static override strict = false
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> security',
    '<%= config.bin %> <%= command.id %> --category supply-chain --json',
    '<%= config.bin %> <%= command.id %> --markdown',
  ]
  static override flags = {
    category: Flags.string({ summary: 'Only presets of this category.', helpValue: 'CATEGORY' }),
    tag: Flags.string({ summary: 'Only presets with this tag.', helpValue: 'TAG' }),
    markdown: Flags.boolean({ summary: 'Print a Markdown table (the one in the README).' }),
  }

  async run() {
    const { argv, flags } = await this.parse(Presets)
    const query = (argv as string[]).join(' ')
    const presets = findPresets({ query, category: flags.category, tag: flags.tag })
    if (presets.length === 0) {
      process.exitCode = EXIT.FAILED
      const asked = [
        query && JSON.stringify(query),
        flags.category && `category ${flags.category}`,
        flags.tag && `tag ${flags.tag}`,
      ]
      if (!this.jsonEnabled()) process.stderr.write(`no preset matches ${asked.filter(Boolean).join(' with ')}\n`)
    } else if (!this.jsonEnabled()) this.log(flags.markdown ? presetsMarkdown(presets) : formatPresets(presets))
    return { presets }
  }
}
