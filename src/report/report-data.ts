import { basename, sep } from 'node:path'
import { gateName, taskName } from '../engine/names.js'
import type { WaiverRow } from './status-report.js'
import { WfError } from '../lib/errors.js'
import {
  deadActiveRun,
  type GateRecord,
  type Ledger,
  type PhaseRecord,
  type RunRecord,
  type TaskRecord,
} from '../ledger/ledger.js'
import { gateKind, taskKind } from '../plan/kinds.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'
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

export type ReportPhaseStatus = PhaseRecord['status'] | 'never-run' | 'not-in-run'

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
  approvals: { phase: string; state: 'approved' | 'pending'; by?: string; at?: string; note?: string }[]
  /** The newest kept runs (up to 50), newest first. */
  history: ReportRun[]
}

const DAY = 86_400_000
/** How many of the newest runs a report lists in its history. */
export const HISTORY_SHOWN = 50
const FAILING = new Set(['failed', 'blocked', 'awaiting-approval'])
const FINE = new Set(['passed', 'up-to-date', 'skipped'])

/** The report of a plan from its ledger and run records (no I/O). */
export function assembleReport(
  plan: ResolvedPlan,
  ledger: Ledger,
  runs: RunRecord[],
  options: { run?: string; now?: Date } = {},
): ReportData {
  const now = options.now ?? new Date()
  const byId = new Map(runs.map((r) => [r.id, r]))
  let selected: RunRecord | undefined
  if (options.run !== undefined) {
    selected = byId.get(options.run) ?? runs.find((r) => String(r.seq) === options.run)
    if (!selected) {
      const kept = runs.map((r) => r.id)
      throw new WfError('WF_USAGE', `no run \`${options.run}\` in .wf/runs/`, {
        hint: kept.length
          ? `kept runs: ${kept.slice(-5).join(', ')}${kept.length > 5 ? ' …' : ''} (see \`wf status\`)`
          : 'no run records are kept; run `wf run` first',
      })
    }
  }
  const latest = selected ?? runs.at(-1)
  const dead = deadActiveRun(ledger)
  const rel = (file: string) =>
    (file === plan.root || file.startsWith(plan.root + sep)
      ? file.slice(plan.root.length).replace(/^[\\/]+/, '')
      : file
    )
      .split('\\')
      .join('/')

  const phases: ReportPhase[] = plan.phases.map((phase) => {
    const record = selected ? selected.phases.find((p) => p.id === phase.id) : ledger.phases[phase.id]
    let source: ReportPhase['source']
    try {
      source = phase.source
        ? { file: rel(phase.source.file), line: phase.source.line, col: phase.source.col }
        : undefined
    } catch {
      source = undefined
    }
    const base = {
      id: phase.id,
      name: phase.name,
      ...(phase.description ? { description: phase.description } : {}),
      needs: [...phase.needs],
      ...(source ? { source } : {}),
    }
    const plannedTasks = (): ReportTask[] =>
      phase.tasks.map((t) => ({ name: taskName(t), kind: taskKind(t), status: 'not-run' as const }))
    const plannedGates = (): ReportGate[] =>
      phase.gates.map((g) => ({
        name: gateName(g),
        kind: gateKind(g),
        status: 'not-run' as const,
        message: 'not evaluated',
        locations: [],
      }))
    if (!record)
      return { ...base, status: selected ? 'not-in-run' : 'never-run', tasks: plannedTasks(), gates: plannedGates() }
    const interrupted = !selected && dead && record.status === 'running' && record.runId === dead.runId
    // An up-to-date phase did no work: show what it last passed with.
    let results: PhaseRecord = record
    if (record.status === 'up-to-date') {
      const passedRun = ledger.passed[phase.id]?.runId
      const earlier = passedRun ? byId.get(passedRun)?.phases.find((p) => p.id === phase.id) : undefined
      if (earlier) results = earlier
    }
    // Phases that did no work (blocked, skipped, cancelled…) list what they would have run, as not run.
    const didWork = results.status === 'passed' || results.status === 'failed' || results.status === 'awaiting-approval'
    const tasks = results.tasks?.length
      ? results.tasks.map(reportTask)
      : didWork || results.gatesOnly
        ? []
        : plannedTasks()
    const gates = results.gates?.length ? results.gates.map(reportGate) : didWork ? [] : plannedGates()
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
      tasks,
      gates,
    }
  })

  const count = (values: string[]) => {
    const counts: Record<string, number> = {}
    for (const v of values) counts[v] = (counts[v] ?? 0) + 1
    return counts
  }
  const statuses = phases.map((p) => p.status)
  const status: ReportData['status'] = selected
    ? selected.status === 'passed'
      ? 'passed'
      : selected.status === 'failed'
        ? 'failed'
        : 'incomplete'
    : statuses.some((s) => FAILING.has(s))
      ? 'failed'
      : statuses.every((s) => FINE.has(s))
        ? 'passed'
        : 'incomplete'

  const today = Date.parse(now.toISOString().slice(0, 10))
  const waivers: ReportWaiver[] = plan.phases.flatMap((phase) =>
    phase.gates
      .filter((g) => g.waive)
      .map((gate) => {
        const name = gateName(gate)
        const daysLeft = Math.round((Date.parse(gate.waive!.until) - today) / DAY)
        const recorded = phases.find((p) => p.id === phase.id)?.gates.find((g) => g.name === name)
        return {
          phase: phase.id,
          gate: name,
          reason: gate.waive!.reason,
          owner: gate.waive!.owner,
          until: gate.waive!.until,
          daysLeft,
          expired: daysLeft < 0,
          ...(recorded && recorded.status !== 'not-run' ? { gateStatus: recorded.status } : {}),
        }
      }),
  )

  const head = runs.at(-1)
  return {
    format: REPORT_FORMAT,
    generatedAt: now.toISOString(),
    wf: WF_VERSION,
    repository: {
      name: basename(plan.root),
      commit: latest?.git.commit ?? head?.git.commit ?? null,
      branch: latest?.git.branch ?? head?.git.branch ?? null,
    },
    status,
    scope: { run: selected?.id ?? null },
    totals: {
      phases: count(statuses),
      tasks: count(phases.flatMap((p) => p.tasks.map((t) => (t.allowedFailure ? 'warned' : t.status)))),
      gates: count(phases.flatMap((p) => p.gates.map((g) => g.status))),
    },
    phases,
    run: latest ? { ...reportRun(latest), timeline: timeline(latest) } : null,
    waivers,
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
    history: [...runs].reverse().slice(0, HISTORY_SHOWN).map(reportRun),
  }
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
  const counts: Record<string, number> = {}
  for (const phase of run.phases) counts[phase.status] = (counts[phase.status] ?? 0) + 1
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
