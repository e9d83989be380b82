import { WfCommand } from '../../cli/base-command.js'
import { generatorFlags, generatorOptions } from '../../cli/shared-flags.js'
import { runContractsGenerate } from '../../app/run-generate.js'
import { targetFlags } from '../../cli/contracts-flags.js'
import { EXIT } from '../../lib/errors.js'
import { formatDrifted, formatGeneratedTargets } from '../../report/format-generated.js'

export default class ContractsGenerate extends WfCommand {
  static override summary = 'Generate TypeScript types (and validators) from JSON Schemas.'
  static override description = [
    'Runs every `contracts` task of the plan, or the one given by --schemas and --out. Each schema file (JSON or YAML, draft-07, 2019-09 or 2020-12) becomes one .ts module named after it (OrderIntent@1.2.json → OrderIntent-v1_2.ts declaring OrderIntentV1_2); cross-file $refs become imports, so each type is declared once; index.ts re-exports everything. With validators, validators.js holds ajv standalone code exporting isName(x) type guards.',
    'A generated file edited by hand is not overwritten (exit 1, with a diff), with or without --force (which only bypasses the cache of what the schemas produced). --overwrite replaces it, first copying it byte for byte to .wf/backup/ID/PATH (ID: the time and a random suffix), and names the copy. Invalid schemas exit 2, naming file, line and JSON pointer.',
  ].join('\n\n')
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --dry-run',
    '<%= config.bin %> <%= command.id %> --schemas contracts/events --out src/generated/events --validators',
  ]
  static override flags = {
    ...targetFlags,
    ...generatorFlags,
  }

  async run() {
    const { flags } = await this.parse(ContractsGenerate)
    const result = await runContractsGenerate({
      cwd: this.cwdFrom(flags),
      schemas: flags.schemas,
      out: flags.out,
      validators: flags.validators,
      plan: flags.plan,
      ...generatorOptions(flags),
      argv: ['contracts', 'generate', ...this.argv],
    })
    if (result.targets.length > 0) this.log(formatGeneratedTargets(result))
    if (result.drifted.length > 0) {
      this.logToStderr(formatDrifted(result.drifted))
      process.exitCode = EXIT.FAILED
    }
    return result
  }
}
