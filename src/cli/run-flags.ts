import * as Flags from '@oclif/core/flags'
import { cpus } from 'node:os'
import { sharedFlags } from './shared-flags.js'

/** Flags shared by `wf run` and `wf run-phase`. */
export const runFlags = {
  plan: sharedFlags.plan,
  concurrency: Flags.integer({
    char: 'c',
    summary: 'How many independent phases run at once.',
    default: cpus().length,
    min: 1,
  }),
  'continue-on-error': Flags.boolean({ summary: 'Keep running phases that do not depend on a failed one.' }),
  force: Flags.boolean({
    char: 'f',
    summary: 'Run phases even when they are up to date; a generated file edited by hand is still left alone.',
  }),
  overwrite: Flags.boolean({
    summary: 'Replace generated files edited by hand, first saving each to .wf/backup/RUN-ID/PATH.',
  }),
  'dry-run': Flags.boolean({
    char: 'n',
    summary:
      'Print what each phase would do and why; change nothing and run no plan code (`when: run` is not evaluated; repository templates render in a sandbox). With --json: `phases` lists each decision, reason and steps.',
  }),
  'lock-timeout': sharedFlags['lock-timeout'],
  reporter: Flags.string({
    summary: 'Output style: auto picks github under GitHub Actions, a live list on a terminal, plain lines otherwise.',
    options: ['auto', 'live', 'plain', 'github'],
    default: 'auto',
  }),
}

/** The options of a run that its flags give (the same for `wf run` and `wf run-phase`). */
export function runFlagOptions(flags: {
  plan?: string
  concurrency: number
  'continue-on-error': boolean
  force: boolean
  overwrite: boolean
  'dry-run': boolean
  'lock-timeout': number
  reporter: string
}) {
  return {
    plan: flags.plan,
    concurrency: flags.concurrency,
    continueOnError: flags['continue-on-error'],
    force: flags.force,
    overwrite: flags.overwrite,
    dryRun: flags['dry-run'],
    lockTimeoutSeconds: flags['lock-timeout'],
    reporter: flags.reporter as 'auto',
  }
}
