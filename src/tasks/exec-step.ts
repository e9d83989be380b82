import { resolve } from 'node:path'
import { WfError } from '../lib/errors.js'
import { type EnvLayer, mergeEnv, resolveEnv, type ResolvedEnv } from '../lib/environment.js'
import { execCommand, type ExecOptions, type ExecResult } from '../lib/exec.js'
import type { Workspace } from '../lib/workspace.js'
import { parseDuration } from '../lib/units.js'
import type { OptionProblem } from '../plan/check-plan.js'

/** The longest timeout a timer can wait (2^31 - 1 ms, about 24.8 days): a longer one would fire at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1

/** A `timeout` too long to keep, as a plan problem (its place, what is wrong, what to do). */
export function timeoutProblems(step: Pick<ExecStep, 'timeout'>): OptionProblem[] {
  if (step.timeout === undefined || parseDuration(step.timeout) <= MAX_TIMEOUT_MS) return []
  return [
    {
      at: ['timeout'],
      message: `timeout ${step.timeout} is longer than wf can wait (at most 596 hours, about 24 days)`,
      hint: 'use a shorter timeout, or leave it out to wait without a limit',
    },
  ]
}

/** A command as a plan writes it, in a `run` task or a `command` gate. */
export interface ExecStep {
  command: string
  cwd?: string
  env?: EnvLayer
  timeout?: Parameters<typeof parseDuration>[0]
  shell?: ExecOptions['shell']
}

/** Runs a plan's command in the repository (or its `cwd` there), with its `env` over the phase's and its `timeout`. */
export async function execStep(
  step: ExecStep,
  context: {
    root: string
    workspace: Workspace
    env: ResolvedEnv
    signal?: AbortSignal
    onLine?: ExecOptions['onLine']
  },
): Promise<ExecResult & { timeoutMs?: number }> {
  const timeoutMs = step.timeout === undefined ? undefined : parseDuration(step.timeout)
  // The real folder, checked to lie inside the repository: a `cwd` that is a link out is refused.
  const cwd = step.cwd
    ? await context.workspace.boundary.resolve(step.cwd).catch((error: unknown) => {
        if (error instanceof WfError) throw error
        return resolve(context.root, step.cwd!)
      })
    : context.root
  const result = await execCommand({
    command: step.command,
    workspace: context.workspace,
    cwd,
    env: step.env ? mergeEnv(context.env, resolveEnv(context.env.vars, step.env)) : context.env,
    shell: step.shell,
    timeoutMs,
    signal: context.signal,
    onLine: context.onLine,
  })
  return { ...result, timeoutMs }
}
