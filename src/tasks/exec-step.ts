import { resolve } from 'node:path'
import { type EnvLayer, mergeEnv, resolveEnv, type ResolvedEnv } from '../lib/environment.js'
import { execCommand, type ExecOptions, type ExecResult } from '../lib/exec.js'
import type { Workspace } from '../lib/workspace.js'
import { parseDuration } from '../lib/units.js'

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
  const result = await execCommand({
    command: step.command,
    workspace: context.workspace,
    cwd: step.cwd ? resolve(context.root, step.cwd) : context.root,
    env: step.env ? mergeEnv(context.env, resolveEnv(context.env.vars, step.env)) : context.env,
    shell: step.shell,
    timeoutMs,
    signal: context.signal,
    onLine: context.onLine,
  })
  return { ...result, timeoutMs }
}
