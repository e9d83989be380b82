import * as Flags from '@oclif/core/flags'
import { fixPhases, type FixPhasesResult } from '../app/fix-phases.js'
import { EXIT } from '../lib/errors.js'
import { formatFix } from '../report/format-fix.js'
import { createStyle } from '../report/style.js'
import { runFlags } from './run-flags.js'
import { sharedFlags } from './shared-flags.js'

const GATE = 'Fix only the gates with this name, as `wf check` prints it.'
const DRY_RUN = 'Show each fix: its files as unified diffs and the commands it would run; write and run nothing.'
const YES = 'Also write files that have uncommitted changes (each is saved in .wf/backup/ first).'

/** Flags `wf fix` takes. */
export const fixFlags = {
  plan: sharedFlags.plan,
  env: sharedFlags.env,
  'lock-timeout': sharedFlags['lock-timeout'],
  gate: Flags.string({ summary: GATE, helpValue: 'NAME' }),
  'dry-run': Flags.boolean({ char: 'n', summary: DRY_RUN }),
  yes: Flags.boolean({ char: 'y', summary: YES }),
}

/** The flags of `wf check`, `--fix` and the flags that go with it included. */
export const checkFlags = {
  plan: runFlags.plan,
  env: runFlags.env,
  staged: Flags.boolean({ summary: 'Check only the files staged in git; skip gates that need the whole tree.' }),
  concurrency: runFlags.concurrency,
  'lock-timeout': runFlags['lock-timeout'],
  reporter: runFlags.reporter,
  fix: Flags.boolean({
    summary: 'Apply the fixes of the failing gates and check them again, as `wf fix` does.',
    exclusive: ['staged'],
  }),
  gate: Flags.string({ summary: GATE, helpValue: 'NAME', dependsOn: ['fix'] }),
  'dry-run': Flags.boolean({ char: 'n', summary: DRY_RUN, dependsOn: ['fix'] }),
  yes: Flags.boolean({ char: 'y', summary: YES, dependsOn: ['fix'] }),
}

/** What a command hands over from its parsed flags. */
export interface CliFixOptions {
  cwd: string
  phases: string[]
  flags: {
    plan?: string
    env?: string
    gate?: string
    'dry-run'?: boolean
    yes?: boolean
    'lock-timeout': number
  }
  json: boolean
  argv: string[]
}

/** Runs `wf fix`: prints what was fixed, what still fails and why; exit 0 when every failing gate is fixed, else 1. */
export async function cliFix(options: CliFixOptions): Promise<FixPhasesResult> {
  const { flags } = options
  // stdout carries the JSON answer under --json: the commands' output goes to stderr then.
  const stream = options.json ? process.stderr : process.stdout
  const result = await fixPhases({
    cwd: options.cwd,
    plan: flags.plan,
    environment: flags.env,
    phases: options.phases,
    gate: flags.gate,
    dryRun: flags['dry-run'],
    yes: flags.yes,
    lockTimeoutMs: flags['lock-timeout'] * 1000,
    argv: options.argv,
    onLine: (line) => stream.write(`    ${line}\n`),
  })
  if (!options.json) process.stdout.write(formatFix(result, createStyle(process.stdout)))
  process.exitCode = result.status === 'passed' ? EXIT.PASSED : EXIT.FAILED
  return result
}
