import * as Flags from '@oclif/core/flags'
import { sharedFlags } from './shared-flags.js'

/** Flags shared by the contracts commands: run the plan's contracts tasks, or one named on the command line. */
export const targetFlags = {
  schemas: Flags.string({
    summary: "A folder or glob of JSON Schemas to use instead of the plan's contracts tasks (with --out).",
    helpValue: 'DIR|GLOB',
  }),
  out: Flags.string({
    summary: 'Where the types go, with --schemas (relative to the repository root).',
    helpValue: 'DIR',
  }),
  validators: Flags.boolean({
    summary: 'With --schemas: also emit standalone validators (isName(x)).',
    default: false,
  }),
  plan: sharedFlags.plan,
}
