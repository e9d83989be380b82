import { execStep, timeoutProblems } from '../tasks/exec-step.js'
import { formatDuration } from '../lib/units.js'
import type { CommandGate } from '../plan/plan.generated.js'
import type { GateKind } from './gate-kind.js'
import { planRegex, planRegexProblem } from './plan-regex.js'

/** `^` and `$` in a `stdout:` pattern match at each line. */
const STDOUT_FLAGS = 'm'

/** `command:` — a command exits 0 (and its output matches `stdout`, when given). */
export const commandGate: GateKind<CommandGate> = {
  describe: (gate) => `command ${gate.command}`,
  executes: true,
  paths: (gate) =>
    gate.cwd === undefined ? [] : [{ at: ['cwd'], value: gate.cwd, mustExist: 'any', what: 'working directory' }],
  async checkOptions(gate) {
    const found = gate.stdout === undefined ? undefined : await planRegexProblem(gate.stdout, STDOUT_FLAGS)
    const stdout = found
      ? [
          {
            at: ['stdout'],
            message: `stdout pattern \`${gate.stdout}\` is not a valid regular expression: ${found.problem}`,
            hint: found.hint ?? 'escape characters meant literally with `\\`',
          },
        ]
      : []
    return [...stdout, ...timeoutProblems(gate)]
  },
  async check(gate, context) {
    const result = await execStep(gate, {
      root: context.root,
      workspace: context.workspace,
      env: context.env,
      signal: context.signal,
    })
    const timeoutMs = result.timeoutMs
    const tail = result.tail.split('\n').slice(-5).join('\n').trim()
    if (result.timedOut)
      return { status: 'failed', message: `\`${gate.command}\` timed out after ${formatDuration(timeoutMs!)}` }
    if (result.exitCode !== 0) {
      return {
        status: 'failed',
        message: `\`${gate.command}\` exited with ${result.exitCode ?? result.signal}${tail ? `:\n${tail}` : ''}`,
      }
    }
    if (gate.stdout !== undefined && !(await planRegex(gate.stdout, STDOUT_FLAGS)).test(result.stdout)) {
      return {
        status: 'failed',
        message: `\`${gate.command}\` output does not match /${gate.stdout}/${tail ? `:\n${tail}` : ''}`,
      }
    }
    return { status: 'passed', message: `\`${gate.command}\` exited 0` }
  },
}
