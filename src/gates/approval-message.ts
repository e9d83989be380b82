import type { ApprovalRecord } from '../ledger/ledger.js'

/** The namespace of approval signatures (`ssh-keygen -Y sign -n`): a signature made for git or ssh cannot pass as an approval. */
export const APPROVAL_NAMESPACE = 'wf-approval'

/**
 * The text an approval signature covers, one field a line: the phase, its fingerprint, the commit
 * checked out, the time and the note (JSON-quoted, so a note cannot add a line).
 */
export function approvalMessage(
  phase: string,
  approval: Pick<ApprovalRecord, 'fingerprint' | 'commit' | 'at' | 'note'>,
): string {
  const lines = [APPROVAL_NAMESPACE, `phase: ${phase}`, `fingerprint: ${approval.fingerprint}`]
  if (approval.commit) lines.push(`commit: ${approval.commit}`)
  lines.push(`at: ${approval.at}`)
  if (approval.note !== undefined) lines.push(`note: ${JSON.stringify(approval.note)}`)
  return `${lines.join('\n')}\n`
}
