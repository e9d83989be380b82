// The run options that `wf run`'s flags give, apart from their oclif definitions (src/cli/run-flags.ts) so
// that the quick parser's commands (src/cli/quick-cli.ts) use them without loading oclif.

/** The run options `--affected [--since REF]` give. */
export function affectedFlagOptions(flags: { affected: boolean; since?: string }) {
  return { affected: flags.affected, since: flags.since }
}

/** The options of a run that its flags give (the same for `wf run` and `wf run-phase`). */
export function runFlagOptions(flags: {
  plan?: string
  env?: string
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
    environment: flags.env,
    concurrency: flags.concurrency,
    continueOnError: flags['continue-on-error'],
    force: flags.force,
    overwrite: flags.overwrite,
    dryRun: flags['dry-run'],
    lockTimeoutSeconds: flags['lock-timeout'],
    reporter: flags.reporter as 'auto',
  }
}

/** The run options the flags only `wf run` has give. */
export function runCommandOptions(flags: {
  only?: string[]
  from?: string
  affected: boolean
  since?: string
  watch: boolean
}) {
  return { only: flags.only, from: flags.from, ...affectedFlagOptions(flags), watch: flags.watch }
}
