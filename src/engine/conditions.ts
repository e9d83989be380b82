import picomatch from 'picomatch'
import type { Condition } from '../plan/plan.generated.js'
import { execCommand } from '../lib/exec.js'
import { redact, type ResolvedEnv } from '../lib/environment.js'
import { matchFiles, toList } from '../lib/files.js'
import { LANGUAGES, repositoryFacts, repositoryLicenses, TOOLS } from '../lib/repository-facts.js'
import type { Workspace } from '../lib/workspace.js'

/** What a condition is evaluated in. */
export interface ConditionContext {
  /** The run's workspace: git facts, and the shells `run` conditions use. */
  workspace: Workspace
  env: ResolvedEnv
  signal?: AbortSignal
  /** Set on read-only paths: `run:` conditions are not evaluated and say this text. */
  readOnly?: string
}

/** Whether a condition holds (undefined: not known, as a read-only run does not run its command), with a reason a person can read. */
export interface ConditionResult {
  value: boolean | undefined
  reason: string
}

/** Evaluates a structured `when` condition. */
export async function evaluateCondition(condition: Condition, context: ConditionContext): Promise<ConditionResult> {
  if (condition.env !== undefined) return envCondition(condition.env, context)
  if (condition.branch !== undefined) return branchCondition(toList(condition.branch), context)
  if (condition.file !== undefined) return fileCondition(toList(condition.file), context)
  if (condition.changed !== undefined) return changedCondition(condition.changed, context)
  if (condition.run !== undefined) return runCondition(condition.run, context)
  if (condition.language !== undefined) return factCondition('language', toList(condition.language), context)
  if (condition.uses !== undefined) return factCondition('uses', toList(condition.uses), context)
  if (condition.license !== undefined) return licenseCondition(toList(condition.license), context)
  if (condition.all !== undefined) return allCondition(condition.all, context)
  if (condition.any !== undefined) return anyCondition(condition.any, context)
  if (condition.not !== undefined) {
    const result = await evaluateCondition(condition.not, context)
    return { value: result.value === undefined ? undefined : !result.value, reason: result.reason }
  }
  throw new Error('empty condition')
}

/** `env: NAME` (set and not empty) or `env: { NAME: value }` (each equal). */
function envCondition(spec: NonNullable<Condition['env']>, context: ConditionContext): ConditionResult {
  if (typeof spec === 'string') {
    const set = Boolean(context.env.vars[spec])
    return { value: set, reason: `${spec} is ${set ? 'set' : 'not set'}` }
  }
  for (const [name, expected] of Object.entries(spec)) {
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
  return { value: true, reason: `${Object.keys(spec).join(', ')} as required` }
}

/** `branch:` the current branch matches one of the globs. */
async function branchCondition(patterns: string[], context: ConditionContext): Promise<ConditionResult> {
  const { branch } = await context.workspace.git.facts()
  const value = branch !== null && picomatch(patterns)(branch)
  return {
    value,
    reason:
      branch === null
        ? 'not on a branch'
        : `branch ${branch} ${value ? 'matches' : 'does not match'} ${patterns.join(', ')}`,
  }
}

/** `file:` every path or glob matches a file. */
async function fileCondition(patterns: string[], context: ConditionContext): Promise<ConditionResult> {
  for (const pattern of patterns) {
    if ((await matchFiles(context.workspace.root, [pattern])).length === 0)
      return { value: false, reason: `${pattern} does not exist` }
  }
  return { value: true, reason: `${patterns.join(', ')} exist${patterns.length === 1 ? 's' : ''}` }
}

/** `changed:` a file matching the globs changed since a ref (the default branch unless `since`). */
async function changedCondition(
  changed: NonNullable<Condition['changed']>,
  context: ConditionContext,
): Promise<ConditionResult> {
  const spec = typeof changed === 'object' && !Array.isArray(changed) ? changed : { paths: changed }
  const git = context.workspace.git
  const since = spec.since ?? (await git.defaultBranch())
  const patterns = toList(spec.paths)
  const isMatch = picomatch(patterns, { dot: true })
  const hit = (await git.changedFiles(since)).find((f) => isMatch(f))
  return {
    value: hit !== undefined,
    reason: hit ? `${hit} changed since ${since}` : `nothing matching ${patterns.join(', ')} changed since ${since}`,
  }
}

/** `language:` / `uses:` the repository root shows one of the named languages or tools. */
async function factCondition(
  kind: 'language' | 'uses',
  names: string[],
  context: ConditionContext,
): Promise<ConditionResult> {
  const facts = await repositoryFacts(context.workspace)
  const [found, table] = kind === 'language' ? [facts.languages, LANGUAGES] : [facts.tools, TOOLS]
  const subject = `${kind} ${names.join(', ')}`
  const hit = names.find((name) => found.has(name))
  if (hit !== undefined) return { value: true, reason: `${subject}: ${found.get(hit)} found` }
  const missing = [...new Set(names.map((name) => table[name]?.missing ?? `no ${name} found`))]
  return { value: false, reason: `${subject}: ${missing.join(', ')}` }
}

/** `license:` a root license file is identified as one of the SPDX ids. */
async function licenseCondition(ids: string[], context: ConditionContext): Promise<ConditionResult> {
  const found = await repositoryLicenses(context.workspace)
  const subject = `license ${ids.join(', ')}`
  const hit = ids.find((id) => found.has(id))
  if (hit !== undefined) return { value: true, reason: `${subject}: ${found.get(hit)} is ${hit}` }
  const byFile = new Map<string, string>()
  for (const [id, file] of found) if (!byFile.has(file)) byFile.set(file, id)
  const seen = [...byFile].map(([file, id]) => `${file} is ${id}`)
  return { value: false, reason: `${subject}: ${seen.length ? seen.join(', ') : 'no root license file identified'}` }
}

/** `run:` a command exits 0. */
async function runCondition(command: string, context: ConditionContext): Promise<ConditionResult> {
  if (context.readOnly) return { value: undefined, reason: `\`${command}\` ${context.readOnly}` }
  const result = await execCommand({
    command,
    workspace: context.workspace,
    cwd: context.workspace.root,
    env: context.env,
    signal: context.signal,
  })
  return { value: result.exitCode === 0, reason: `\`${command}\` exited ${result.exitCode ?? result.signal}` }
}

/** `all:` every part holds (the first that does not says why); not known when no part is false and some is not known. */
async function allCondition(parts: Condition[], context: ConditionContext): Promise<ConditionResult> {
  const reasons: string[] = []
  let unknown: ConditionResult | undefined
  for (const part of parts) {
    const result = await evaluateCondition(part, context)
    if (result.value === false) return result
    if (result.value === undefined) unknown ??= result
    else reasons.push(result.reason)
  }
  return unknown ?? { value: true, reason: reasons.join(' and ') }
}

/** `any:` some part holds (the first that does says why); not known when no part holds and some is not known. */
async function anyCondition(parts: Condition[], context: ConditionContext): Promise<ConditionResult> {
  const reasons: string[] = []
  let unknown: ConditionResult | undefined
  for (const part of parts) {
    const result = await evaluateCondition(part, context)
    if (result.value === true) return result
    if (result.value === undefined) unknown ??= result
    else reasons.push(result.reason)
  }
  return unknown ?? { value: false, reason: reasons.join(' and ') }
}
