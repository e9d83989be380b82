// The bundle dist/quick.cjs: `wf run`, `wf status` and `wf check` started without oclif, whose
// loading costs more than an up-to-date run's own work. Only what the commands need is imported.
// Argv in any form this parser does not read exactly as oclif would (`--help`, a mistake, `check
// --fix`, …) is handed to the full CLI, so help and usage errors are oclif's own.
import { availableParallelism } from 'node:os'
import { reportCommandError } from './command-error.js'
import { type QuickCommand, type QuickFlag, type QuickFlags, parseQuickArgv } from './quick-argv.js'
import { type CommandContext, checkCommand, runCommand, statusCommand } from './hot-commands.js'

const text: QuickFlag = { type: 'string' }
const yes: QuickFlag = { type: 'boolean' }
const common = { json: yes, cwd: text, plan: text, env: { type: 'string', env: 'WF_ENV' } } satisfies Record<
  string,
  QuickFlag
>
const running = {
  concurrency: { char: 'c', type: 'integer', min: 1, default: () => availableParallelism() },
  'lock-timeout': { type: 'integer', min: 0, default: () => 10 },
  reporter: { type: 'string', options: ['auto', 'live', 'plain', 'github'], default: () => 'auto' },
} satisfies Record<string, QuickFlag>

type Quick = QuickCommand & { run: (flags: QuickFlags, args: string[], context: CommandContext) => Promise<unknown> }

/** The commands started without oclif, with the flags each reads here (the others go to oclif). */
export const QUICK_COMMANDS: Record<string, Quick> = {
  run: {
    args: false,
    flags: {
      ...common,
      ...running,
      'continue-on-error': yes,
      force: { char: 'f', type: 'boolean' },
      overwrite: yes,
      'dry-run': { char: 'n', type: 'boolean' },
      only: { type: 'string', multiple: true },
      from: text,
      affected: yes,
      since: { type: 'string', dependsOn: ['affected'] },
      watch: { char: 'w', type: 'boolean', exclusive: ['dry-run'] },
    },
    run: (flags, _args, context) => runCommand(flags as never, context),
  },
  status: {
    args: false,
    flags: { ...common, detailed: { char: 'd', type: 'boolean' } },
    run: (flags, _args, context) => statusCommand(flags as never, context),
  },
  check: {
    args: true,
    flags: { ...common, ...running, staged: yes },
    run: (flags, args, context) => checkCommand(flags as never, args, context),
  },
}

const printJson = (value: unknown) => console.log(JSON.stringify(value, null, 2))

/**
 * Runs `argv` when it is one of the quick commands in a form read here, as oclif would (output,
 * JSON, errors, exit code); false, having done nothing, otherwise.
 */
export async function runQuick(argv: readonly string[]): Promise<boolean> {
  const [id, ...words] = argv
  const command = id === undefined ? undefined : QUICK_COMMANDS[id]
  // oclif's own switches: its debug output, and JSON output chosen by the environment.
  if (!command || process.env.DEBUG || process.env.WF_CONTENT_TYPE) return false
  const parsed = parseQuickArgv(words, command)
  if (!parsed) return false
  const context = { json: parsed.flags.json === true, argv: words }
  try {
    const result = await command.run(parsed.flags, parsed.args, context)
    if (result && context.json) printJson(result)
  } catch (error) {
    reportCommandError(error as Error, { json: context.json, printJson, command: id! })
  }
  return true
}
