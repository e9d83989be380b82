import type { PlanIssue, SourceLocation } from '../lib/errors.js'
import { PlanError } from '../lib/errors.js'
import { BUILTIN_PHASES } from './builtin-phases.js'
import { issueAt, type LoadedPlan, type PlanFile } from './load-plan.js'
import { locate } from './locate.js'
import type { Condition, Env, Gate, Phase, Task } from './plan.generated.js'
import { toList } from '../lib/files.js'
import { suggest } from '../lib/suggest.js'
import { environmentOverlays, unknownPhaseIssues, type EnvironmentOverlay } from './environments.js'

/** A phase with its plan file's vars and env merged in and `extends` applied. */
export interface ResolvedPhase {
  id: string
  name: string
  description?: string
  /** A category for finding the phase (`wf presets`, MCP `list_phases`); inherited through `extends`. */
  category?: string
  /** Tags for finding the phase: the base's and the phase's own. */
  tags?: string[]
  needs: string[]
  when?: Condition
  inputs: string[]
  /** Files (globs) the phase itself declares it writes (its `run` tasks may declare more). */
  outputs?: string[]
  vars: Record<string, unknown>
  env: Env
  /** Dotenv files the plan and the phase name (repository-relative), in the order they apply. */
  envFiles?: string[]
  /** Variables that must be set (non-empty) before any task runs. */
  requires?: string[]
  extends?: string
  tasks: Task[]
  gates: Gate[]
  /** Where the phase is defined. */
  source: SourceLocation
}

/** A valid plan: every phase in dependency order (a phase comes after all it needs). */
export interface ResolvedPlan {
  root: string
  files: string[]
  phases: ResolvedPhase[]
  /** Run records to keep, when a plan file sets `ledger.history`. */
  history?: number
  /** The environment whose overlay is applied (`--env`); absent for the default. */
  environment?: string
}

interface Entry {
  phase: Phase
  file: PlanFile
  index: number
}

/** Checks what a schema cannot (ids, needs, cycles, extends) and orders the phases; throws PlanError with every issue. */
export function resolvePlan(loaded: LoadedPlan): ResolvedPlan {
  const issues: PlanIssue[] = [...loaded.issues]
  const entries = collectEntries(loaded.files, issues)
  for (const entry of entries.values()) issues.push(...needsIssues(entry, entries))
  issues.push(...findCycles(entries, 'needs'), ...findCycles(entries, 'extends'))
  const resolved = new Map<string, ResolvedPhase>()
  const resolveOne = (entry: Entry, stack: string[]): ResolvedPhase => {
    const done = resolved.get(entry.phase.id)
    if (done) return done
    const extended = (target: Entry) => resolveOne(target, [...stack, entry.phase.id])
    const result = mergePhase(entry, baseOf(entry, { entries, issues, stack, resolve: extended }))
    resolved.set(entry.phase.id, result)
    return result
  }
  for (const entry of entries.values()) resolveOne(entry, [])
  if (loaded.environment) {
    const overlays = environmentOverlays(loaded.root, loaded.files, loaded.environment)
    for (const overlay of overlays) issues.push(...unknownPhaseIssues(overlay, [...resolved.keys()]))
    for (const [id, phase] of resolved) resolved.set(id, applyOverlays(phase, overlays))
  }

  const history = settingOf(loaded.files, issues)
  if (issues.length > 0) throw new PlanError(issues)
  return {
    root: loaded.root,
    files: loaded.files.map((f) => f.rel),
    phases: orderPhases([...resolved.values()]),
    ...(history ? { history } : {}),
    ...(loaded.environment ? { environment: loaded.environment.name } : {}),
  }
}

/** A phase as an environment changes it: the overlays' vars and env win, and a phase's own settings there replace its `when` and gates. */
function applyOverlays(phase: ResolvedPhase, overlays: readonly EnvironmentOverlay[]): ResolvedPhase {
  const own = overlays.map((o) => o.overlay.phases?.[phase.id])
  // Copied by descriptors: the phase's `source` stays a getter, computed only when asked for.
  const result = Object.defineProperties({}, Object.getOwnPropertyDescriptors(phase)) as ResolvedPhase
  result.vars = Object.assign({}, phase.vars, ...overlays.map((o, i) => ({ ...o.overlay.vars, ...own[i]?.vars })))
  result.env = Object.assign({}, phase.env, ...overlays.map((o, i) => ({ ...o.overlay.env, ...own[i]?.env })))
  for (const settings of own) {
    if (settings?.when) result.when = settings.when
    if (settings?.gates) result.gates = settings.gates
  }
  return result
}

/** The path of a phase's key in its plan file. */
const at = (entry: Entry, rest: (string | number)[]) => ['phases', entry.index, ...rest]

/** Every phase of every file by id; a second phase with an id already taken is an issue and left out. */
function collectEntries(files: PlanFile[], issues: PlanIssue[]): Map<string, Entry> {
  const entries = new Map<string, Entry>()
  for (const file of files) {
    for (const [index, phase] of (file.plan.phases ?? []).entries()) {
      const entry = { phase, file, index }
      const first = entries.get(phase.id)
      if (!first) {
        entries.set(phase.id, entry)
        continue
      }
      const where = locate(first.file, at(first, ['id'])).location
      issues.push(
        issueAt(
          file,
          at(entry, ['id']),
          'WF_PLAN_DUPLICATE',
          `phase id \`${phase.id}\` is defined twice; first at ${where.file}:${where.line}:${where.col}`,
          { hint: 'phase ids are unique across all plan files; rename one of them' },
        ),
      )
    }
  }
  return entries
}

/** Needs listed twice, a phase needing itself, and needs no plan defines. */
function needsIssues(entry: Entry, entries: Map<string, Entry>): PlanIssue[] {
  const issues: PlanIssue[] = []
  const seenNeeds = new Set<string>()
  for (const [n, need] of (entry.phase.needs ?? []).entries()) {
    const problem = (message: string, hint: string) =>
      issues.push(issueAt(entry.file, at(entry, ['needs', n]), 'WF_PLAN_NEEDS', message, { hint }))
    if (seenNeeds.has(need))
      problem(`phase \`${entry.phase.id}\` lists \`${need}\` in needs twice`, 'remove the repeated entry')
    else if (need === entry.phase.id) problem(`phase \`${need}\` needs itself`, 'remove it from its own needs')
    else if (!entries.has(need)) {
      const close = suggest(need, [...entries.keys()])
      problem(
        `phase \`${entry.phase.id}\` needs \`${need}\`, which no plan defines`,
        close ? `did you mean \`${close}\`?` : `define a phase \`${need}\` or remove it from needs`,
      )
    }
    seenNeeds.add(need)
  }
  return issues
}

/** The phase a phase extends (a built-in one, or one of the plan's, resolved first); an issue when there is none by that name. */
function baseOf(
  entry: Entry,
  context: {
    entries: Map<string, Entry>
    issues: PlanIssue[]
    /** The phases being resolved that led here: extending one of them is a cycle, reported elsewhere. */
    stack: string[]
    resolve: (target: Entry) => ResolvedPhase
  },
): Omit<Phase, 'id'> | undefined {
  const { entries, issues, stack, resolve } = context
  const { phase, file } = entry
  if (phase.extends === undefined) return undefined
  if (phase.extends.startsWith('builtin:')) {
    const name = phase.extends.slice('builtin:'.length)
    const base = BUILTIN_PHASES[name]
    if (base) return base
    const close = suggest(name, Object.keys(BUILTIN_PHASES))
    const expected = `one of ${Object.keys(BUILTIN_PHASES)
      .map((k) => `builtin:${k}`)
      .join(', ')}`
    const hint = close ? `did you mean \`builtin:${close}\`?` : undefined
    const message = `unknown built-in phase \`${phase.extends}\``
    issues.push(issueAt(file, at(entry, ['extends']), 'WF_PLAN_EXTENDS', message, { expected, hint }))
    return undefined
  }
  const target = entries.get(phase.extends)
  if (target) return stack.includes(target.phase.id) ? undefined : resolve(target)
  const close = suggest(phase.extends, [...entries.keys()])
  issues.push(
    issueAt(
      file,
      at(entry, ['extends']),
      'WF_PLAN_EXTENDS',
      `phase \`${phase.id}\` extends \`${phase.extends}\`, which no plan defines`,
      { hint: close ? `did you mean \`${close}\`?` : 'name a phase id or `builtin:governance`' },
    ),
  )
  return undefined
}

/** A phase with its file's vars and env and the phase it extends merged in (the phase's own values win). */
function mergePhase(entry: Entry, base: Omit<Phase, 'id'> | undefined): ResolvedPhase {
  const { phase, file } = entry
  const planVars = (file.plan.vars ?? {}) as Record<string, unknown>
  return {
    id: phase.id,
    name: phase.name ?? base?.name ?? phase.id,
    description: phase.description ?? base?.description,
    ...((phase.category ?? base?.category) ? { category: phase.category ?? base?.category } : {}),
    ...(phase.tags || base?.tags ? { tags: [...new Set([...(base?.tags ?? []), ...(phase.tags ?? [])])] } : {}),
    needs: phase.needs ?? [],
    // A preset that applies only where it fits (`when: { language: go }`) keeps its condition unless the phase sets one.
    when: phase.when ?? base?.when,
    inputs: [...(base?.inputs ?? []), ...(phase.inputs ?? [])],
    ...(base?.outputs || phase.outputs ? { outputs: [...(base?.outputs ?? []), ...(phase.outputs ?? [])] } : {}),
    vars: { ...planVars, ...(base?.vars ?? {}), ...(phase.vars ?? {}) },
    env: { ...(file.plan.env ?? {}), ...(base?.env ?? {}), ...(phase.env ?? {}) },
    envFiles: [
      ...new Set([
        ...toList(file.plan.env_file ?? []),
        ...((base as ResolvedPhase | undefined)?.envFiles ?? []),
        ...toList(phase.env_file ?? []),
      ]),
    ],
    requires: [...new Set([...(base?.requires ?? []), ...(phase.requires ?? [])])],
    extends: phase.extends,
    tasks: [...(base?.tasks ?? []), ...(phase.tasks ?? [])],
    gates: [...(base?.gates ?? []), ...(phase.gates ?? [])],
    // Computed on first use: finding a line needs the positioned YAML document.
    get source() {
      const location = locate(file, at(entry, [])).location
      Object.defineProperty(this, 'source', { value: location, enumerable: true })
      return location
    },
  }
}

/** `ledger.history` from the plan files; files that set it must agree. */
function settingOf(files: PlanFile[], issues: PlanIssue[]): number | undefined {
  let first: { value: number; file: PlanFile } | undefined
  for (const file of files) {
    const value = file.plan.ledger?.history
    if (value === undefined) continue
    if (!first) first = { value, file }
    else if (first.value !== value) {
      const where = locate(first.file, ['ledger', 'history']).location
      issues.push(
        issueAt(
          file,
          ['ledger', 'history'],
          'WF_PLAN_INVALID',
          `ledger.history is ${value} here but ${first.value} at ${where.file}:${where.line}:${where.col}`,
          { hint: 'set it in one plan file only' },
        ),
      )
    }
  }
  return first?.value
}

/** Reports each cycle along `needs` or `extends` once, as `a → b → a`. */
function findCycles(entries: Map<string, Entry>, edge: 'needs' | 'extends'): PlanIssue[] {
  const issues: PlanIssue[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const edgesOf = (id: string): string[] => {
    const phase = entries.get(id)?.phase
    if (!phase) return []
    const targets =
      edge === 'needs'
        ? (phase.needs ?? [])
        : phase.extends && !phase.extends.startsWith('builtin:')
          ? [phase.extends]
          : []
    return targets.filter((t) => t !== id && entries.has(t))
  }
  const visit = (id: string, stack: string[]) => {
    state.set(id, 'visiting')
    for (const next of edgesOf(id)) {
      if (state.get(next) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(next)), next]
        const entry = entries.get(cycle[0]!)!
        const target = cycle[1]!
        const path =
          edge === 'needs'
            ? ['phases', entry.index, 'needs', (entry.phase.needs ?? []).indexOf(target)]
            : ['phases', entry.index, 'extends']
        issues.push(
          issueAt(entry.file, path, 'WF_PLAN_CYCLE', `dependency cycle through ${edge}: ${cycle.join(' → ')}`, {
            hint:
              edge === 'needs'
                ? `remove one of these needs; e.g. \`${target}\` from the needs of \`${cycle[0]}\``
                : 'a phase cannot extend itself through others',
          }),
        )
      } else if (!state.has(next)) {
        stack.push(next)
        visit(next, stack)
        stack.pop()
      }
    }
    state.set(id, 'done')
  }
  for (const id of entries.keys()) if (!state.has(id)) visit(id, [id])
  return issues
}

/**
 * Topological order that keeps declaration order among phases that are free to run: each step takes
 * the first declared phase whose needs are all placed (the ready ones wait in a heap by declaration
 * index, so a plan of thousands of phases is ordered in N log N).
 */
function orderPhases(phases: ResolvedPhase[]): ResolvedPhase[] {
  const index = new Map(phases.map((p, i) => [p.id, i]))
  const waiting = phases.map((p) => new Set(p.needs.filter((id) => index.has(id))).size)
  const dependants = phases.map((): number[] => [])
  phases.forEach((p, i) => {
    for (const id of new Set(p.needs)) if (index.has(id)) dependants[index.get(id)!]!.push(i)
  })
  const ready = new MinHeap()
  for (const [i, n] of waiting.entries()) if (n === 0) ready.push(i)
  const ordered: ResolvedPhase[] = []
  while (ready.size > 0) {
    const next = ready.pop()
    ordered.push(phases[next]!)
    for (const d of dependants[next]!) if (--waiting[d]! === 0) ready.push(d)
  }
  if (ordered.length < phases.length) throw new Error('cycle survived validation')
  return ordered
}

/** A binary heap of numbers, smallest first. */
class MinHeap {
  private items: number[] = []

  get size(): number {
    return this.items.length
  }

  push(value: number): void {
    const items = this.items
    let i = items.push(value) - 1
    while (i > 0) {
      const up = (i - 1) >> 1
      if (items[up]! <= value) break
      items[i] = items[up]!
      i = up
    }
    items[i] = value
  }

  pop(): number {
    const items = this.items
    const top = items[0]!
    const last = items.pop()!
    if (items.length > 0) {
      let i = 0
      for (;;) {
        const left = 2 * i + 1
        if (left >= items.length) break
        const child = left + 1 < items.length && items[left + 1]! < items[left]! ? left + 1 : left
        if (items[child]! >= last) break
        items[i] = items[child]!
        i = child
      }
      items[i] = last
    }
    return top
  }
}
