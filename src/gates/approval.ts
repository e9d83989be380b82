import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { ApprovalRecord } from '../ledger/ledger.js'
import { verifySshSignature } from '../lib/ssh-signature.js'
import type { ApprovalGate } from '../plan/plan.generated.js'
import { APPROVAL_NAMESPACE, approvalMessage } from './approval-message.js'
import type { GateKind, GateOutcome } from './gate-kind.js'

/** Where a signed approval gate reads who may sign unless its `allowed-signers` names another file. */
export const DEFAULT_ALLOWED_SIGNERS = '.github/allowed_signers'

/** An approval gate's options with their defaults. */
export function approvalOptions(gate: ApprovalGate) {
  const options = gate.approval === true ? {} : gate.approval
  return {
    approvers: options.approvers,
    reason: options.reason,
    signed: options.signed === true,
    allowedSigners: options['allowed-signers'] ?? DEFAULT_ALLOWED_SIGNERS,
  }
}

/**
 * `approval:` — the phase waits until someone runs `wf approve PHASE` for its current inputs; with
 * `signed: true`, until a key listed in the allowed-signers file signs them (`wf approve PHASE --sign`).
 */
export const approvalGate: GateKind<ApprovalGate> = {
  describe(gate) {
    const { approvers, signed } = approvalOptions(gate)
    const kind = signed ? 'signed approval' : 'approval'
    return approvers ? `${kind} by ${approvers.join(' or ')}` : kind
  },
  // Who may sign is an input: a change to the file asks for new signatures rather than keeping a
  // phase up to date on a key that may since have been removed.
  inputs(gate) {
    const { signed, allowedSigners } = approvalOptions(gate)
    return signed ? [allowedSigners] : []
  },
  paths(gate) {
    const { signed, allowedSigners } = approvalOptions(gate)
    if (!signed) return []
    const named = gate.approval !== true && gate.approval['allowed-signers'] !== undefined
    return [
      {
        at: ['approval', named ? 'allowed-signers' : 'signed'],
        value: allowedSigners,
        mustExist: 'file',
        what: 'allowed-signers file',
      },
    ]
  },
  checkOptions(gate) {
    if (gate.approval === true || gate.approval.signed || gate.approval['allowed-signers'] === undefined) return []
    return [
      {
        at: ['approval', 'allowed-signers'],
        message: '`allowed-signers` is read only by a signed approval gate',
        hint: 'add `signed: true`, or remove `allowed-signers`',
      },
    ]
  },
  async check(gate, { root, phase, fingerprint, approvals }) {
    const { approvers, reason, signed, allowedSigners } = approvalOptions(gate)
    const recorded = approvals?.[phase.id]
    const command = signed
      ? `wf approve ${phase.id} --sign`
      : `wf approve ${phase.id}${approvers ? ` --by ${approvers[0]}` : ''}`
    const how = `run \`${command}\`${reason ? ` (${reason})` : ''}`
    const waiting = (message: string): GateOutcome => ({ status: 'awaiting-approval', message })
    if (!recorded) return waiting(`no approval recorded: ${how}`)
    if (signed) return checkSigned(recorded, { root, phase: phase.id, fingerprint, approvers, allowedSigners, how })
    if (approvers && !approvers.includes(recorded.by))
      return waiting(`approved by ${recorded.by}, who is not one of ${approvers.join(', ')}: ${how}`)
    if (fingerprint !== undefined && recorded.fingerprint !== fingerprint)
      return waiting(`approved by ${recorded.by} at ${recorded.at}, but the phase's inputs changed since: ${how}`)
    return {
      status: 'passed',
      message: `approved by ${recorded.by} at ${recorded.at}${recorded.note ? `: ${recorded.note}` : ''}`,
    }
  },
}

interface SignedCheck {
  root: string
  phase: string
  fingerprint?: string
  approvers?: string[]
  allowedSigners: string
  how: string
}

/** A signed approval passes when a listed key signed this phase's current fingerprint (and, with approvers, belongs to one). */
async function checkSigned(recorded: ApprovalRecord, check: SignedCheck): Promise<GateOutcome> {
  const { phase, allowedSigners, how } = check
  const waiting = (message: string): GateOutcome => ({ status: 'awaiting-approval', message })
  if (!recorded.signature)
    return waiting(`approved by ${recorded.by} without a signature, and this gate takes only signed approvals: ${how}`)
  if (recorded.phase !== phase)
    return waiting(`the signed approval recorded for \`${phase}\` is for \`${recorded.phase ?? 'no phase'}\`: ${how}`)
  if (check.fingerprint === undefined || recorded.fingerprint !== check.fingerprint)
    return waiting(`signed at ${recorded.at}, but the phase's inputs changed since: ${how}`)
  if (!existsSync(join(check.root, allowedSigners)))
    return waiting(
      `the allowed-signers file ${allowedSigners} does not exist: commit it with a line for each approver's key`,
    )
  const message = approvalMessage(phase, { ...recorded, fingerprint: check.fingerprint })
  const verdict = await verifySshSignature(
    message,
    recorded.signature,
    join(check.root, allowedSigners),
    APPROVAL_NAMESPACE,
  )
  if (!verdict.valid)
    return verdict.reason === 'unlisted'
      ? waiting(`signed by a key that is not in ${allowedSigners}: add the approver's public key to it, or ${how}`)
      : waiting(
          `the signature does not verify${verdict.detail ? ` (${verdict.detail})` : ''}: the recorded approval is not what was signed; ${how}`,
        )
  const principal = check.approvers
    ? verdict.principals.find((p) => check.approvers!.includes(p))
    : verdict.principals[0]
  if (!principal)
    return waiting(
      `signed by ${verdict.principals.join(', ')}, who is not one of ${check.approvers!.join(', ')}: one of them should ${how}`,
    )
  return {
    status: 'passed',
    message: `approved by ${principal} at ${recorded.at}, signed with ${verdict.key || 'a key'} listed in ${allowedSigners}${recorded.note ? `: ${recorded.note}` : ''}`,
  }
}
