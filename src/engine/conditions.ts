import picomatch from 'picomatch'
import type { Condition } from '../plan/plan.generated.js'
import { execCommand } from '../lib/exec.js'
import { redact, type ResolvedEnv } from '../lib/environment.js'
import { matchFiles, toList } from '../lib/files.js'
import { changedFiles, defaultBranch, readGitFacts } from '../lib/git.js'

export interface ConditionContext {
  root: string
  env: ResolvedEnv
  signal?: AbortSignal
}

/** Whether a condition holds, with a reason a person can read. */
export interface ConditionResult {
  value: boolean
  reason: string
}

/** Evaluates a structured `when` condition. */
export async function evaluateCondition(condition: Condition, context: ConditionContext): Promise<ConditionResult> {
  if (condition.env !== undefined) {
    if (typeof condition.env === 'string') {
      const set = Boolean(context.env.vars[condition.env])
      return { value: set, reason: `${condition.env} is ${set ? 'set' : 'not set'}` }
    }
    for (const [name, expected] of Object.entries(condition.env)) {
      const actual = context.env.vars[name]
      if (actual !== expected)
        return {
          value: false,
          reason: redact(
            `${name} is ${actual === undefined ? 'not set' : `"${actual}"`}, not "${expected}"`,
            context.env.secrets,
          ),
        }
    }
    return { value: true, reason: `${Object.keys(condition.env).join(', ')} as required` }
  }
  if (condition.branch !== undefined) {
    const { branch } = await readGitFacts(context.root)
    const patterns = toList(condition.branch)
    const value = branch !== null && picomatch(patterns)(branch)
    return {
      value,
      reason:
        branch === null
          ? 'not on a branch'
          : `branch ${branch} ${value ? 'matches' : 'does not match'} ${patterns.join(', ')}`,
    }
  }
  if (condition.file !== undefined) {
    for (const pattern of toList(condition.file)) {
      if ((await matchFiles(context.root, [pattern])).length === 0)
        return { value: false, reason: `${pattern} does not exist` }
    }
    return {
      value: true,
      reason: `${toList(condition.file).join(', ')} exist${toList(condition.file).length === 1 ? 's' : ''}`,
    }
  }
  if (condition.changed !== undefined) {
    const spec =
      typeof condition.changed === 'object' && !Array.isArray(condition.changed)
        ? condition.changed
        : { paths: condition.changed }
    const since = spec.since ?? (await defaultBranch(context.root))
    const patterns = toList(spec.paths)
    const isMatch = picomatch(patterns, { dot: true })
    const hit = (await changedFiles(context.root, since)).find((f) => isMatch(f))
    return {
      value: hit !== undefined,
      reason: hit ? `${hit} changed since ${since}` : `nothing matching ${patterns.join(', ')} changed since ${since}`,
    }
  }
  if (condition.run !== undefined) {
    const result = await execCommand({
      command: condition.run,
      cwd: context.root,
      env: context.env,
      signal: context.signal,
    })
    return { value: result.exitCode === 0, reason: `\`${condition.run}\` exited ${result.exitCode ?? result.signal}` }
  }
  if (condition.all !== undefined) {
    const reasons: string[] = []
    for (const part of condition.all) {
      const result = await evaluateCondition(part, context)
      if (!result.value) return result
      reasons.push(result.reason)
    }
    return { value: true, reason: reasons.join(' and ') }
  }
  if (condition.any !== undefined) {
    const reasons: string[] = []
    for (const part of condition.any) {
      const result = await evaluateCondition(part, context)
      if (result.value) return result
      reasons.push(result.reason)
    }
    return { value: false, reason: reasons.join(' and ') }
  }
  if (condition.not !== undefined) {
    const result = await evaluateCondition(condition.not, context)
    return { value: !result.value, reason: result.reason }
  }
  throw new Error('empty condition')
}
