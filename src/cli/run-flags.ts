import * as Flags from '@oclif/core/flags'
import { cpus } from 'node:os'

/** Flags shared by `wf run` and `wf run-phase`. */
export const runFlags = {
  plan: Flags.file({ summary: 'Use only this plan file (and what it includes).', helpValue: 'FILE' }),
  concurrency: Flags.integer({
    char: 'c',
    summary: 'How many independent phases run at once.',
    default: cpus().length,
    min: 1,
  }),
  'continue-on-error': Flags.boolean({ summary: 'Keep running phases that do not depend on a failed one.' }),
  force: Flags.boolean({ char: 'f', summary: 'Run phases even when they are up to date.' }),
  'dry-run': Flags.boolean({ char: 'n', summary: 'Print what would run and why; change nothing.' }),
  'lock-timeout': Flags.integer({
    summary: 'Seconds to wait for another wf run to finish with the ledger.',
    default: 10,
    min: 0,
    helpValue: 'SECONDS',
  }),
  reporter: Flags.string({
    summary: 'Output style: auto picks github under GitHub Actions, a live list on a terminal, plain lines otherwise.',
    options: ['auto', 'live', 'plain', 'github'],
    default: 'auto',
  }),
}
