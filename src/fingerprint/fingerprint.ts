import crypto from 'node:crypto'
import picomatch from 'picomatch'
import stringify from 'safe-stable-stringify'
import { GATE_HANDLERS } from '../gates/index.js'
import { WHOLE_TREE } from '../gates/gate-kind.js'
import type { FingerprintInputs } from '../ledger/ledger.js'
import { gateKind, taskKind } from '../plan/kinds.js'
import type { ResolvedPhase, ResolvedPlan } from '../plan/resolve-plan.js'
import { TASK_HANDLERS } from '../tasks/index.js'
import type { TaskKind } from '../tasks/task-kind.js'
import type { ResolvedEnv } from '../lib/environment.js'
import { GLOB_CHARS, mapLimit, matchFiles, READ_AHEAD } from '../lib/files.js'
import { envFilesOf } from '../lib/phase-env.js'
import type { Workspace } from '../lib/workspace.js'
import { inputFiles } from './input-files.js'
import { repositoryState } from './repository-state.js'

// One-shot hashing (Node 20.12+) costs a tenth of a Hash object; a phase's fingerprint takes four.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex')

const sha = (value: unknown) => sha256Hex(typeof value === 'string' ? value : (stringify(value) ?? '')).slice(0, 32)

/**
 * The text safe-stable-stringify makes of an object whose values are strings or maps of strings
 * (keys in code-unit order, undefined values left out), made directly: a fingerprint's inputs are
 * such an object, and the general stringifier costs several times as much per phase.
 */
function flatJson(value: Readonly<Record<string, unknown>>): string | undefined {
  let text = ''
  for (const key of Object.keys(value).sort()) {
    const item = value[key]
    let json: string | undefined
    if (typeof item === 'string') json = quote(item)
    else if (item === undefined) continue
    else if (isPlainMap(item)) json = flatJson(item)
    if (json === undefined) return undefined
    text += `${text ? ',' : ''}${quote(key)}:${json}`
  }
  return `{${text}}`
}

// What JSON escapes in a string: most names and every hash need none, and are quoted as they are.
const ESCAPED = /[\u0000-\u001f"\\\ud800-\udfff]/
const quote = (text: string) => (ESCAPED.test(text) ? JSON.stringify(text) : `"${text}"`)

const isPlainMap = (item: unknown): item is Record<string, unknown> =>
  item !== null &&
  typeof item === 'object' &&
  !Array.isArray(item) &&
  typeof (item as { toJSON?: unknown }).toJSON !== 'function'

/** `sha` of a map of strings (or of maps of strings), such as a fingerprint's inputs: the same digest, made faster. */
const shaMap = (value: object) => {
  const text = flatJson(value as Record<string, unknown>)
  return text === undefined ? sha(value) : sha256Hex(text).slice(0, 32)
}

export interface FingerprintContext {
  /** The run's workspace: its hasher reads the files, its git resolves refs. */
  workspace: Workspace
  wf: string
  env: ResolvedEnv
  /** Fingerprints of the phases this one needs. */
  needs: Record<string, string>
  /** Files wf generates, left out of the whole-tree fingerprint of phases without `inputs`. */
  generated?: ReadonlySet<string>
  /** Whether a path is some phase's declared output: whole-tree fingerprints leave those out too. */
  outputs?: (path: string) => boolean
}

/** A phase's fingerprint and what went into it (kept so `wf explain` can name what changed). */
export interface Fingerprint {
  hash: string
  inputs: FingerprintInputs
}

/** Globs of the files a phase reads: its `inputs`, its env files, and what its tasks and gates declare. */
export function phaseInputGlobs(phase: ResolvedPhase): string[] {
  const globs = [...phase.inputs, ...envFilesOf(phase)]
  for (const task of phase.tasks)
    globs.push(
      ...((TASK_HANDLERS[taskKind(task)] as { inputs?: (t: unknown) => string[] } | undefined)?.inputs?.(task) ?? []),
    )
  for (const gate of phase.gates)
    globs.push(
      ...((GATE_HANDLERS[gateKind(gate)] as { inputs?: (g: unknown) => string[] } | undefined)?.inputs?.(gate) ?? []),
    )
  return [...new Set(globs)].filter((glob) => glob !== WHOLE_TREE)
}

/** Whether a phase reads the whole tree (it declares no `inputs`, or a gate scans every file git does not ignore). */
export function readsWholeTree(phase: ResolvedPhase): boolean {
  return (
    phase.inputs.length === 0 ||
    phase.gates.some((gate) =>
      (
        (GATE_HANDLERS[gateKind(gate)] as { inputs?: (g: unknown) => string[] } | undefined)?.inputs?.(gate) ?? []
      ).includes(WHOLE_TREE),
    )
  )
}

/**
 * Fingerprints a phase: wf's version, its definition, variables and environment, the fingerprints
 * of what it needs, and the content of the files it reads. A phase that declares no `inputs` is
 * fingerprinted on the whole working tree, so any change makes it run again.
 */
export async function fingerprintPhase(phase: ResolvedPhase, context: FingerprintContext): Promise<Fingerprint> {
  const envUsed = Object.fromEntries(
    Object.keys(phase.env)
      .sort()
      .map((name) => [name, sha(context.env.vars[name] ?? '')]),
  )
  const files = await context.workspace.hasher.hashAll(await inputFiles(context.workspace, phaseInputGlobs(phase)))
  const inputs: FingerprintInputs = {
    wf: context.wf,
    ...definitionHashes(context.workspace, phase),
    env: shaMap(envUsed),
    needs: Object.fromEntries(phase.needs.map((id) => [id, context.needs[id] ?? 'none'])),
    files,
  }
  if (readsWholeTree(phase))
    inputs.repository = await repositoryState(context.workspace, context.generated, context.outputs)
  const refs = await gateRefs(phase, context.workspace)
  if (refs) inputs.refs = refs
  return { hash: shaMap(inputs), inputs }
}

/** Hashes of phase definitions: a definition does not change during a run, hashing it is worth doing once. */
class DefinitionHashes {
  byPhase = new WeakMap<ResolvedPhase, { definition: string; vars: string }>()
}

function definitionHashes(workspace: Workspace, phase: ResolvedPhase): { definition: string; vars: string } {
  const definitions = workspace.scoped(DefinitionHashes).byPhase
  let hashes = definitions.get(phase)
  if (!hashes) {
    hashes = {
      definition: sha({
        needs: phase.needs,
        when: phase.when,
        inputs: phase.inputs,
        ...(phase.outputs ? { outputs: phase.outputs } : {}),
        tasks: phase.tasks,
        gates: phase.gates,
        ...(phase.envFiles?.length ? { envFiles: phase.envFiles } : {}),
        ...(phase.requires?.length ? { requires: phase.requires } : {}),
      }),
      vars: sha(phase.vars),
    }
    definitions.set(phase, hashes)
  }
  return hashes
}

/** Globs of the files a phase declares it writes: its `outputs` and its `run` tasks'. */
export function phaseOutputGlobs(phase: ResolvedPhase): string[] {
  const globs = [...(phase.outputs ?? [])]
  for (const task of phase.tasks) if ('run' in task && task.outputs) globs.push(...task.outputs)
  return [...new Set(globs.map((glob) => glob.replace(/^\.\//, '')))]
}

/** Whether a repository-relative path is a declared output of some phase of the plan (made once per run or read). */
export function planOutputs(plan: ResolvedPlan): (path: string) => boolean {
  const globs = plan.phases.flatMap(phaseOutputGlobs)
  const patterns = globs.map((g) => (GLOB_CHARS.test(g) ? g : `${g.replace(/\/$/, '')}{,/**}`))
  return patterns.length ? picomatch(patterns, { dot: true }) : () => false
}

/** The content hash of each file the phase's output globs match now, or undefined when it declares none. */
export async function hashOutputs(
  phase: ResolvedPhase,
  workspace: Workspace,
): Promise<Record<string, string> | undefined> {
  const globs = phaseOutputGlobs(phase)
  if (globs.length === 0) return undefined
  return workspace.hasher.hashAll(await matchFiles(workspace.root, globs, workspace.hasher))
}

/** The outputs a phase passed with that are gone or differ now, in words ("output missing: dist/app.js"). */
export async function outputChanges(
  recorded: Record<string, string | undefined> | undefined,
  workspace: Workspace,
): Promise<string[]> {
  const paths = Object.keys(recorded ?? {})
  const now = await mapLimit(paths, READ_AHEAD, (path) => workspace.hasher.hash(path))
  const changes: string[] = []
  paths.forEach((path, i) => {
    if (now[i] === undefined) changes.push(`output missing: ${path}`)
    else if (now[i] !== recorded![path]) changes.push(`output changed: ${path}`)
  })
  return changes.length > 20 ? [...changes.slice(0, 20), `and ${changes.length - 20} more outputs`] : changes
}

/**
 * The files among `recorded` (the paths in the ledger's generated map) that a generator task of
 * this plan writes: whole-tree fingerprints leave those out, as the phases that generate them
 * hash them. Files generated otherwise (`wf generate template`, a generator since removed from
 * the plan) stay in.
 */
export function generatorOutputs(plan: ResolvedPlan, recorded: Iterable<string>): Set<string> {
  const paths = new Set<string>()
  const globs: string[] = []
  for (const phase of plan.phases) {
    for (const task of phase.tasks) {
      const kind = TASK_HANDLERS[taskKind(task)] as TaskKind | undefined
      if (!kind?.outputs) continue
      for (const glob of kind.inputs?.(task) ?? [])
        GLOB_CHARS.test(glob) ? globs.push(glob) : paths.add(glob.replace(/^\.\//, ''))
    }
  }
  const isMatch = globs.length ? picomatch(globs, { dot: true }) : () => false
  return new Set([...recorded].filter((path) => paths.has(path) || isMatch(path)))
}

/** The commits of the git refs the phase's gates compare against, or undefined when none does. */
async function gateRefs(phase: ResolvedPhase, workspace: Workspace): Promise<Record<string, string> | undefined> {
  const names = phase.gates.flatMap(
    (gate) =>
      (GATE_HANDLERS[gateKind(gate)] as { refs?: (g: unknown) => (string | undefined)[] } | undefined)?.refs?.(gate) ??
      [],
  )
  if (names.length === 0) return undefined
  const refs: Record<string, string> = {}
  for (const name of names) {
    const ref = name ?? (await workspace.git.defaultBranch())
    refs[ref] = (await workspace.git.resolveRef(ref)) ?? 'unknown'
  }
  return refs
}

/**
 * What changed between the inputs of the last passed run and now, in words; `tree` names the files
 * a whole-tree fingerprint saw change (see treeChanges), when they are known.
 */
export function describeChanges(before: FingerprintInputs, now: FingerprintInputs, tree?: string[]): string[] {
  const changes: string[] = []
  if (before.wf !== now.wf) changes.push(`wf version changed (${before.wf} → ${now.wf})`)
  if (before.definition !== now.definition) changes.push('phase definition changed')
  if (before.vars !== now.vars) changes.push('variables changed')
  if (before.env !== now.env) changes.push('environment changed')
  for (const id of new Set([...Object.keys(before.needs), ...Object.keys(now.needs)])) {
    if (before.needs[id] !== now.needs[id]) changes.push(`needed phase \`${id}\` changed`)
  }
  for (const path of Object.keys(now.files)) {
    if (!(path in before.files)) changes.push(`file added: ${path}`)
    else if (before.files[path] !== now.files[path]) changes.push(`file modified: ${path}`)
  }
  for (const path of Object.keys(before.files)) if (!(path in now.files)) changes.push(`file removed: ${path}`)
  if (before.repository !== now.repository)
    changes.push(...(tree ?? ['working tree changed (the phase declares no inputs, so any file counts)']))
  for (const ref of new Set([...Object.keys(before.refs ?? {}), ...Object.keys(now.refs ?? {})])) {
    if (before.refs?.[ref] !== now.refs?.[ref]) changes.push(`git ref \`${ref}\` moved`)
  }
  return changes
}
