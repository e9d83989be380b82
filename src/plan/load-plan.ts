import { existsSync, statSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { WfError, type PlanIssue } from '../lib/errors.js'
import { RepoBoundary } from '../lib/inside-repo.js'
import { findRoot, isInside, toPosix } from '../lib/paths.js'
import { checkOptions, checkPaths, suggestSibling, type KindChecks } from './check-plan.js'
import { readPlanFile, type PlanFile } from './plan-file.js'
import { issueAt } from './yaml-issues.js'
import { resolvePackageInclude } from './package-include.js'
import { environmentFileNames, readEnvironmentFile, type EnvironmentFile } from './environments.js'

export { issueAt, type PlanFile }

/** Every plan file read for one repository, with the problems found while reading them. */
export interface LoadedPlan {
  root: string
  files: PlanFile[]
  issues: PlanIssue[]
  /** The environment the plan is read for (`--env`), with its `phases/env/NAME.yaml` when there is one. */
  environment?: EnvironmentFile
}

export interface LoadPlanOptions {
  /** Where to start looking for the repository root (default: process.cwd()). */
  cwd?: string
  /** One plan file to load instead of every `phases/*.y{a,}ml`. */
  plan?: string
  /** Also compile the JSON Schemas that gates name (costly: `wf validate` does it; gates check again when they run). */
  deep?: boolean
  /** What task and gate kinds check of their own options and paths (see src/gates and src/tasks). */
  kinds: KindChecks
  /** Apply this environment's overlay (`environments.NAME` in the plan files, `phases/env/NAME.yaml`). */
  environment?: string
}

async function entryFiles(boundary: RepoBoundary, cwd: string, plan?: string): Promise<string[]> {
  const root = boundary.root
  if (plan) {
    const file = resolve(cwd, plan)
    if (!existsSync(file))
      throw new WfError('WF_PLAN_NOT_FOUND', `plan file ${plan} does not exist`, {
        hint: 'check the path given to --plan',
      })
    return [file]
  }
  const dir = join(root, 'phases')
  let names: string[]
  try {
    // A phases/ folder that is a link out of the repository is refused, not listed.
    names = await readdir(await boundary.resolve(dir))
  } catch (error) {
    if (error instanceof WfError) throw error
    throw new WfError('WF_PLAN_NOT_FOUND', `no phases/ folder in ${root}`, {
      hint: 'run `wf init` to create a starter plan, or pass --plan FILE',
    })
  }
  const files = names
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()
    .map((n) => join(dir, n))
  if (files.length === 0) {
    throw new WfError('WF_PLAN_NOT_FOUND', `no plan files (*.yaml, *.yml) in ${toPosix(relative(cwd, dir)) || dir}`, {
      hint: 'run `wf init` to create a starter plan',
    })
  }
  return files
}

/** Why an included path cannot be a plan file (a folder, or not named .yml/.yaml), or undefined. */
function notPlanFile(path: string, target: string): string | undefined {
  if (!statSync(path).isFile()) return `included \`${target}\` is not a file`
  if (!/\.ya?ml$/i.test(path)) return `included file \`${target}\` is not a YAML plan file`
}

/** Reads, parses and schema-checks every plan file, following `include`; never throws for bad plans. */
export async function loadPlan(options: LoadPlanOptions): Promise<LoadedPlan> {
  const cwd = resolve(options.cwd ?? process.cwd())
  const root = findRoot(cwd)
  const issues: PlanIssue[] = []
  const files: PlanFile[] = []
  const seen = new Set<string>()
  const boundary = new RepoBoundary(root)

  const loadFile = async (path: string, chain: string[]): Promise<void> => {
    seen.add(path)
    const file = await readPlanFile(root, path, issues, boundary)
    if (!file) return
    files.push(file)
    for (const [index, target] of (file.plan.include ?? []).entries()) {
      const at = (message: string, hint?: string) =>
        issues.push(issueAt(file, ['include', index], 'WF_PLAN_INVALID', message, { hint }))
      let includePath = resolve(dirname(path), target)
      if (target.startsWith('npm:')) {
        const found = await resolvePackageInclude(root, dirname(path), target)
        if ('message' in found) {
          at(found.message, found.hint)
          continue
        }
        includePath = found.path
      }
      if (!isInside(root, includePath)) {
        at(`include \`${target}\` is outside the repository`, 'include only plan files inside the repository')
        continue
      }
      if (chain.includes(includePath)) {
        const loop = [...chain.slice(chain.indexOf(includePath)), includePath]
          .map((p) => toPosix(relative(root, p)))
          .join(' → ')
        at(`include loop: ${loop}`, `remove the include of \`${target}\` from ${file.rel}`)
        continue
      }
      if (!existsSync(includePath)) {
        const close = suggestSibling(includePath)
        at(
          `included file \`${target}\` does not exist`,
          close ? `did you mean \`${close}\`?` : 'check the path; it is relative to the including file',
        )
        continue
      }
      const notPlan = notPlanFile(includePath, target)
      if (notPlan) {
        at(notPlan, 'include plan files: YAML files ending in .yml or .yaml')
        continue
      }
      if (!seen.has(includePath)) await loadFile(includePath, [...chain, includePath])
    }
  }

  for (const path of await entryFiles(boundary, cwd, options.plan)) {
    if (!seen.has(path)) await loadFile(path, [path])
  }
  for (const file of files) checkPaths(root, file, issues, options.kinds)
  for (const file of files) await checkOptions(root, file, issues, options.kinds, options.deep === true)
  const environment = options.environment ? await readEnvironmentFile(root, options.environment, issues) : undefined
  // `wf validate` checks every environment file, not only the one a run would use.
  if (options.deep && !options.environment)
    for (const name of environmentFileNames(root)) await readEnvironmentFile(root, name, issues)
  return { root, files, issues, ...(environment ? { environment } : {}) }
}
