import { WfError } from '../lib/errors.js'
import { LedgerWriter, readHashCache, type ApprovalRecord } from '../ledger/ledger.js'
import { gateKind } from '../plan/kinds.js'
import { readPlan } from './read-plan.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { currentFingerprints } from '../fingerprint/freshness.js'
import { Workspace } from '../lib/workspace.js'
import { selectPhases } from '../engine/select-phases.js'

export interface ApprovePhaseOptions {
  cwd: string
  phase: string
  by?: string
  note?: string
  lockTimeoutMs: number
  argv: string[]
}

/** Records who approved a phase and when, bound to the phase's current fingerprint. */
export async function approvePhase(options: ApprovePhaseOptions): Promise<{ phase: string; approval: ApprovalRecord }> {
  const plan = await readPlan({ cwd: options.cwd })
  const [id] = selectPhases(plan, { only: [options.phase] })
  const phase = plan.phases.find((p) => p.id === id)!
  const gate = phase.gates.find((g) => gateKind(g) === 'approval')
  if (!gate)
    throw new WfError('WF_USAGE', `phase \`${id}\` has no approval gate`, {
      hint: 'add `- approval: true` to its gates to require an approval',
    })
  const workspace = new Workspace(plan.root)
  const by = options.by ?? (await whoAmI(workspace))
  const approvers = 'approval' in gate && gate.approval !== true ? gate.approval.approvers : undefined
  if (approvers && !approvers.includes(by))
    throw new WfError('WF_USAGE', `${by} may not approve \`${id}\`; its approvers are ${approvers.join(', ')}`, {
      hint: 'pass --by with one of them',
    })
  const writer = await LedgerWriter.open(plan.root, {
    wf: WF_VERSION,
    lockTimeoutMs: options.lockTimeoutMs,
    command: ['wf', ...options.argv].join(' '),
  })
  try {
    workspace.loadHashCache(await readHashCache(plan.root))
    const fingerprint = (await currentFingerprints(plan, writer.ledger, { wf: WF_VERSION, workspace, ids: [id!] })).get(
      id!,
    )!
    const approval: ApprovalRecord = {
      by,
      at: new Date().toISOString(),
      fingerprint: fingerprint.hash,
      ...(options.note ? { note: options.note } : {}),
    }
    await writer.approve(id!, approval)
    return { phase: id!, approval }
  } finally {
    await writer.close()
  }
}

async function whoAmI(workspace: Workspace): Promise<string> {
  const git = await workspace.git.client()
  const name = git ? (await git.raw(['config', 'user.name']).catch(() => '')).trim() : ''
  return name || process.env.USER || process.env.USERNAME || 'unknown'
}
