import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { WfError, type PlanIssue } from '../lib/errors.js'
import { RepoBoundary } from '../lib/inside-repo.js'
import { suggest } from '../lib/suggest.js'
import type { YamlSource } from './locate.js'
import type { Environment, Plan } from './plan.generated.js'
import { planValidator } from './plan-validator.js'
import { loadYaml, yamlSync } from './yaml.js'
import { explainInvalid, issueAt, syntaxIssues } from './yaml-issues.js'

/** Where environment files live, relative to the repository root. */
export const ENVIRONMENT_DIR = 'phases/env'

const NAME = /^[a-z0-9][a-z0-9_-]*$/

/** An environment overlay and the file it is written in, with where the overlay sits in that file. */
export interface EnvironmentOverlay {
  overlay: Environment
  source: YamlSource
  /** The data path of the overlay in its file: `environments.NAME` in a plan, the whole of `phases/env/NAME.yaml`. */
  at: (string | number)[]
}

/** The environment a plan is read for: its name and the overlay from `phases/env/NAME.yaml`, when that file exists. */
export interface EnvironmentFile {
  name: string
  file?: EnvironmentOverlay
  /** Its file exists but is not valid (the problems are plan issues). */
  invalid?: boolean
}

/** Reads `phases/env/NAME.yaml` (or `.yml`) when it exists, checking it against the plan schema's `environment`; problems go to `issues` with file:line:col. */
export async function readEnvironmentFile(root: string, name: string, issues: PlanIssue[]): Promise<EnvironmentFile> {
  if (!NAME.test(name))
    throw new WfError('WF_UNKNOWN_ENVIRONMENT', `\`${name}\` is not an environment name`, {
      hint: 'environment names are lowercase letters, digits, `-` and `_`',
    })
  const rel = [`${ENVIRONMENT_DIR}/${name}.yaml`, `${ENVIRONMENT_DIR}/${name}.yml`].find((r) =>
    existsSync(join(root, r)),
  )
  if (!rel) return { name }
  const text = await new RepoBoundary(root).readFile(join(root, rel), 'utf8')
  await loadYaml()
  const { LineCounter, parseDocument } = yamlSync()
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const source: YamlSource = { rel, lines: text.split(/\r?\n/), doc, lineCounter }
  if (doc.errors.length > 0) {
    issues.push(...syntaxIssues(source))
    return { name, invalid: true }
  }
  const data = doc.toJS({ maxAliasCount: 100 }) ?? {}
  // The file is an `environment` of the plan schema: checked in place, so errors point into the file.
  const within = ['environments', name]
  const wrapped = { version: 1, environments: { [name]: data } }
  if (!(await planValidator())(wrapped)) {
    issues.push(...(await explainInvalid(source, wrapped, within)))
    return { name, invalid: true }
  }
  return { name, file: { overlay: data as Environment, source, at: [] } }
}

/** Names of the environments that have a file in `phases/env/`. */
export function environmentFileNames(root: string): string[] {
  try {
    const files = readdirSync(join(root, ENVIRONMENT_DIR)).filter((file) => /\.ya?ml$/.test(file))
    return [...new Set(files.map((file) => file.replace(/\.ya?ml$/, '')))].filter((name) => NAME.test(name)).sort()
  } catch {
    // No phases/env/ folder: no environment files.
    return []
  }
}

/** Names of the environments a plan defines, in its files and in `phases/env/`. */
function environmentNames(root: string, plans: readonly Plan[]): string[] {
  const names = new Set(plans.flatMap((plan) => Object.keys(plan.environments ?? {})))
  for (const name of environmentFileNames(root)) names.add(name)
  return [...names].sort()
}

/** The overlays of one environment, plan files' first, then its own file; an unknown environment is a usage error naming the closest one. */
export function environmentOverlays(
  root: string,
  files: readonly (YamlSource & { plan: Plan })[],
  environment: EnvironmentFile,
): EnvironmentOverlay[] {
  const { name } = environment
  const overlays: EnvironmentOverlay[] = files.flatMap((file) => {
    const overlay = file.plan.environments?.[name]
    return overlay ? [{ overlay, source: file, at: ['environments', name] }] : []
  })
  if (environment.file) overlays.push(environment.file)
  if (overlays.length > 0 || environment.invalid) return overlays
  const known = environmentNames(
    root,
    files.map((f) => f.plan),
  )
  const close = suggest(name, known)
  throw new WfError('WF_UNKNOWN_ENVIRONMENT', `no environment \`${name}\` in the plan`, {
    hint: close
      ? `did you mean \`${close}\`?`
      : known.length
        ? `known environments: ${known.join(', ')}`
        : `define it under \`environments:\` in a plan file or in ${ENVIRONMENT_DIR}/${name}.yaml`,
  })
}

/** The ids an overlay names under `phases:` that no plan defines, as issues pointing at them. */
export function unknownPhaseIssues(overlay: EnvironmentOverlay, ids: readonly string[]): PlanIssue[] {
  return Object.keys(overlay.overlay.phases ?? {})
    .filter((id) => !ids.includes(id))
    .map((id) => {
      const close = suggest(id, ids)
      return issueAt(
        overlay.source,
        [...overlay.at, 'phases', id],
        'WF_PLAN_INVALID',
        `environment overlay names phase \`${id}\`, which no plan defines`,
        { target: 'key', hint: close ? `did you mean \`${close}\`?` : 'name a phase id of the plan' },
      )
    })
}
