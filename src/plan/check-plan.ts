import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { type PlanIssue, WfError } from '../lib/errors.js'
import { RepoBoundary } from '../lib/inside-repo.js'
import { isInside, toPosix } from '../lib/paths.js'
import { spdxIds } from '../lib/spdx-license.js'
import { suggest } from '../lib/suggest.js'
import type { PlanFile } from './plan-file.js'
import type { Condition, Gate, Phase, Task } from './plan.generated.js'
import { issueAt } from './yaml-issues.js'
import { loadYaml } from './yaml.js'

/** A path a task or gate names, with where it sits below the task or gate and what must hold for it. */
export interface PlanPath {
  at: (string | number)[]
  value: string
  /** `file`/`any`: must already exist (as a file / as anything); false: must only stay inside the repository. */
  mustExist: 'file' | 'any' | false
  /** What the path is, for the message: `template`, `output path`, `schema`… */
  what: string
}

/** A problem with a task's or gate's options that the plan schema cannot see, at a path below the task or gate. */
export interface OptionProblem {
  at: (string | number)[]
  message: string
  hint: string
  expected?: string
  code?: string
}

/**
 * What the plan reader asks of task and gate kinds (implemented by src/tasks and src/gates, which
 * know their own options), so src/plan holds no knowledge of any task or gate kind.
 */
export interface KindChecks {
  paths(item: Task | Gate): PlanPath[]
  options(item: Task | Gate, context: { root: string; deep: boolean }): Promise<OptionProblem[]>
}

const GLOB_CHARS = /[*?[\]{}!]/

/** The closest name to `path` among its folder's entries. */
export function suggestSibling(path: string): string | undefined {
  try {
    return suggest(path.slice(dirname(path).length + 1), readdirSync(dirname(path)))
  } catch {
    return undefined
  }
}

/** Why a path a plan names is not acceptable, or undefined. */
function pathProblem(
  boundary: RepoBoundary,
  value: string,
  mustExist: PlanPath['mustExist'],
  what: string,
): { message: string; hint: string } | undefined {
  const root = boundary.root
  const problem = (message: string, hint: string) => ({ message, hint })
  if (isAbsolute(value) || /^[A-Za-z]:[\\/]/.test(value))
    return problem(`${what} \`${value}\` is an absolute path`, 'use a path relative to the repository root')
  // A relative path with no `..` in it stays inside; others are resolved to find out.
  if (!mustExist && !/(?:^|[\\/])\.\.(?:[\\/]|$)/.test(value)) return
  const full = resolve(root, value)
  if (!isInside(root, full))
    return problem(
      `${what} \`${value}\` leaves the repository`,
      'use a path inside the repository (no `..` above its root)',
    )
  if (!mustExist) return
  const staticPart = GLOB_CHARS.test(value) ? value.slice(0, value.search(GLOB_CHARS)).replace(/[^/]*$/, '') : value
  const checked = resolve(root, staticPart || '.')
  if (!existsSync(checked) || (mustExist === 'file' && !statSync(checked).isFile())) {
    const close = suggestSibling(checked)
    return problem(
      `${what} \`${value}\` does not exist`,
      close
        ? `did you mean \`${toPosix(relative(root, join(dirname(checked), close)))}\`?`
        : `create ${staticPart || value} or fix the path`,
    )
  }
  try {
    boundary.resolveSync(checked)
  } catch (error) {
    if (!(error instanceof WfError)) throw error
    return problem(`${what} \`${value}\`: ${error.message.replace(/^cannot use /, '')}`, error.hint!)
  }
}

/** Every task and gate of a phase, with the data path it sits at. */
function* itemsOf(phase: Phase, p: number): Generator<{ at: (string | number)[]; item: Task | Gate }> {
  for (const [t, task] of (phase.tasks ?? []).entries()) yield { at: ['phases', p, 'tasks', t], item: task }
  for (const [g, gate] of (phase.gates ?? []).entries()) yield { at: ['phases', p, 'gates', g], item: gate }
}

/** Checks every path a plan names: inside the repository, and present where it must already exist. */
export function checkPaths(root: string, file: PlanFile, issues: PlanIssue[], kinds: KindChecks): void {
  // Plans repeat paths (one template for many outputs): each distinct one is checked once.
  const seen = new Map<string, { message: string; hint: string } | null>()
  const boundary = new RepoBoundary(root)
  const check = ({ at, value, mustExist, what }: PlanPath) => {
    const key = `${mustExist}\0${what}\0${value}`
    let found = seen.get(key)
    if (found === undefined) {
      found = pathProblem(boundary, value, mustExist, what) ?? null
      seen.set(key, found)
    }
    if (found) issues.push(issueAt(file, at, 'WF_PLAN_PATH', found.message, { hint: found.hint }))
  }
  const envFiles = (value: string | string[] | undefined, at: (string | number)[]) => {
    for (const [i, path] of (typeof value === 'string' ? [value] : (value ?? [])).entries())
      check({ at: typeof value === 'string' ? at : [...at, i], value: path, mustExist: 'file', what: 'env file' })
  }
  envFiles(file.plan.env_file, ['env_file'])
  for (const [p, phase] of (file.plan.phases ?? []).entries()) {
    envFiles(phase.env_file, ['phases', p, 'env_file'])
    for (const [i, input] of (phase.inputs ?? []).entries())
      check({ at: ['phases', p, 'inputs', i], value: input, mustExist: false, what: 'input' })
    for (const [i, output] of (phase.outputs ?? []).entries())
      check({ at: ['phases', p, 'outputs', i], value: output, mustExist: false, what: 'output' })
    for (const { at, item } of itemsOf(phase, p))
      for (const path of kinds.paths(item)) check({ ...path, at: [...at, ...path.at] })
  }
}

/** A waiver's `until` must be a real calendar day: `2026-02-30` would never expire the way it reads. */
function waiverProblems(item: Task | Gate): OptionProblem[] {
  const until = 'waive' in item ? item.waive?.until : undefined
  if (until === undefined) return []
  const day = new Date(`${until}T00:00:00Z`)
  if (!Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === until) return []
  return [
    {
      at: ['waive', 'until'],
      message: `waiver date \`${until}\` is not a day of the calendar`,
      expected: 'a date written YYYY-MM-DD, e.g. 2026-02-28',
      hint: 'fix the month or the day',
    },
  ]
}

/** Checks what task and gate kinds say about their own options (regexes, globs, schema files, built-in names). */
export async function checkOptions(
  root: string,
  file: PlanFile,
  issues: PlanIssue[],
  kinds: KindChecks,
  deep: boolean,
): Promise<void> {
  const found: OptionProblem[] = []
  for (const [p, phase] of (file.plan.phases ?? []).entries())
    for (const { at, item } of itemsOf(phase, p))
      for (const problem of [...waiverProblems(item), ...(await kinds.options(item, { root, deep }))])
        found.push({ ...problem, at: [...at, ...problem.at] })
  for (const [p, phase] of (file.plan.phases ?? []).entries())
    if (phase.when) found.push(...(await licenseConditionProblems(phase.when, ['phases', p, 'when'])))
  if (found.length > 0) await loadYaml()
  for (const f of found)
    issues.push(issueAt(file, f.at, f.code ?? 'WF_PLAN_INVALID', f.message, { hint: f.hint, expected: f.expected }))
}

/** `when: { license: … }` names SPDX license ids (a typo would never match). */
async function licenseConditionProblems(condition: Condition, at: (string | number)[]): Promise<OptionProblem[]> {
  const nested: [Condition, (string | number)[]][] = [
    ...(condition.all ?? []).map((c, i): [Condition, (string | number)[]] => [c, [...at, 'all', i]]),
    ...(condition.any ?? []).map((c, i): [Condition, (string | number)[]] => [c, [...at, 'any', i]]),
    ...(condition.not ? [[condition.not, [...at, 'not']] as [Condition, (string | number)[]]] : []),
  ]
  const found = (await Promise.all(nested.map(([c, where]) => licenseConditionProblems(c, where)))).flat()
  if (condition.license === undefined) return found
  const ids = await spdxIds()
  const list = typeof condition.license === 'string' ? [condition.license] : condition.license
  for (const [i, id] of list.entries()) {
    if (ids.has(id)) continue
    const close = suggest(id, ids)
    found.push({
      at: typeof condition.license === 'string' ? [...at, 'license'] : [...at, 'license', i],
      message: `\`${id}\` is not an SPDX license id`,
      hint: close ? `did you mean \`${close}\`?` : 'use an id from https://spdx.org/licenses/',
    })
  }
  return found
}
