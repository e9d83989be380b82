import { execStep, timeoutProblems } from './exec-step.js'
import { formatDuration } from '../lib/units.js'
import type { RunTask } from '../plan/plan.generated.js'
import type { TaskKind } from './task-kind.js'

/** `run:` — a shell command in the repository (or `cwd` inside it). */
export const runTask: TaskKind<RunTask> = {
  describe: (task) => task.run,
  paths: (task) =>
    task.cwd === undefined ? [] : [{ at: ['cwd'], value: task.cwd, mustExist: 'any', what: 'working directory' }],
  checkOptions: (task) => timeoutProblems(task),
  async run(task, context) {
    const result = await execStep({ ...task, command: task.run }, context)
    const timeoutMs = result.timeoutMs
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
