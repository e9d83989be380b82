import { deadActiveRun, readHashCache, readLedger, type Ledger } from '../ledger/ledger.js'
import { gateKind } from '../plan/kinds.js'
import { readPlan } from './read-plan.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { explainPhases } from '../fingerprint/freshness.js'
import { Workspace } from '../lib/workspace.js'
import type { ApprovalRow, PhaseStatusRow, StatusReport, WaiverRow } from '../report/status-report.js'

export type { ApprovalRow, PhaseStatusRow, StatusReport, WaiverRow }
import { gateName } from '../engine/names.js'

const DAY = 86_400_000

/** The plan's phases with their latest recorded results; `detailed` also works out which are up to date and why not. */
export async function readStatus(options: {
  cwd: string
  plan?: string
  detailed?: boolean
  today?: Date /** A plan and ledger already read (a long-lived server keeps them). */
  read?: { plan: ResolvedPlan; ledger: Ledger }
}): Promise<StatusReport> {
  const plan = options.read?.plan ?? (await readPlan({ cwd: options.cwd, plan: options.plan }))
  const { ledger } = options.read ?? (await readLedger(plan.root, WF_VERSION))
  const freshness = options.detailed
    ? await explainPhases(plan, ledger, {
        wf: WF_VERSION,
        workspace: new Workspace(plan.root, { hashCache: await readHashCache(plan.root) }),
      })
    : undefined
  const dead = deadActiveRun(ledger)
  const today = Date.parse((options.today ?? new Date()).toISOString().slice(0, 10))
  return {
    phases: plan.phases.map((phase) => {
      const record = ledger.phases[phase.id]
      const interrupted = dead && record?.status === 'running' && record.runId === dead.runId
      return {
        id: phase.id,
        name: phase.name,
        status: interrupted ? 'interrupted' : (record?.status ?? 'never run'),
        endedAt: record?.endedAt,
        durationMs: record?.durationMs,
        commit: record?.git?.commit,
        reason: interrupted ? 'wf stopped while this phase ran' : record?.reason,
        ...(options.detailed ? { record, freshness: freshness!.get(phase.id) } : {}),
      }
    }),
    active: ledger.active
      ? {
          runId: ledger.active.runId,
          pid: ledger.active.pid,
          startedAt: ledger.active.startedAt,
          state: dead ? 'interrupted' : 'running',
        }
      : null,
    recent: ledger.recent,
    approvals: plan.phases
      .filter((phase) => phase.gates.some((g) => gateKind(g) === 'approval'))
      .map((phase) => {
        const recorded = ledger.approvals?.[phase.id]
        const waiting = ledger.phases[phase.id]?.status === 'awaiting-approval' || !recorded
        return waiting
          ? { phase: phase.id, state: 'pending' as const }
          : {
              phase: phase.id,
              state: 'approved' as const,
              by: recorded.by,
              at: recorded.at,
              ...(recorded.note ? { note: recorded.note } : {}),
            }
      }),
    waivers: plan.phases.flatMap((phase) =>
      phase.gates
        .filter((g) => g.waive)
        .map((gate) => ({
          phase: phase.id,
          gate: gateName(gate),
          reason: gate.waive!.reason,
          owner: gate.waive!.owner,
          until: gate.waive!.until,
          daysLeft: Math.round((Date.parse(gate.waive!.until) - today) / DAY),
        })),
    ),
  }
}
