import type { StatusReport } from './status-report.js'
import { formatDuration } from '../lib/units.js'
import { locationText } from './location.js'
import { createStyle, type Style } from './style.js'
import { renderTable } from './table.js'

const ago = (iso: string | undefined, now: number) => {
  if (!iso) return '-'
  const s = Math.round((now - Date.parse(iso)) / 1000)
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.round(s / 60)}m ago`
  if (s < 86400) return `${Math.round(s / 3600)}h ago`
  return `${Math.round(s / 86400)}d ago`
}

/** Renders `wf status` (and `--detailed`) for a terminal. */
export function formatStatus(
  report: StatusReport,
  detailed: boolean,
  style: Style = createStyle(process.stdout),
  now = Date.now(),
): string {
  const lines: string[] = []
  if (report.active) {
    lines.push(
      report.active.state === 'running'
        ? style.cyan(
            `run ${report.active.runId} is running (pid ${report.active.pid}, since ${report.active.startedAt})`,
          )
        : style.yellow(
            `run ${report.active.runId} was interrupted (pid ${report.active.pid} is gone); the next run records it`,
          ),
      '',
    )
  }
  lines.push(
    renderTable(
      ['PHASE', 'STATUS', 'WHEN', 'DURATION', 'COMMIT'],
      report.phases.map((p) => [
        p.id,
        p.status,
        ago(p.endedAt, now),
        p.durationMs === undefined ? '-' : formatDuration(p.durationMs),
        p.commit ? p.commit.slice(0, 8) : '-',
      ]),
    ),
  )
  if (detailed) {
    for (const p of report.phases) {
      lines.push(
        '',
        `${style.bold(p.id)} ${style.dim(`(${p.name})`)}: ${p.status}${p.reason && p.status !== 'passed' ? ` — ${p.reason}` : ''}`,
      )
      for (const t of p.record?.tasks ?? [])
        lines.push(`  task ${t.status.padEnd(9)} ${t.name}${t.message ? `: ${t.message}` : ''}`)
      for (const g of p.record?.gates ?? []) {
        lines.push(`  gate ${g.status.padEnd(9)} ${g.name}: ${g.message.split('\n')[0]}`)
        for (const l of g.locations ?? []) lines.push(`       ${locationText(l)}${l.message ? ` ${l.message}` : ''}`)
      }
      if (p.freshness) {
        if (p.freshness.upToDate) lines.push(`  ${style.green('up to date')}`)
        else lines.push(`  ${style.yellow('would run')}: ${p.freshness.changes.join('; ')}`)
      }
    }
  }
  if (report.waivers.length > 0) {
    lines.push('', style.bold('Waivers'))
    lines.push(
      renderTable(
        ['PHASE', 'GATE', 'OWNER', 'UNTIL', 'DAYS LEFT', 'REASON'],
        report.waivers.map((w) => [
          w.phase,
          w.gate,
          w.owner,
          w.until,
          w.daysLeft < 0 ? `expired ${-w.daysLeft}d ago` : String(w.daysLeft),
          w.reason,
        ]),
      ),
    )
  }
  if (report.approvals.length > 0) {
    lines.push('', style.bold('Approvals'))
    lines.push(
      renderTable(
        ['PHASE', 'STATE', 'BY', 'AT', 'NOTE'],
        report.approvals.map((a) => [
          a.phase,
          a.state === 'pending' ? `pending: wf approve ${a.phase}` : 'approved',
          a.by ?? '-',
          a.at ?? '-',
          a.note ?? '',
        ]),
      ),
    )
  }
  return lines.join('\n')
}
