import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../../cli/base-command.js'
import { runContractsGenerate } from '../../app/run-generate.js'
import { targetFlags } from '../../cli/contracts-flags.js'
import { EXIT } from '../../lib/errors.js'

export default class ContractsGenerate extends WfCommand {
  static override summary = 'Generate TypeScript types (and validators) from JSON Schemas.'
  static override description = [
    'Runs every `contracts` task of the plan, or the one given by --schemas and --out. Each schema file (JSON or YAML, draft-07, 2019-09 or 2020-12) becomes one .ts module named after it (OrderIntent@1.2.json → OrderIntent-v1_2.ts declaring OrderIntentV1_2); cross-file $refs become imports, so each type is declared once; index.ts re-exports everything. With validators, validators.js holds ajv standalone code exporting isName(x) type guards.',
    'A generated file edited by hand is not overwritten (exit 1, with a diff) unless --force. Invalid schemas exit 2, naming file, line and JSON pointer.',
  ].join('\n\n')
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --dry-run',
    '<%= config.bin %> <%= command.id %> --schemas contracts/events --out src/generated/events --validators',
  ]
  static override flags = {
    ...targetFlags,
    'dry-run': Flags.boolean({ summary: 'Write nothing; show a unified diff of what would change.', default: false }),
    force: Flags.boolean({ summary: 'Overwrite generated files even when they were edited by hand.', default: false }),
    'lock-timeout': Flags.integer({
      summary: 'Seconds to wait for a running wf to finish with the ledger.',
      default: 10,
      min: 0,
      helpValue: 'SECONDS',
    }),
  }

  async run() {
    const { flags } = await this.parse(ContractsGenerate)
    const result = await runContractsGenerate({
      cwd: this.cwdFrom(flags),
      schemas: flags.schemas,
      out: flags.out,
      validators: flags.validators,
      plan: flags.plan,
      dryRun: flags['dry-run'],
      force: flags.force,
      lockTimeoutMs: flags['lock-timeout'] * 1000,
      argv: ['contracts', 'generate', ...this.argv],
    })
    for (const { target, files } of result.targets) {
      const changed = files.filter((f) => f.action !== 'unchanged')
      this.log(
        `${target.contracts} → ${target.out}: ${files.length} files, ${changed.length === 0 ? 'all current' : `${changed.length} ${result.dryRun ? 'would change' : 'changed'}`}`,
      )
      for (const file of changed) {
        this.log(
          `  ${(result.dryRun && file.action !== 'drifted' ? `would ${file.action === 'created' ? 'create' : 'update'}` : file.action).padEnd(12)} ${file.path}${file.note ? ` (${file.note})` : ''}`,
        )
        if (file.diff)
          this.log(
            file.diff
              .split('\n')
              .map((line) => `    ${line}`)
              .join('\n'),
          )
      }
    }
    if (result.drifted.length > 0) {
      this.logToStderr(
        `✖ ${result.drifted.join(', ')} ${result.drifted.length === 1 ? 'was' : 'were'} edited by hand and not overwritten; run with --force to regenerate`,
      )
      process.exitCode = EXIT.FAILED
    }
    return result
  }
}
