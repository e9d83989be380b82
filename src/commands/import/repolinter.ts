import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import { importRepolinter } from '../../app/import-repolinter.js'
import { WfCommand } from '../../cli/base-command.js'
import { importReportLines } from '../../cli/import-report.js'
import { WfError } from '../../lib/errors.js'

export default class ImportRepolinter extends WfCommand {
  static override summary = 'Translate a Repolinter configuration into a wf plan.'
  static override description =
    `Reads repolinter.json, .yaml or .yml (or FILE): version 2 and the older format. Every rule becomes a gate named after it (level warning → severity warning; level off is skipped), in one phase per distinct \`where\`, since a wf condition belongs to a phase: language=X becomes a condition on X's source files, packager=X on the manifest Repolinter looks for, license=X on the repository's license. Prints each rule with its gate, or the reason it could not be translated; fixes are listed as notes.
Writes phases/repolinter.yaml (and the schema of each json-schema-passes rule beside it); refuses to overwrite without --force. Exits 0 when every rule that runs was translated, 1 when some were not (the plan holds the rest), 2 when the configuration is invalid (nothing is written).`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> config/repolinter.yaml --output phases/community.yaml',
    '<%= config.bin %> <%= command.id %> --stdout',
  ]
  static override args = {
    file: Args.string({ description: 'The Repolinter configuration (default: repolinter.json, .yaml or .yml here).' }),
  }
  static override flags = {
    output: Flags.string({ summary: 'The plan file to write.', default: 'phases/repolinter.yaml', helpValue: 'FILE' }),
    force: Flags.boolean({ summary: 'Overwrite the plan (and schema files) when they exist.' }),
    stdout: Flags.boolean({ summary: 'Print the plan instead of writing it; nothing is written.' }),
  }

  async run() {
    const { args, flags } = await this.parse(ImportRepolinter)
    const result = await importRepolinter({
      cwd: this.cwdFrom(flags),
      file: args.file,
      output: flags.output,
      force: flags.force,
      stdout: flags.stdout,
    })
    if (!this.jsonEnabled()) {
      if (flags.stdout) process.stdout.write(result.plan)
      for (const line of importReportLines(result)) flags.stdout ? process.stderr.write(`${line}\n`) : this.log(line)
    }
    const { plan, ...report } = result
    if (!result.complete)
      return this.failWith(
        new WfError('WF_FAILED', 'the plan does not hold every Repolinter rule', {
          hint: 'each is listed with its reason; the plan holds the rest',
        }),
        flags.stdout ? result : report,
      )
    return flags.stdout ? result : report
  }
}
