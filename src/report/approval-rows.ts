import type { Ledger } from '../ledger/ledger.js'
import { gateKind } from '../plan/kinds.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'
import type { ApprovalRow } from './status-report.js'

/** Every phase with an approval gate: approved (by whom, when) or still waiting for `wf approve`. */
export function approvalRows(plan: ResolvedPlan, ledger: Ledger): ApprovalRow[] {
  return plan.phases
    .filter((phase) => phase.gates.some((g) => gateKind(g) === 'approval'))
    .map((phase) => {
      const recorded = ledger.approvals?.[phase.id]
      const waiting = ledger.phases[phase.id]?.status === 'awaiting-approval' || !recorded
      if (waiting) return { phase: phase.id, state: 'pending' }
      return {
        phase: phase.id,
        state: 'approved',
        by: recorded.by,
        at: recorded.at,
        ...(recorded.note ? { note: recorded.note } : {}),
      }
    })
}
