// What `wf run`, `wf status` and `wf check` do once their flags are read, whichever parser read
// them: oclif (src/commands/) or the quick one of src/cli/quick-cli.ts, which starts without oclif.
import { readStatus } from '../app/read-status.js'
import { formatStatus } from '../report/format-status.js'
import { cliRun } from './cli-run.js'
import { cwdFlag } from './cwd-flag.js'
import { runCommandOptions, runFlagOptions } from './run-options.js'

/** What a command was given besides its flags: `--json`, and its words after the command's name. */
export interface CommandContext {
  json: boolean
  argv: string[]
}

export type RunCommandFlags = Parameters<typeof runFlagOptions>[0] &
  Parameters<typeof runCommandOptions>[0] & { cwd?: string }

/** `wf run`. */
export function runCommand(flags: RunCommandFlags, context: CommandContext) {
  return cliRun({
    cwd: cwdFlag(flags),
    ...runFlagOptions(flags),
    ...runCommandOptions(flags),
    json: context.json,
    argv: ['run', ...context.argv],
  })
}

export interface StatusCommandFlags {
  cwd?: string
  plan?: string
  env?: string
  detailed?: boolean
}

/** `wf status`: the table (or, under --json, only the answer, which the caller prints). */
export async function statusCommand(flags: StatusCommandFlags, context: CommandContext) {
  const report = await readStatus({
    cwd: cwdFlag(flags),
    plan: flags.plan,
    environment: flags.env,
    detailed: flags.detailed,
  })
  if (!context.json) console.log(formatStatus(report, flags.detailed === true))
  return report
}

export interface CheckCommandFlags {
  cwd?: string
  plan?: string
  env?: string
  staged?: boolean
  concurrency: number
  'lock-timeout': number
  reporter: string
}

/** `wf check` without --fix: gates only, on the phases or files named. */
export function checkCommand(flags: CheckCommandFlags, targets: string[], context: CommandContext) {
  return cliRun({
    cwd: cwdFlag(flags),
    plan: flags.plan,
    environment: flags.env,
    targets,
    staged: flags.staged,
    gatesOnly: true,
    concurrency: flags.concurrency,
    lockTimeoutSeconds: flags['lock-timeout'],
    reporter: flags.reporter as 'auto',
    json: context.json,
    argv: ['check', ...context.argv],
  })
}
