import { resolve } from 'node:path'
import { execCommand } from '../engine/exec.js'
import { resolveEnv } from '../engine/environment.js'
import { formatDuration, parseDuration } from '../engine/units.js'
import type { CommandGate } from '../plan/plan.generated.js'
import type { GateKind } from './gate-kind.js'

/** `command:` — a command exits 0 (and its output matches `stdout`, when given). */
export const commandGate: GateKind<CommandGate> = {
  describe: (gate) => `command ${gate.command}`,
  async check(gate, context) {
    const timeoutMs = gate.timeout === undefined ? undefined : parseDuration(gate.timeout)
    const extra = gate.env ? resolveEnv(context.env.vars, gate.env) : undefined
    const env = extra ? { vars: { ...context.env.vars, ...extra.vars }, secrets: [...context.env.secrets, ...extra.secrets] } : context.env
    const result = await execCommand({ command: gate.command, cwd: gate.cwd ? resolve(context.root, gate.cwd) : context.root, env, timeoutMs, signal: context.signal })
    const tail = result.tail.split('\n').slice(-5).join('\n').trim()
    if (result.timedOut) return { status: 'failed', message: `\`${gate.command}\` timed out after ${formatDuration(timeoutMs!)}` }
    if (result.exitCode !== 0) {
      return { status: 'failed', message: `\`${gate.command}\` exited with ${result.exitCode ?? result.signal}${tail ? `:\n${tail}` : ''}` }
    }
    if (gate.stdout !== undefined && !new RegExp(gate.stdout, 'm').test(result.stdout)) {
      return { status: 'failed', message: `\`${gate.command}\` output does not match /${gate.stdout}/${tail ? `:\n${tail}` : ''}` }
    }
    return { status: 'passed', message: `\`${gate.command}\` exited 0` }
  },
}
