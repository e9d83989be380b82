import {
  deadActiveRun,
  environmentView,
  headRecordProblem,
  readHashCache,
  readLedger,
  type CheckRecord,
  type Ledger,
} from '../ledger/ledger.js'
import { countStatuses, NEVER_RUN } from '../ledger/statuses.js'
import { reapTasks } from '../ledger/reap-tasks.js'
import { readRunRecords } from '../ledger/read-runs.js'
import { approvalRows } from '../report/approval-rows.js'
import { waiverRows } from '../report/waiver-rows.js'
import { readPlan } from './read-plan.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { explainPhases } from '../fingerprint/freshness.js'
import { Workspace } from '../lib/workspace.js'
import type {
  ApprovalRow,
  LastCheck,
  PassedRun,
  PhaseStatusRow,
  StatusReport,
  WaiverRow,
} from '../report/status-report.js'

export type { ApprovalRow, LastCheck, PassedRun, PhaseStatusRow, StatusReport, WaiverRow }

/**
 * The plan's phases with their latest recorded results (from full runs) and, beside them, their
 * last checks; `detailed` also works out which are up to date and why not.
 */
export async function readStatus(options: {
  cwd: string
  plan?: string
  /** Show this environment's results (`--env`); the default environment's otherwise. */
  environment?: string
  detailed?: boolean
  today?: Date /** A plan and ledger already read (a long-lived server keeps them). */
  read?: { plan: ResolvedPlan; ledger: Ledger }
}): Promise<StatusReport> {
  const plan =
    options.read?.plan ?? (await readPlan({ cwd: options.cwd, plan: options.plan, environment: options.environment }))
  const ledger = environmentView((options.read ?? (await readLedger(plan.root, WF_VERSION))).ledger, plan.environment)
  const freshness = options.detailed
    ? await explainPhases(plan, ledger, {
        wf: WF_VERSION,
        workspace: new Workspace(plan.root, { hashCache: await readHashCache(plan.root) }),
      })
    : undefined
  const passedRuns = options.detailed ? await readPassedRuns(plan.root, ledger) : undefined
  const dead = deadActiveRun(ledger)
  // Tasks a killed wf left running are stopped now; the next ledger writer records it.
  await reapTasks(plan.root)
  const ledgerProblem = await headRecordProblem(plan.root, ledger)
  return {
    ...(plan.environment ? { environment: plan.environment } : {}),
    ...(ledgerProblem ? { ledgerProblem } : {}),
    phases: plan.phases.map((phase) => {
      const record = ledger.phases[phase.id]
      const check = ledger.checks?.[phase.id]
      const interrupted = dead && record?.status === 'running' && record.runId === dead.runId
      return {
        id: phase.id,
        name: phase.name,
        status: interrupted ? 'interrupted' : (record?.status ?? NEVER_RUN),
        endedAt: record?.endedAt,
        durationMs: record?.durationMs,
        commit: record?.git?.commit,
        reason: interrupted ? 'wf stopped while this phase ran' : record?.reason,
        ...(check ? { check: lastCheck(check) } : {}),
        ...(options.detailed ? { record, checkRecord: check, freshness: freshness!.get(phase.id) } : {}),
        ...(record?.status === 'up-to-date' && passedRuns?.has(phase.id)
          ? { passedRun: passedRuns.get(phase.id) }
          : {}),
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
    approvals: approvalRows(plan, ledger),
    waivers: waiverRows(plan, options.today ?? new Date()),
  }
}

function lastCheck(check: CheckRecord): LastCheck {
  return {
    status: check.status,
    ...(check.scope ? { scope: check.scope } : {}),
    runId: check.runId,
    ...(check.endedAt ? { endedAt: check.endedAt } : {}),
    gates: countStatuses(check.gates ?? []),
  }
}

/**
 * For each up-to-date phase, the run that passed it (its tasks, gates, time and duration), read from
 * its record in .wf/runs/; null when that record is no longer kept.
 */
async function readPassedRuns(root: string, ledger: Ledger): Promise<Map<string, PassedRun | null>> {
  const wanted = Object.entries(ledger.phases).flatMap(([id, record]) => {
    const runId = record?.status === 'up-to-date' ? ledger.passed[id]?.runId : undefined
    return runId ? [{ id, runId }] : []
  })
  const result = new Map<string, PassedRun | null>()
  if (wanted.length === 0) return result
  const seqs = [...new Set(wanted.map(({ runId }) => Number.parseInt(runId, 10)))].filter(Number.isInteger)
  const runs = new Map((await readRunRecords(root, { newest: 0, seqs })).map((run) => [run.id, run]))
  for (const { id, runId } of wanted) {
    const found = runs.get(runId)?.phases.find((p) => p.id === id && p.status === 'passed')
    result.set(
      id,
      found
        ? {
            runId,
            startedAt: found.startedAt,
            endedAt: found.endedAt,
            durationMs: found.durationMs,
            tasks: found.tasks ?? [],
            gates: found.gates ?? [],
          }
        : null,
    )
  }
  return result
}
