import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { WfError } from '../lib/errors.js'
import { LedgerWriter, readHashCache, type ApprovalRecord } from '../ledger/ledger.js'
import { gateKind } from '../plan/kinds.js'
import type { ApprovalGate } from '../plan/plan.generated.js'
import { readPlan } from './read-plan.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { currentFingerprints } from '../fingerprint/freshness.js'
import { Workspace } from '../lib/workspace.js'
import { selectPhases } from '../engine/select-phases.js'
import { approvalOptions } from '../gates/approval.js'
import { APPROVAL_NAMESPACE, approvalMessage } from '../gates/approval-message.js'
import { type SigningKey, signWithSshKey, sshSigningKey, verifySshSignature } from '../lib/ssh-signature.js'

export interface ApprovePhaseOptions {
  cwd: string
  phase: string
  by?: string
  note?: string
  /** Sign with git's `user.signingkey`; the approver is the principal the allowed-signers file names for it. */
  sign?: boolean
  lockTimeoutMs: number
  argv: string[]
}

/** Records who approved a phase and when, bound to the phase's current fingerprint; signed with the approver's SSH key on request. */
export async function approvePhase(options: ApprovePhaseOptions): Promise<{ phase: string; approval: ApprovalRecord }> {
  const plan = await readPlan({ cwd: options.cwd })
  const [id] = selectPhases(plan, { only: [options.phase] })
  const phase = plan.phases.find((p) => p.id === id)!
  const gate = phase.gates.find((g) => gateKind(g) === 'approval') as ApprovalGate | undefined
  if (!gate)
    throw new WfError('WF_USAGE', `phase \`${id}\` has no approval gate`, {
      hint: 'add `- approval: true` to its gates to require an approval',
    })
  const gateOptions = approvalOptions(gate)
  if (gateOptions.signed && !options.sign)
    throw new WfError('WF_USAGE', `phase \`${id}\` takes only signed approvals`, {
      hint: `run \`wf approve ${id} --sign\` (it signs with git config user.signingkey)`,
    })
  const workspace = new Workspace(plan.root)
  const key = options.sign ? await signingKey(workspace) : undefined
  const by = key ? undefined : (options.by ?? (await whoAmI(workspace)))
  const approvers = gateOptions.approvers
  if (by !== undefined && approvers && !approvers.includes(by))
    throw new WfError('WF_USAGE', `${by} may not approve \`${id}\`; its approvers are ${approvers.join(', ')}`, {
      hint: 'pass --by with one of them',
    })
  const writer = await LedgerWriter.open(plan.root, {
    wf: WF_VERSION,
    lockTimeoutMs: options.lockTimeoutMs,
    command: ['wf', ...options.argv].join(' '),
    argv: options.argv,
  })
  try {
    workspace.loadHashCache(await readHashCache(plan.root))
    const fingerprint = (await currentFingerprints(plan, writer.ledger, { wf: WF_VERSION, workspace, ids: [id!] })).get(
      id!,
    )!
    const fields = {
      at: new Date().toISOString(),
      fingerprint: fingerprint.hash,
      ...(options.note ? { note: options.note } : {}),
    }
    const approval: ApprovalRecord = key
      ? await signApproval(id!, fields, key, { workspace, allowedSigners: gateOptions.allowedSigners, approvers })
      : { by: by!, ...fields }
    await writer.approve(id!, approval)
    return { phase: id!, approval }
  } finally {
    await writer.close()
  }
}

/** Signs the approval and names its approver: the principal the allowed-signers file lists for the key. */
async function signApproval(
  id: string,
  fields: Pick<ApprovalRecord, 'at' | 'fingerprint' | 'note'>,
  key: SigningKey,
  context: { workspace: Workspace; allowedSigners: string; approvers?: string[] },
): Promise<ApprovalRecord> {
  const { workspace, allowedSigners, approvers } = context
  const file = join(workspace.root, allowedSigners)
  const addKey = `add a line \`NAME namespaces="${APPROVAL_NAMESPACE}" <your public key>\` to ${allowedSigners} and commit it`
  if (!existsSync(file))
    throw new WfError(
      'WF_USAGE',
      `no allowed-signers file at ${allowedSigners}: a signed approval names its approver from it`,
      {
        hint: addKey,
      },
    )
  const commit = (await workspace.git.facts()).commit
  const signed = { ...fields, phase: id, ...(commit ? { commit } : {}) }
  const message = approvalMessage(id, signed)
  const signature = await signWithSshKey(message, key, APPROVAL_NAMESPACE)
  const verdict = await verifySshSignature(message, signature, file, APPROVAL_NAMESPACE)
  if (!verdict.valid)
    throw new WfError(
      'WF_USAGE',
      verdict.reason === 'unlisted'
        ? `the key in git config user.signingkey is not listed in ${allowedSigners}`
        : `${allowedSigners} does not accept the signature for approvals: ${verdict.detail}`,
      { hint: addKey },
    )
  const by = approvers ? verdict.principals.find((p) => approvers.includes(p)) : verdict.principals[0]
  if (!by)
    throw new WfError(
      'WF_USAGE',
      `${verdict.principals.join(', ')} may not approve \`${id}\`; its approvers are ${approvers!.join(', ')}`,
      { hint: `one of them signs with \`wf approve ${id} --sign\`` },
    )
  return { by, ...signed, signature }
}

/** The SSH key git signs with (`user.signingkey`). */
async function signingKey(workspace: Workspace): Promise<SigningKey> {
  const git = await workspace.git.client()
  const value = git ? (await git.raw(['config', '--get', 'user.signingkey']).catch(() => '')).trim() : ''
  const setup =
    'git config user.signingkey ~/.ssh/id_ed25519.pub (the key git signs commits with when gpg.format is ssh)'
  if (!value) throw new WfError('WF_USAGE', 'no signing key: git config user.signingkey is not set', { hint: setup })
  const key = sshSigningKey(value, workspace.root)
  if ('file' in key && !existsSync(key.file))
    throw new WfError('WF_USAGE', `user.signingkey \`${value}\` is neither an SSH key file nor a \`key::\` literal`, {
      hint: setup,
    })
  return key
}

async function whoAmI(workspace: Workspace): Promise<string> {
  const git = await workspace.git.client()
  const name = git ? (await git.raw(['config', 'user.name']).catch(() => '')).trim() : ''
  return name || process.env.USER || process.env.USERNAME || 'unknown'
}
