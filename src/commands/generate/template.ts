import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../../cli/base-command.js'
import { EXIT, WfError } from '../../lib/errors.js'
import { generateTemplate, parseVarFlags } from '../../app/generate-template.js'
import { WOULD } from '../../generate/outputs.js'

export default class GenerateTemplate extends WfCommand {
  static override summary = 'Render one template to a file, outside any plan.'
  static override description = [
    "Renders a built-in template (builtin:NAME, see `wf templates list`) or one of the repository's own (a path such as templates/x.njk) with git facts, the template's defaults and --var values.",
    'wf records the hash of what it writes in the ledger. A file edited by hand since wf wrote it (or not written by wf at all) is left alone and reported with a diff, unless --force. --dry-run prints the diff and writes nothing.',
  ].join('\n\n')
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
    'dry-run': Flags.boolean({ summary: 'Print the diff of what would change; write nothing.' }),
    force: Flags.boolean({ summary: 'Overwrite the file even if it was edited by hand.' }),
    'lock-timeout': Flags.integer({
      summary: 'Seconds to wait for a running wf to finish with the ledger.',
      default: 10,
      min: 0,
      helpValue: 'SECONDS',
    }),
  }

  async run() {
    const { args, flags } = await this.parse(GenerateTemplate)
    const result = await generateTemplate({
      cwd: this.cwdFrom(flags),
      template: args.template,
      to: flags.to,
      vars: parseVarFlags(flags.var),
      dryRun: flags['dry-run'],
      force: flags.force,
      lockTimeoutMs: flags['lock-timeout'] * 1000,
      argv: ['generate', 'template', ...this.argv],
    })
    if (!this.jsonEnabled()) {
      const verb = result.dryRun
        ? WOULD[result.action]
        : {
            created: '✔ created',
            updated: '✔ updated',
            unchanged: '✔ current:',
            drifted: '✖ not overwritten',
            kept: '✔ kept',
          }[result.action]
      this.log(`${verb} ${result.path}${result.note ? ` (${result.note})` : ''}`)
      if (result.diff) this.log(result.diff)
    }
    if (result.action === 'drifted' && !result.dryRun) {
      if (this.jsonEnabled()) process.exitCode = EXIT.FAILED
      else
        throw new WfError('WF_FAILED', `${result.path} was changed by hand and was not overwritten`, {
          hint: 'Run again with --force to replace it, or keep your edit.',
        })
    }
    return result
  }
}
