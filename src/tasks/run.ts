import { resolve } from 'node:path'
import { execCommand } from '../lib/exec.js'
import { mergeEnv, resolveEnv } from '../lib/environment.js'
import { formatDuration, parseDuration } from '../lib/units.js'
import type { RunTask } from '../plan/plan.generated.js'
import type { TaskKind } from './task-kind.js'

/** `run:` — a shell command in the repository (or `cwd` inside it). */
export const runTask: TaskKind<RunTask> = {
  describe: (task) => task.run,
  paths: (task) =>
    task.cwd === undefined ? [] : [{ at: ['cwd'], value: task.cwd, mustExist: 'any', what: 'working directory' }],
  async run(task, context) {
    const timeoutMs = task.timeout === undefined ? undefined : parseDuration(task.timeout)
    const env = task.env ? mergeEnv(context.env, resolveEnv(context.env.vars, task.env)) : context.env
    const result = await execCommand({
      command: task.run,
      cwd: task.cwd ? resolve(context.root, task.cwd) : context.root,
      env,
      shell: task.shell,
      timeoutMs,
      signal: context.signal,
      onLine: context.onLine,
    })
    if (result.cancelled)
      return { status: 'cancelled', exitCode: result.exitCode, message: 'cancelled', output: result.tail }
    if (result.timedOut)
      return {
        status: 'failed',
        exitCode: result.exitCode,
        message: `timed out after ${formatDuration(timeoutMs!)}`,
        output: result.tail,
      }
    if (result.exitCode === 0) return { status: 'passed', exitCode: 0, output: result.tail }
    const why = result.exitCode === null ? `killed by ${result.signal}` : `exit code ${result.exitCode}`
    return {
      status: 'failed',
      exitCode: result.exitCode,
      message: `\`${task.run}\` failed (${why})`,
      output: result.tail,
    }
  },
}
