import { basename, sep } from 'node:path'
import { gateName, taskName } from '../engine/names.js'
import type { ApprovalRow, WaiverRow } from './status-report.js'
import { WfError } from '../lib/errors.js'
import {
  deadActiveRun,
  type CheckRecord,
  type CheckScope,
  type GateRecord,
  type Ledger,
  type PhaseRecord,
  type RunRecord,
  type TaskRecord,
} from '../ledger/ledger.js'
import { gateKind, taskKind } from '../plan/kinds.js'
import type { ResolvedPhase, ResolvedPlan } from '../plan/resolve-plan.js'
import { FAILING, NEVER_RUN, SATISFIED, countStatuses } from '../ledger/statuses.js'
import { approvalRows } from './approval-rows.js'
import { waiverRows } from './waiver-rows.js'
import { WF_VERSION } from '../lib/wf-version.js'

/** The report's format version (contracts/report.schema.json). */
export const REPORT_FORMAT = 1

export interface ReportLocation {
  file: string
  line?: number
  col?: number
  message?: string
}

/** A task as the ledger recorded it (without its generated-file list), or one that did not run. */
export type ReportTask = Omit<TaskRecord, 'status' | 'generated'> & { status: TaskRecord['status'] | 'not-run' }

export interface ReportGate {
  name: string
  kind: string
  status: GateRecord['status'] | 'not-run'
  message: string
  hint?: string
  durationMs?: number
  locations: ReportLocation[]
  waiver?: { reason: string; owner: string; until: string; expired: boolean }
}

export type ReportPhaseStatus = PhaseRecord['status'] | typeof NEVER_RUN | 'not-in-run'

export interface ReportPhase {
  id: string
  name: string
  description?: string
  needs: string[]
  /** Where the phase is defined (repository-relative plan file). */
  source?: { file: string; line?: number; col?: number }
  status: ReportPhaseStatus
  reason?: string
  runId?: string
  startedAt?: string
  endedAt?: string
  durationMs?: number
  commit?: string | null
  gatesOnly?: boolean
  /** The run whose task and gate results are shown: the phase's own, or for an up-to-date phase the run it last passed in. */
  resultsFrom?: string
  tasks: ReportTask[]
  gates: ReportGate[]
  /** The phase's last `wf check`, beside its result (never in its place); in a report of the latest state only. */
  check?: ReportCheck
}

/** A phase's last `wf check`: gates only, on what its scope says. */
export interface ReportCheck {
  status: CheckRecord['status']
  scope?: CheckScope
  runId: string
  startedAt?: string
  endedAt?: string
  durationMs?: number
  commit?: string | null
  gates: ReportGate[]
}

export interface ReportRun {
  id: string
  seq: number
  status: RunRecord['status']
  startedAt: string
  endedAt?: string
  durationMs?: number
  command: string
  wf: string
  commit: string | null
  branch: string | null
  dirty: boolean
  /** The run finished and its record carries its hash (`wf ledger verify` checks the chain). */
  sealed: boolean
  /** The run was a `wf check`, and what it looked at. */
  check?: CheckScope
  counts: Record<string, number>
  /** When each phase and task of the run started and ended (only on the report's `run`). */
  timeline?: TimelinePhase[]
}

export interface TimelinePhase {
  id: string
  status: PhaseRecord['status']
  startedAt?: string
  endedAt?: string
  durationMs?: number
  tasks: { name: string; status: TaskRecord['status']; startedAt?: string; endedAt?: string; durationMs?: number }[]
}

/** A waiver as `wf status` lists it, with whether it expired and how its gate last fared. */
export interface ReportWaiver extends WaiverRow {
  expired: boolean
  /** The latest status of the gate it covers, when recorded. */
  gateStatus?: string
}

export interface ReportData {
  format: 1
  generatedAt: string
  wf: string
  repository: { name: string; commit: string | null; branch: string | null }
  /** passed: every phase passed or is up to date; failed: a phase failed, is blocked or waits for approval; incomplete: otherwise. */
  status: 'passed' | 'failed' | 'incomplete'
  /** The run the phases come from, or null for the latest state of each phase across runs. */
  scope: { run: string | null }
  totals: {
    phases: Record<string, number>
    tasks: Record<string, number>
    gates: Record<string, number>
  }
  phases: ReportPhase[]
  /** The run shown in the timeline: the one asked for, or the latest. */
  run: ReportRun | null
  waivers: ReportWaiver[]
  approvals: ApprovalRow[]
  /** The newest kept runs (up to 50), newest first. */
  history: ReportRun[]
}

/** How many of the newest runs a report lists in its history. */
export const HISTORY_SHOWN = 50

/** The report of a plan from its ledger and run records (no I/O). */
export function assembleReport(
  plan: ResolvedPlan,
  ledger: Ledger,
  runs: RunRecord[],
  options: { run?: string; now?: Date } = {},
): ReportData {
  const now = options.now ?? new Date()
  const selected = options.run === undefined ? undefined : findRun(runs, options.run)
  const latest = selected ?? runs.at(-1)
  const head = runs.at(-1)
  const source = { ledger, selected, byId: new Map(runs.map((r) => [r.id, r])), relative: relativeTo(plan.root) }
  const phases = plan.phases.map((phase) => reportPhase(phase, source))
  return {
    format: REPORT_FORMAT,
    generatedAt: now.toISOString(),
    wf: WF_VERSION,
    repository: {
      name: basename(plan.root),
      commit: latest?.git.commit ?? head?.git.commit ?? null,
      branch: latest?.git.branch ?? head?.git.branch ?? null,
    },
    status: overallStatus(phases, selected),
    scope: { run: selected?.id ?? null },
    totals: {
      phases: countStatuses(phases),
      tasks: countStatuses(
        phases.flatMap((p) => p.tasks.map((t) => ({ status: t.allowedFailure ? 'warned' : t.status }))),
      ),
      gates: countStatuses(phases.flatMap((p) => p.gates)),
    },
    phases,
    run: latest ? { ...reportRun(latest), timeline: timeline(latest) } : null,
    waivers: reportWaivers(plan, phases, now),
    approvals: approvalRows(plan, ledger),
    history: [...runs].reverse().slice(0, HISTORY_SHOWN).map(reportRun),
  }
}

/** Where a report's phases come from: one selected run, or the ledger's latest state of each phase. */
interface PhaseSource {
  ledger: Ledger
  selected: RunRecord | undefined
  byId: Map<string, RunRecord>
  relative: (file: string) => string
}

/** The kept run a report was asked for, by id or sequence number. */
function findRun(runs: RunRecord[], run: string): RunRecord {
  const found = runs.find((r) => r.id === run) ?? runs.find((r) => String(r.seq) === run)
  if (found) return found
  const kept = runs.map((r) => r.id)
  throw new WfError('WF_USAGE', `no run \`${run}\` in .wf/runs/`, {
    hint: kept.length
      ? `kept runs: ${kept.slice(-5).join(', ')}${kept.length > 5 ? ' …' : ''} (see \`wf status\`)`
      : 'no run records are kept; run `wf run` first',
  })
}

/** A path as the report shows it: relative to the repository, with forward slashes. */
function relativeTo(root: string): (file: string) => string {
  return (file) =>
    (file === root || file.startsWith(root + sep) ? file.slice(root.length).replace(/^[\\/]+/, '') : file)
      .split('\\')
      .join('/')
}

function reportPhase(phase: ResolvedPhase, from: PhaseSource): ReportPhase {
  const record = from.selected ? from.selected.phases.find((p) => p.id === phase.id) : from.ledger.phases[phase.id]
  const source = phaseSource(phase, from.relative)
  const check = from.selected ? undefined : from.ledger.checks?.[phase.id]
  const base = {
    id: phase.id,
    name: phase.name,
    ...(phase.description ? { description: phase.description } : {}),
    needs: [...phase.needs],
    ...(source ? { source } : {}),
  }
  const beside = check ? { check: reportCheck(check) } : {}
  if (!record)
    return {
      ...base,
      status: from.selected ? 'not-in-run' : NEVER_RUN,
      tasks: plannedTasks(phase),
      gates: plannedGates(phase),
      ...beside,
    }
  const dead = deadActiveRun(from.ledger)
  const interrupted = !from.selected && dead && record.status === 'running' && record.runId === dead.runId
  const results = shownResults(phase.id, record, from)
  return {
    ...base,
    status: interrupted ? 'interrupted' : record.status,
    ...(interrupted ? { reason: 'wf stopped while this phase ran' } : record.reason ? { reason: record.reason } : {}),
    runId: record.runId,
    ...(record.startedAt ? { startedAt: record.startedAt } : {}),
    ...(record.endedAt ? { endedAt: record.endedAt } : {}),
    ...(record.durationMs !== undefined ? { durationMs: record.durationMs } : {}),
    commit: record.git?.commit ?? null,
    ...(record.gatesOnly ? { gatesOnly: true } : {}),
    resultsFrom: results.runId,
    ...shownSteps(phase, results),
    ...beside,
  }
}

function reportCheck(check: CheckRecord): ReportCheck {
  return {
    status: check.status,
    ...(check.scope ? { scope: check.scope } : {}),
    runId: check.runId,
    ...(check.startedAt ? { startedAt: check.startedAt } : {}),
    ...(check.endedAt ? { endedAt: check.endedAt } : {}),
    ...(check.durationMs !== undefined ? { durationMs: check.durationMs } : {}),
    commit: check.git?.commit ?? null,
    gates: (check.gates ?? []).map(reportGate),
  }
}

// A source location is looked up in the positioned YAML on first use, and that lookup can fail.
function phaseSource(phase: ResolvedPhase, relative: (file: string) => string): ReportPhase['source'] {
  try {
    return phase.source
      ? { file: relative(phase.source.file), line: phase.source.line, col: phase.source.col }
      : undefined
  } catch {
    return undefined
  }
}

/** The record whose tasks and gates a phase shows: an up-to-date phase did no work, so what it last passed with. */
function shownResults(id: string, record: PhaseRecord, from: PhaseSource): PhaseRecord {
  if (record.status !== 'up-to-date') return record
  const passedRun = from.ledger.passed[id]?.runId
  return (passedRun ? from.byId.get(passedRun)?.phases.find((p) => p.id === id) : undefined) ?? record
}

/** Recorded tasks and gates; a phase that did no work (blocked, skipped, cancelled…) lists its planned ones as not run. */
function shownSteps(phase: ResolvedPhase, results: PhaseRecord): { tasks: ReportTask[]; gates: ReportGate[] } {
  const didWork = results.status === 'passed' || results.status === 'failed' || results.status === 'awaiting-approval'
  const tasks = results.tasks?.length
    ? results.tasks.map(reportTask)
    : didWork || results.gatesOnly
      ? []
      : plannedTasks(phase)
  const gates = results.gates?.length ? results.gates.map(reportGate) : didWork ? [] : plannedGates(phase)
  return { tasks, gates }
}

function plannedTasks(phase: ResolvedPhase): ReportTask[] {
  return phase.tasks.map((t) => ({ name: taskName(t), kind: taskKind(t), status: 'not-run' as const }))
}

function plannedGates(phase: ResolvedPhase): ReportGate[] {
  return phase.gates.map((g) => ({
    name: gateName(g),
    kind: gateKind(g),
    status: 'not-run' as const,
    message: 'not evaluated',
    locations: [],
  }))
}

/** A selected run's own status; otherwise failed when a phase fails, passed when every phase is satisfied. */
function overallStatus(phases: ReportPhase[], selected: RunRecord | undefined): ReportData['status'] {
  if (selected) return selected.status === 'passed' || selected.status === 'failed' ? selected.status : 'incomplete'
  if (phases.some((p) => FAILING.has(p.status))) return 'failed'
  return phases.every((p) => SATISFIED.has(p.status)) ? 'passed' : 'incomplete'
}

function reportWaivers(plan: ResolvedPlan, phases: ReportPhase[], now: Date): ReportWaiver[] {
  return waiverRows(plan, now).map((row) => {
    const recorded = phases.find((p) => p.id === row.phase)?.gates.find((g) => g.name === row.gate)
    return {
      ...row,
      expired: row.daysLeft < 0,
      ...(recorded && recorded.status !== 'not-run' ? { gateStatus: recorded.status } : {}),
    }
  })
}

function reportTask({ generated: _generated, ...task }: TaskRecord): ReportTask {
  return task
}

function reportGate(g: GateRecord): ReportGate {
  return {
    name: g.name,
    kind: g.kind,
    status: g.status,
    message: g.message,
    ...(g.hint ? { hint: g.hint } : {}),
    ...(g.durationMs !== undefined ? { durationMs: g.durationMs } : {}),
    locations: (g.locations ?? []).map((l) => ({
      file: l.file,
      ...(l.line !== undefined ? { line: l.line } : {}),
      ...(l.col !== undefined ? { col: l.col } : {}),
      ...(l.message ? { message: l.message } : {}),
    })),
    ...(g.waiver ? { waiver: { ...g.waiver } } : {}),
  }
}

function reportRun(run: RunRecord): ReportRun {
  const counts = countStatuses(run.phases)
  const duration = run.endedAt ? Date.parse(run.endedAt) - Date.parse(run.startedAt) : undefined
  return {
    id: run.id,
    seq: run.seq,
    status: run.status,
    startedAt: run.startedAt,
    ...(run.endedAt ? { endedAt: run.endedAt } : {}),
    ...(duration !== undefined && Number.isFinite(duration) ? { durationMs: duration } : {}),
    command: ['wf', ...run.argv].join(' '),
    wf: run.wf,
    commit: run.git.commit,
    branch: run.git.branch,
    dirty: run.git.dirty,
    sealed: typeof run.hash === 'string',
    counts,
    ...(run.check ? { check: run.check } : {}),
  }
}

function timeline(run: RunRecord): TimelinePhase[] {
  const pick = <T extends object>(o: T, keys: (keyof T)[]) =>
    Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]))
  return run.phases.map((p) => ({
    id: p.id,
    status: p.status,
    ...pick(p, ['startedAt', 'endedAt', 'durationMs']),
    tasks: (p.tasks ?? []).map((t) => ({
      name: t.name,
      status: t.status,
      ...pick(t, ['startedAt', 'endedAt', 'durationMs']),
    })),
  }))
}
