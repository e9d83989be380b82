import { PlanError, WfError, exitCodeFor, toJsonError } from '../lib/errors.js'
import { writeFailure } from '../lib/write-failure.js'
import { formatIssues } from '../report/format-issues.js'
import { createStyle } from '../report/style.js'

/** How a command ended in error is shown: its JSON printer under --json, and its name as users type it. */
export interface ErrorOutput {
  json: boolean
  printJson: (value: unknown) => void
  /** `presets show`: for the hint of a usage error oclif found. */
  command: string
}

/**
 * Shows the error a command ended with and sets the exit code: under --json the error object;
 * otherwise the message, code and hint (a plan's issues with their positions), and the stack
 * trace only under DEBUG=wf*.
 */
export function reportCommandError(thrown: Error & { oclif?: { exit?: number } }, output: ErrorOutput): void {
  // A write the disk refused is the user's to fix, not an internal error.
  const error: typeof thrown = thrown instanceof WfError ? thrown : (writeFailure(thrown) ?? thrown)
  process.exitCode = exitCodeFor(error)
  if (output.json) {
    output.printJson({ error: toJsonError(error) })
    return
  }
  const style = createStyle(process.stderr)
  if (error instanceof PlanError) {
    process.stderr.write(formatIssues(error.issues, style))
  } else if (error instanceof WfError) {
    process.stderr.write(`${style.red('error')}: ${error.message} ${style.dim(`[${error.code}]`)}\n`)
    if (error.hint) process.stderr.write(`  ${style.cyan('hint')}: ${error.hint}\n`)
  } else if (error.oclif) {
    process.stderr.write(
      `${style.red('error')}: ${error.message}\n  ${style.cyan('hint')}: see \`wf ${output.command} --help\`\n`,
    )
  } else {
    process.stderr.write(
      `${style.red('internal error')}: ${error?.message ?? String(error)}\n  set DEBUG=wf* to see the stack trace\n`,
    )
  }
  if (/\bwf/.test(process.env.DEBUG ?? '')) {
    const cause = (error as { cause?: { stack?: string } }).cause
    for (const stack of [thrown?.stack, cause?.stack]) if (stack) process.stderr.write(`${stack}\n`)
  }
}
