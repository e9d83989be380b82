import * as Flags from '@oclif/core/flags'
import { availableParallelism } from 'node:os'
import { sharedFlags } from './shared-flags.js'

export { affectedFlagOptions, runCommandOptions, runFlagOptions } from './run-options.js'

/** Flags shared by `wf run` and `wf run-phase`. */
export const runFlags = {
  plan: sharedFlags.plan,
  env: sharedFlags.env,
  concurrency: Flags.integer({
    char: 'c',
    summary: 'How many independent phases run at once.',
    default: availableParallelism(),
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

/** `--affected [--since REF]`, shared by `wf run` and `wf list`. */
export const affectedFlags = {
  affected: Flags.boolean({
    summary:
      'Only the phases whose plan file or inputs changed since the merge base with --since (a phase without inputs: any change), and every phase that depends on them.',
  }),
  since: Flags.string({
    summary:
      'With --affected: compare with the merge base of HEAD and this ref (default: the default branch: origin/HEAD, else main or master).',
    helpValue: 'REF',
    dependsOn: ['affected'],
  }),
}

/** `wf run --watch`: run again whenever a file changes, until Ctrl-C. */
export const watchFlag = Flags.boolean({
  char: 'w',
  summary:
    'After the run, run again whenever a file changes (phases up to date are skipped) until Ctrl-C. Ignores .git/, .wf/, node_modules/ and the files the run generated.',
  exclusive: ['dry-run'],
})

/** The flags only `wf run` has: which phases (`--only`, `--from`, `--affected`) and `--watch`. */
export const runCommandFlags = {
  only: Flags.string({
    summary: 'Run only this phase (repeatable); what it needs must already have passed.',
    multiple: true,
    helpValue: 'ID',
  }),
  from: Flags.string({ summary: 'Run this phase and every phase that depends on it.', helpValue: 'ID' }),
  ...affectedFlags,
  watch: watchFlag,
}
