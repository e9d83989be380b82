import type { GateRecord, TaskRecord } from '../ledger/ledger.js'
import type { ApprovalRow, PhaseStatusRow, StatusReport, WaiverRow } from './status-report.js'
import { formatDuration } from '../lib/units.js'
import { ago, checkText } from './check-text.js'
import { locationText } from './location.js'
import { createStyle, type Style } from './style.js'
import { renderTable } from './table.js'

/** Renders `wf status` (and `--detailed`) for a terminal. */
export function formatStatus(
  report: StatusReport,
  detailed: boolean,
  style: Style = createStyle(process.stdout),
  now = Date.now(),
): string {
  const lines: string[] = []
  if (report.ledgerProblem)
    lines.push(style.yellow(`the ledger does not verify: ${report.ledgerProblem} (see \`wf ledger verify\`)`), '')
  if (report.active) lines.push(activeRunLine(report.active, style), '')
  if (report.environment) lines.push(style.bold(`environment: ${report.environment}`), '')
  lines.push(phaseTable(report.phases, now))
  if (detailed) for (const phase of report.phases) lines.push('', ...phaseDetails(phase, style, now))
  if (report.waivers.length > 0) lines.push('', style.bold('Waivers'), waiverTable(report.waivers))
  if (report.approvals.length > 0) lines.push('', style.bold('Approvals'), approvalTable(report.approvals))
  return lines.join('\n')
}

function activeRunLine(active: NonNullable<StatusReport['active']>, style: Style): string {
  return active.state === 'running'
    ? style.cyan(`run ${active.runId} is running (pid ${active.pid}, since ${active.startedAt})`)
    : style.yellow(`run ${active.runId} was interrupted (pid ${active.pid} is gone); the next run records it`)
}

/** The phases' latest full-run results; a LAST CHECK column beside them once any phase was checked. */
function phaseTable(phases: PhaseStatusRow[], now: number): string {
  const checked = phases.some((p) => p.check)
  return renderTable(
    ['PHASE', 'STATUS', 'WHEN', 'DURATION', 'COMMIT', ...(checked ? ['LAST CHECK'] : [])],
    phases.map((p) => [
      p.id,
      p.status,
      ago(p.endedAt, now),
      p.durationMs === undefined ? '-' : formatDuration(p.durationMs),
      p.commit ? p.commit.slice(0, 8) : '-',
      ...(checked ? [p.check ? checkText(p.check, now, gateCount(p.check.gates)) : '-'] : []),
    ]),
  )
}

/** A phase's status and reason, its recorded tasks and gates with their locations, its last check, and whether it would run now. */
function phaseDetails(p: PhaseStatusRow, style: Style, now: number): string[] {
  const lines = [
    `${style.bold(p.id)} ${style.dim(`(${p.name})`)}: ${p.status}${p.reason && p.status !== 'passed' ? ` — ${p.reason}` : ''}`,
  ]
  lines.push(...resultLines(p.record ?? {}))
  if (p.passedRun) {
    const { runId, endedAt, durationMs } = p.passedRun
    const took = durationMs === undefined ? '' : `, took ${formatDuration(durationMs)}`
    lines.push(`  passed in run ${runId}${endedAt ? ` at ${endedAt} (${ago(endedAt, now)})` : ''}${took}:`)
    lines.push(...resultLines(p.passedRun, '  '))
  } else if (p.passedRun === null) lines.push('  the run it passed in is no longer kept in .wf/runs/')
  if (p.check) {
    lines.push(`  last check: ${checkText(p.check, now, gateCount(p.check.gates))}, run ${p.check.runId}`)
    for (const g of p.checkRecord?.gates ?? []) {
      if (g.status === 'passed') continue
      lines.push(`    gate ${g.status.padEnd(9)} ${g.name}: ${g.message.split('\n')[0]}`)
      for (const l of g.locations ?? []) lines.push(`         ${locationText(l)}${l.message ? ` ${l.message}` : ''}`)
    }
  }
  if (p.freshness?.upToDate) lines.push(`  ${style.green('up to date')}`)
  else if (p.freshness) lines.push(`  ${style.yellow('would run')}: ${p.freshness.changes.join('; ')}`)
  return lines
}

/** A phase result's task and gate lines, with the gates' locations. */
function resultLines(result: { tasks?: TaskRecord[]; gates?: GateRecord[] }, indent = ''): string[] {
  const lines: string[] = []
  for (const t of result.tasks ?? [])
    lines.push(`${indent}  task ${t.status.padEnd(9)} ${t.name}${t.message ? `: ${t.message}` : ''}`)
  for (const g of result.gates ?? []) {
    lines.push(`${indent}  gate ${g.status.padEnd(9)} ${g.name}: ${g.message.split('\n')[0]}`)
    for (const l of g.locations ?? [])
      lines.push(`${indent}       ${locationText(l)}${l.message ? ` ${l.message}` : ''}`)
  }
  return lines
}

function waiverTable(waivers: WaiverRow[]): string {
  return renderTable(
    ['PHASE', 'GATE', 'OWNER', 'UNTIL', 'DAYS LEFT', 'REASON'],
    waivers.map((w) => [
      w.phase,
      w.gate,
      w.owner,
      w.until,
      w.daysLeft < 0 ? `expired ${-w.daysLeft}d ago` : String(w.daysLeft),
      w.reason,
    ]),
  )
}

function approvalTable(approvals: ApprovalRow[]): string {
  return renderTable(
    ['PHASE', 'STATE', 'BY', 'AT', 'NOTE'],
    approvals.map((a) => [
      a.phase,
      a.state === 'pending' ? `pending: ${a.command ?? `wf approve ${a.phase}`}` : 'approved',
      a.by ?? '-',
      a.at ?? '-',
      a.note ?? '',
    ]),
  )
}

const gateCount = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)
