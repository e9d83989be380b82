import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import { importRepolinter } from '../../app/import-repolinter.js'
import { WfCommand } from '../../cli/base-command.js'
import { WfError } from '../../lib/errors.js'

export default class ImportRepolinter extends WfCommand {
  static override summary = 'Translate a Repolinter configuration into a wf plan.'
  static override description =
    `Reads repolinter.json, .yaml or .yml (or FILE): version 2 and the older format. Every rule becomes a gate named after it (level warning → severity warning; level off is skipped), in one phase per distinct \`where\`, since a wf condition belongs to a phase: language=X becomes a condition on X's source files, packager=X on the manifest Repolinter looks for, license=X on the repository's license. Prints each rule with its gate, or the reason it could not be translated; fixes are listed as notes.
Writes phases/repolinter.yaml (and the schema of each json-schema-passes rule beside it); refuses to overwrite without --force. Exits 0 when every rule that runs was translated, 1 when some were not (the plan holds the rest), 2 when the configuration is invalid (nothing is written).`
  static override examples = [
    { description: 'Translate ./repolinter.json', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'Translate a file into another plan',
      command: '<%= config.bin %> <%= command.id %> config/repolinter.yaml --output phases/community.yaml',
    },
    { description: 'Print the plan, write nothing', command: '<%= config.bin %> <%= command.id %> --stdout' },
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
      const log = (line: string) => (flags.stdout ? process.stderr.write(`${line}\n`) : this.log(line))
      const width = Math.max(...result.rules.map((r) => r.name.length))
      for (const rule of result.rules) {
        const name = rule.name.padEnd(width)
        if (rule.status === 'translated') log(`✔ ${name}  ${rule.type} → ${rule.gates!.join(', ')} in ${rule.phase}`)
        else if (rule.status === 'off') log(`- ${name}  off: skipped`)
        else log(`✖ ${name}  ${rule.type}: not translated: ${rule.reason}`)
        for (const note of rule.notes) log(`    note: ${note}`)
      }
      for (const note of result.notes) log(`note: ${note}`)
      const count = (status: string) => result.rules.filter((r) => r.status === status).length
      log(
        `${count('translated')} translated, ${count('untranslated')} not translated, ${count('off')} off${result.written.length ? `; wrote ${result.written.join(', ')}` : ''}`,
      )
    }
    const { plan, ...report } = result
    if (!result.complete)
      return this.failWith(
        new WfError('WF_FAILED', 'some Repolinter rules were not translated', {
          hint: 'each is listed with its reason; the plan holds the rest',
        }),
        flags.stdout ? result : report,
      )
    return flags.stdout ? result : report
  }
}
