import * as Flags from '@oclif/core/flags'

/** Flags that several commands take, defined once so their names, defaults and help agree. */
export const sharedFlags = {
  plan: Flags.file({ summary: 'Use only this plan file (and what it includes).', helpValue: 'FILE' }),
  hook: Flags.string({ summary: 'Which hook.', options: ['pre-commit', 'pre-push'], default: 'pre-commit' }),
  'lock-timeout': Flags.integer({
    summary: 'Seconds to wait for another wf process to finish with the ledger.',
    default: 10,
    min: 0,
    helpValue: 'SECONDS',
  }),
}

/** Flags of the commands that write generated files: preview the change, or overwrite hand edits. */
export const generatorFlags = {
  'dry-run': Flags.boolean({ summary: 'Write nothing; show a unified diff of what would change.', default: false }),
  force: Flags.boolean({ summary: 'Overwrite generated files even when they were edited by hand.', default: false }),
  'lock-timeout': sharedFlags['lock-timeout'],
}

/** The options the generator flags give. */
export function generatorOptions(flags: { 'dry-run': boolean; force: boolean; 'lock-timeout': number }) {
  return { dryRun: flags['dry-run'], force: flags.force, lockTimeoutMs: flags['lock-timeout'] * 1000 }
}
