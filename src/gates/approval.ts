import type { ApprovalGate } from '../plan/plan.generated.js'
import type { GateKind } from './gate-kind.js'

/** `approval:` — the phase waits until someone runs `wf approve PHASE` for its current inputs. */
export const approvalGate: GateKind<ApprovalGate> = {
  describe: (gate) =>
    gate.approval === true || !gate.approval.approvers
      ? 'approval'
      : `approval by ${gate.approval.approvers.join(' or ')}`,
  async check(gate, { phase, fingerprint, approvals }) {
    const approvers = gate.approval === true ? undefined : gate.approval.approvers
    const reason = gate.approval === true ? undefined : gate.approval.reason
    const recorded = approvals?.[phase.id]
    const how = `run \`wf approve ${phase.id}${approvers ? ` --by ${approvers[0]}` : ''}\`${reason ? ` (${reason})` : ''}`
    if (!recorded) return { status: 'awaiting-approval', message: `no approval recorded: ${how}` }
    if (approvers && !approvers.includes(recorded.by))
      return {
        status: 'awaiting-approval',
        message: `approved by ${recorded.by}, who is not one of ${approvers.join(', ')}: ${how}`,
      }
    if (fingerprint !== undefined && recorded.fingerprint !== fingerprint) {
      return {
        status: 'awaiting-approval',
        message: `approved by ${recorded.by} at ${recorded.at}, but the phase's inputs changed since: ${how}`,
      }
    }
    return {
      status: 'passed',
      message: `approved by ${recorded.by} at ${recorded.at}${recorded.note ? `: ${recorded.note}` : ''}`,
    }
  },
}
