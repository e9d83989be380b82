import { statSync } from 'node:fs'
import { Command } from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import { PlanError, WfError, exitCodeFor, toJsonError } from '../lib/errors.js'
import { writeFailure } from '../lib/write-failure.js'
import { formatIssues } from '../report/format-issues.js'
import { createStyle } from '../report/style.js'

/** Flags every command takes. */
export const baseFlags = {
  cwd: Flags.directory({ summary: 'Run as if wf was started in DIR.', helpValue: 'DIR' }),
}

/** Shared behaviour: `--json`, `--cwd`, and one place that turns errors into output and exit codes. */
export abstract class WfCommand extends Command {
  static override enableJsonFlag = true
  static override baseFlags = baseFlags

  /** The directory the command works in. */
  protected cwdFrom(flags: { cwd?: string }): string {
    if (flags.cwd === undefined) return process.cwd()
    if (!statSync(flags.cwd, { throwIfNoEntry: false })?.isDirectory())
      throw new WfError('WF_USAGE', `--cwd ${flags.cwd}: no such directory`, {
        hint: 'name an existing directory inside the repository, or leave --cwd out to use the current one',
      })
    return flags.cwd
  }

  /** Ends a command that has an answer but failed: under --json the answer goes out with the error's exit code; otherwise the error is shown. */
  protected failWith<T>(error: WfError, result: T): T {
    if (!this.jsonEnabled()) throw error
    process.exitCode = exitCodeFor(error)
    return result
  }

  override async catch(thrown: Error & { oclif?: { exit?: number } }): Promise<void> {
    if (thrown?.constructor?.name === 'ExitError' || (thrown as { code?: string }).code === 'EEXIT') throw thrown
    // A write the disk refused is the user's to fix, not an internal error.
    const error: typeof thrown = thrown instanceof WfError ? thrown : (writeFailure(thrown) ?? thrown)
    process.exitCode = exitCodeFor(error)
    if (this.jsonEnabled()) {
      this.logJson({ error: toJsonError(error) })
      return
    }
    const style = createStyle(process.stderr)
    if (error instanceof PlanError) {
      process.stderr.write(formatIssues(error.issues, style))
    } else if (error instanceof WfError) {
      process.stderr.write(`${style.red('error')}: ${error.message} ${style.dim(`[${error.code}]`)}\n`)
      if (error.hint) process.stderr.write(`  ${style.cyan('hint')}: ${error.hint}\n`)
    } else if (error.oclif) {
      // Command ids join topics with `:`; users type them with the configured separator (`wf presets show`).
      const command = (this.id ?? '').replaceAll(':', this.config.topicSeparator)
      process.stderr.write(
        `${style.red('error')}: ${error.message}\n  ${style.cyan('hint')}: see \`wf ${command} --help\`\n`,
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
}
