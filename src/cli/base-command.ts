import { Command } from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import type { WfError } from '../lib/errors.js'
import { exitCodeFor } from '../lib/errors.js'
import { cwdFlag } from './cwd-flag.js'
import { reportCommandError } from './command-error.js'

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
    return cwdFlag(flags)
  }

  /** Ends a command that has an answer but failed: under --json the answer goes out with the error's exit code; otherwise the error is shown. */
  protected failWith<T>(error: WfError, result: T): T {
    if (!this.jsonEnabled()) throw error
    process.exitCode = exitCodeFor(error)
    return result
  }

  override async catch(thrown: Error & { oclif?: { exit?: number } }): Promise<void> {
    if (thrown?.constructor?.name === 'ExitError' || (thrown as { code?: string }).code === 'EEXIT') throw thrown
    reportCommandError(thrown, {
      json: this.jsonEnabled(),
      printJson: (value) => this.logJson(value),
      // Command ids join topics with `:`; users type them with the configured separator (`wf presets show`).
      command: (this.id ?? '').replaceAll(':', this.config.topicSeparator),
    })
  }
}
