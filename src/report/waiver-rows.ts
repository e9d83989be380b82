import { gateName } from '../engine/names.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'
import type { WaiverRow } from './status-report.js'

const DAY = 86_400_000

/** Every waived gate of the plan, with the whole days left until its waiver expires (negative once expired). */
export function waiverRows(plan: ResolvedPlan, now: Date): WaiverRow[] {
  const today = Date.parse(now.toISOString().slice(0, 10))
  return plan.phases.flatMap((phase) =>
    phase.gates.flatMap((gate) =>
      gate.waive
        ? [
            {
              phase: phase.id,
              gate: gateName(gate),
              reason: gate.waive.reason,
              owner: gate.waive.owner,
              until: gate.waive.until,
              daysLeft: Math.round((Date.parse(gate.waive.until) - today) / DAY),
            },
          ]
        : [],
    ),
  )
}
