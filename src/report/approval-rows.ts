import type { Ledger } from '../ledger/ledger.js'
import { gateKind } from '../plan/kinds.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'
import type { ApprovalRow } from './status-report.js'

/** The command that records an approval of `phase`: signed when its gate takes only signed approvals. */
function approveCommand(phase: ResolvedPlan['phases'][number]): string {
  const signed = phase.gates.some(
    (g) => gateKind(g) === 'approval' && 'approval' in g && g.approval !== true && g.approval.signed,
  )
  return `wf approve ${phase.id}${signed ? ' --sign' : ''}`
}

/** Every phase with an approval gate: approved (by whom, when) or still waiting for `wf approve`. */
export function approvalRows(plan: ResolvedPlan, ledger: Ledger): ApprovalRow[] {
  return plan.phases
    .filter((phase) => phase.gates.some((g) => gateKind(g) === 'approval'))
    .map((phase) => {
      const recorded = ledger.approvals?.[phase.id]
      const waiting = ledger.phases[phase.id]?.status === 'awaiting-approval' || !recorded
      if (waiting) return { phase: phase.id, state: 'pending', command: approveCommand(phase) }
      return {
        phase: phase.id,
        state: 'approved',
        by: recorded.by,
        at: recorded.at,
        ...(recorded.note ? { note: recorded.note } : {}),
      }
    })
}
