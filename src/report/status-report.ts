import type { CheckRecord, CheckScope, GateRecord, PhaseRecord, RunSummary, TaskRecord } from '../ledger/ledger.js'
import type { NEVER_RUN } from '../ledger/statuses.js'
import type { Freshness } from '../fingerprint/freshness.js'

/** What `wf status` shows: the model its renderers (terminal, JSON, MCP) take. */
export interface PhaseStatusRow {
  id: string
  name: string
  status: PhaseRecord['status'] | typeof NEVER_RUN
  endedAt?: string
  durationMs?: number
  commit?: string | null
  reason?: string
  /** The phase's last `wf check`, shown beside its status: a check never sets it. */
  check?: LastCheck
  record?: PhaseRecord
  /** The last check's gate results (with `--detailed`). */
  checkRecord?: CheckRecord
  freshness?: Freshness
  /** An up-to-date phase (with `--detailed`): the run that passed it, or null when its record is no longer kept. */
  passedRun?: PassedRun | null
}

/** The result of the run a phase last passed in: what up-to-date skips stand on. */
export interface PassedRun {
  runId: string
  startedAt?: string
  endedAt?: string
  durationMs?: number
  tasks: TaskRecord[]
  gates: GateRecord[]
}

/** A phase's last `wf check` in short: how it ended, what it looked at, when, and its gates counted by status. */
export interface LastCheck {
  status: CheckRecord['status']
  scope?: CheckScope
  runId: string
  endedAt?: string
  gates: Record<string, number>
}

export interface WaiverRow {
  phase: string
  gate: string
  reason: string
  owner: string
  until: string
  daysLeft: number
}

export interface ApprovalRow {
  phase: string
  state: 'approved' | 'pending'
  by?: string
  at?: string
  note?: string
  /** For a pending approval: the command that records it (`--sign` when the gate takes only signed approvals). */
  command?: string
}

export interface StatusReport {
  /** The environment whose results these are (`--env`); absent for the default. */
  environment?: string
  /** Why the ledger's last run record does not verify (writers refuse to go on until it is fixed). */
  ledgerProblem?: string
  phases: PhaseStatusRow[]
  active: { runId: string; pid: number; startedAt: string; state: 'running' | 'interrupted' } | null
  recent: RunSummary[]
  waivers: WaiverRow[]
  /** Phases with an approval gate: approved (by whom, when) or waiting for `wf approve`. */
  approvals: ApprovalRow[]
}
