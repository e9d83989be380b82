import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../../cli/base-command.js'
import { generatorOptions, templateGeneratorFlags } from '../../cli/shared-flags.js'
import { generateTemplate, parseVarFlags, templateDrift } from '../../app/generate-template.js'
import { formatGeneratedFile } from '../../report/format-generated.js'

export default class GenerateTemplate extends WfCommand {
  static override summary = 'Render one template to a file, outside any plan.'
  static override description =
    `Renders a built-in template (builtin:NAME, see \`wf templates list\`) or one of the repository's own (a path such as templates/x.njk) with git facts, the template's defaults and --var values.
wf records the hash of what it writes in the ledger. A file edited by hand since wf wrote it (or not written by wf at all) is left alone and reported with a diff (exit 1). --overwrite replaces it, first copying it byte for byte to .wf/backup/ID/PATH (ID: the time and a random suffix), and names the copy. --dry-run prints the diff and writes nothing; it renders a repository template in a sandbox that can run no program and write no file.`
  static override args = {
    template: Args.string({ description: 'builtin:NAME or a template path in the repository.', required: true }),
  }
  static override examples = [
    '<%= config.bin %> <%= command.id %> builtin:security-policy --var contact=security@acme.dev',
    '<%= config.bin %> <%= command.id %> builtin:license-apache-2.0 --var holder="Acme Inc." --dry-run',
    '<%= config.bin %> <%= command.id %> builtin:dependabot --var ecosystems=\'["npm","docker"]\'',
    '<%= config.bin %> <%= command.id %> templates/README.md.njk --to README.md',
  ]
  static override flags = {
    to: Flags.string({
      summary: "Where to write, relative to the repository root (default: the template's usual place).",
      helpValue: 'PATH',
    }),
    var: Flags.string({
      summary: 'A template variable; repeatable. JSON arrays and objects are parsed.',
      helpValue: 'NAME=VALUE',
      multiple: true,
      default: [],
    }),
    ...templateGeneratorFlags,
  }

  async run() {
    const { args, flags } = await this.parse(GenerateTemplate)
    const result = await generateTemplate({
      cwd: this.cwdFrom(flags),
      template: args.template,
      to: flags.to,
      vars: parseVarFlags(flags.var),
      ...generatorOptions(flags),
      argv: ['generate', 'template', ...this.argv],
    })
    if (!this.jsonEnabled()) this.log(formatGeneratedFile(result, result.dryRun))
    const drift = templateDrift(result)
    return drift ? this.failWith(drift, result) : result
  }
}
