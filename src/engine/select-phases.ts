import { WfError } from '../lib/errors.js'
import type { PhaseRecord } from '../ledger/ledger.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'
import { suggest } from '../lib/suggest.js'
import { NEVER_RUN, SATISFIED } from '../ledger/statuses.js'

export interface Selection {
  /** Run only these phases (`wf run --only`, `wf run-phase`). */
  only?: string[]
  /** Run this phase and everything that depends on it. */
  from?: string
  /** Add everything the chosen phases need, transitively. */
  withDeps?: boolean
  /** Keep only these phases (what `--affected` found), after the rest of the selection. */
  among?: string[]
}

function checkIds(plan: ResolvedPlan, ids: string[]): void {
  const known = plan.phases.map((p) => p.id)
  for (const id of ids) {
    if (!known.includes(id)) {
      const close = suggest(id, known)
      throw new WfError('WF_UNKNOWN_PHASE', `no phase \`${id}\` in the plan`, {
        hint: close ? `did you mean \`${close}\`?` : 'run `wf list` to see the phases',
      })
    }
  }
}

/** The ids of the phases to run, in plan order. */
export function selectPhases(plan: ResolvedPlan, selection: Selection): string[] {
  const byId = new Map(plan.phases.map((p) => [p.id, p]))
  let chosen: Set<string>
  if (selection.only?.length) {
    checkIds(plan, selection.only)
    chosen = new Set(selection.only)
  } else chosen = new Set(plan.phases.map((p) => p.id))
  if (selection.from) {
    checkIds(plan, [selection.from])
    const downstream = new Set([selection.from])
    for (const phase of plan.phases) if (phase.needs.some((n) => downstream.has(n))) downstream.add(phase.id)
    chosen = new Set([...chosen].filter((id) => downstream.has(id)))
  }
  if (selection.withDeps) {
    const stack = [...chosen]
    while (stack.length)
      for (const need of byId.get(stack.pop()!)!.needs)
        if (!chosen.has(need)) {
          chosen.add(need)
          stack.push(need)
        }
  }
  const among = selection.among && new Set(selection.among)
  return plan.phases.filter((p) => chosen.has(p.id) && (!among || among.has(p.id))).map((p) => p.id)
}

/**
 * Needs outside the selection whose latest full run did not pass: running without them would be
 * wrong. `latest` is the ledger's `phases`, which only `wf run` sets: a check never meets a need.
 */
export function unmetNeeds(
  plan: ResolvedPlan,
  selected: string[],
  latest: Record<string, PhaseRecord | undefined>,
): { phase: string; need: string; status: string }[] {
  const unmet: { phase: string; need: string; status: string }[] = []
  for (const phase of plan.phases.filter((p) => selected.includes(p.id))) {
    for (const need of phase.needs) {
      if (selected.includes(need)) continue
      const status = latest[need]?.status ?? NEVER_RUN
      if (!SATISFIED.has(status)) unmet.push({ phase: phase.id, need, status })
    }
  }
  return unmet
}
