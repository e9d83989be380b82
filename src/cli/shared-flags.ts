import * as Flags from '@oclif/core/flags'

/** Flags that several commands take, defined once so their names, defaults and help agree. */
export const sharedFlags = {
  plan: Flags.file({ summary: 'Use only this plan file (and what it includes).', helpValue: 'FILE' }),
  env: Flags.string({
    summary:
      'Apply this environment (`environments:` in the plan, or phases/env/NAME.yaml); its results are kept apart.',
    env: 'WF_ENV',
    helpValue: 'NAME',
  }),
  hook: Flags.string({ summary: 'Which hook.', options: ['pre-commit', 'pre-push'], default: 'pre-commit' }),
  'lock-timeout': Flags.integer({
    summary: 'Seconds to wait for another wf process to finish with the ledger.',
    default: 10,
    min: 0,
    helpValue: 'SECONDS',
  }),
}

/** Flags of the commands that write generated files: preview the change, regenerate, or replace hand edits. */
export const generatorFlags = {
  'dry-run': Flags.boolean({ summary: 'Write nothing; show a unified diff of what would change.', default: false }),
  force: Flags.boolean({
    summary: 'Generate even when the cache says the files are current; a file edited by hand is still left alone.',
    default: false,
  }),
  overwrite: Flags.boolean({
    summary: 'Replace files edited by hand, first saving each to .wf/backup/ID/PATH.',
    default: false,
  }),
  'lock-timeout': sharedFlags['lock-timeout'],
}

/** The generator flags of `wf generate template`, which has no cache: `--force` changes nothing there. */
export const templateGeneratorFlags = {
  ...generatorFlags,
  force: Flags.boolean({
    summary: 'Accepted as on other commands: a template always renders; a file edited by hand is still left alone.',
    default: false,
  }),
}

/** The options the generator flags give. */
export function generatorOptions(flags: {
  'dry-run': boolean
  force: boolean
  overwrite: boolean
  'lock-timeout': number
}) {
  return {
    dryRun: flags['dry-run'],
    force: flags.force,
    overwrite: flags.overwrite,
    lockTimeoutMs: flags['lock-timeout'] * 1000,
  }
}
