import picomatch from 'picomatch'
import { GLOB_CHARS } from '../lib/files.js'
import { phaseInputGlobs, readsWholeTree } from '../fingerprint/fingerprint.js'
import type { PhaseRecord } from '../ledger/ledger.js'
import { NEVER_RUN, SATISFIED } from '../ledger/statuses.js'
import type { ResolvedPhase, ResolvedPlan } from '../plan/resolve-plan.js'

/** A phase a change affects, and why. */
export interface AffectedPhase {
  id: string
  reason: string
}

/** What `--affected` found: the ref and merge base compared against, the changed files, and the phases. */
export interface Affected {
  /** The ref given with --since, or the default branch. */
  since: string
  /** The merge base of HEAD and `since`: changes are counted from here. */
  base: string
  /** Files changed since the merge base: committed, staged, unstaged and untracked. */
  files: string[]
  phases: AffectedPhase[]
}

/** A predicate on repository-relative paths: a glob matches as glob, a plain path as that file or anything under it. */
function inputMatcher(globs: string[]): (file: string) => boolean {
  const clean = globs.map((g) => g.replace(/^\.\//, ''))
  const plain = clean.filter((g) => !GLOB_CHARS.test(g)).map((p) => p.replace(/\/+$/, ''))
  const globbed = clean.filter((g) => GLOB_CHARS.test(g))
  const isGlobMatch = globbed.length ? picomatch(globbed, { dot: true }) : () => false
  return (file) => isGlobMatch(file) || plain.some((p) => file === p || file.startsWith(`${p}/`))
}

/** Why `phase` itself is affected by the changed files, or undefined when it is not. */
function directReason(phase: ResolvedPhase, changed: string[]): string | undefined {
  if (changed.length === 0) return undefined
  if (changed.includes(phase.source.file)) return `its plan file ${phase.source.file} changed`
  if (readsWholeTree(phase)) return `it declares no inputs, so any change counts (${changed[0]})`
  const matches = inputMatcher(phaseInputGlobs(phase))
  const hit = changed.find(matches)
  return hit ? `${hit} changed` : undefined
}

/**
 * The phases that `changed` (repository-relative files) affects, in plan order: a phase whose plan
 * file or inputs changed (any change, for a phase that declares no inputs), and every phase that
 * needs an affected one. With `latest` (the ledger's phase results), the needs of those phases that
 * have not passed are added too, as a run of the affected phases could not start without them.
 */
export function affectedPhases(
  plan: ResolvedPlan,
  changed: string[],
  latest?: Record<string, PhaseRecord | undefined>,
): AffectedPhase[] {
  const reasons = new Map<string, string>()
  for (const phase of plan.phases) {
    const upstream = phase.needs.find((need) => reasons.has(need))
    const reason = directReason(phase, changed) ?? (upstream ? `it needs ${upstream}` : undefined)
    if (reason) reasons.set(phase.id, reason)
  }
  if (latest) {
    const byId = new Map(plan.phases.map((p) => [p.id, p]))
    const stack = [...reasons.keys()]
    while (stack.length) {
      const id = stack.pop()!
      for (const need of byId.get(id)!.needs) {
        const status = latest[need]?.status ?? NEVER_RUN
        if (reasons.has(need) || SATISFIED.has(status)) continue
        reasons.set(need, `${id} needs it and it has not passed (${status})`)
        stack.push(need)
      }
    }
  }
  return plan.phases.filter((p) => reasons.has(p.id)).map((p) => ({ id: p.id, reason: reasons.get(p.id)! }))
}
