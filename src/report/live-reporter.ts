import { createLogUpdate } from 'log-update'
import type { EngineEvent, EventHandler } from '../engine/events.js'
import { formatDuration } from '../lib/units.js'
import type { PhaseRecord } from '../ledger/ledger.js'
import { formatLocations, summarize } from './run-reporter.js'
import type { Style } from './style.js'

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
const ICONS: Record<string, string> = {
  'awaiting-approval': '⏸',
  passed: '✔',
  failed: '✖',
  'up-to-date': '≡',
  skipped: '↷',
  blocked: '⊘',
  cancelled: '■',
}

interface Row {
  id: string
  state: 'waiting' | 'running' | PhaseRecord['status']
  detail: string
  last?: string
  started?: number
}

/** A live task list for terminals: one line per phase, redrawn in place, with the running task and its latest output line. */
export function createLiveReporter(stream: NodeJS.WriteStream, style: Style): EventHandler {
  const update = createLogUpdate(stream, { showCursor: false })
  const rows = new Map<string, Row>()
  const failures: string[] = []
  let frame = 0
  let timer: NodeJS.Timeout | undefined
  const render = () => update(renderRows(rows.values(), frame, style, stream.columns ?? 100))

  return (event: EngineEvent) => {
    switch (event.type) {
      case 'run-start':
        for (const phase of event.phases)
          rows.set(phase.id, {
            id: phase.id,
            state: 'waiting',
            detail: phase.needs.length ? `after ${phase.needs.join(', ')}` : 'waiting',
          })
        timer = setInterval(() => {
          frame += 1
          render()
        }, 80)
        timer.unref()
        break
      case 'plan-step':
        update.clear()
        stream.write(
          `${event.decision === 'run' ? style.cyan('would run') : event.decision.replace(/-/g, ' ')} ${style.bold(event.phase.id)}: ${event.reason}\n${event.steps.map((s) => `    ${s}\n`).join('')}`,
        )
        break
      case 'phase-start':
        Object.assign(rows.get(event.phase.id) ?? {}, {
          state: 'running',
          detail: event.reason,
          started: performance.now(),
        })
        break
      case 'task-start':
        Object.assign(rows.get(event.phase) ?? {}, { detail: event.name, last: undefined })
        break
      case 'task-output':
        if (rows.has(event.phase)) rows.get(event.phase)!.last = event.line
        break
      case 'task-end':
        if (event.task.status === 'failed') failures.push(taskFailure(event, style))
        break
      case 'gate-end':
        if (event.gate.status === 'failed' || event.gate.status === 'warned') failures.push(gateFailure(event, style))
        break
      case 'phase-end':
        rows.set(event.record.id, finishedRow(event.record))
        break
      case 'run-end':
        clearInterval(timer)
        render()
        update.done()
        if (failures.length) stream.write(`\n${failures.join('\n')}\n`)
        stream.write(
          `\n${event.status === 'passed' ? style.green('✔') : style.red('✖')} ${style.bold(`${event.gatesOnly ? 'check' : 'run'} ${event.status}`)}: ${summarize(event.records)}\n`,
        )
        return
    }
    render()
  }
}

type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>

/** One line per phase (a spinner and the elapsed time while it runs), and the running phase's latest output line. */
function renderRows(rows: Iterable<Row>, frame: number, style: Style, columns: number): string {
  const lines: string[] = []
  for (const row of rows) {
    const icon =
      row.state === 'running'
        ? style.cyan(FRAMES[frame % FRAMES.length]!)
        : row.state === 'waiting'
          ? style.dim('◌')
          : (row.state === 'passed' || row.state === 'up-to-date'
              ? style.green
              : row.state === 'skipped'
                ? style.yellow
                : style.red)(ICONS[row.state] ?? '•')
    const elapsed =
      row.state === 'running' && row.started ? style.dim(` ${formatDuration(performance.now() - row.started)}`) : ''
    lines.push(`${icon} ${style.bold(row.id)} ${style.dim(row.detail)}${elapsed}`)
    if (row.state === 'running' && row.last) lines.push(`    ${style.dim(`│ ${row.last.slice(0, columns - 8)}`)}`)
  }
  return lines.join('\n')
}

function finishedRow(r: PhaseRecord): Row {
  const detail =
    r.status === 'passed' ? (r.durationMs !== undefined ? formatDuration(r.durationMs) : '') : (r.reason ?? r.status)
  return {
    id: r.id,
    state: r.status,
    detail: `${r.status === 'passed' ? '' : `${r.status.replace(/-/g, ' ')}: `}${detail}`,
  }
}

/** A failed task with the tail of its output, printed after the list. */
function taskFailure(event: EventOf<'task-end'>, style: Style): string {
  const output = event.task.output
    ? `\n${event.task.output
        .split('\n')
        .slice(-15)
        .map((l) => `    ${style.dim('│')} ${l}`)
        .join('\n')}`
    : ''
  return `${style.red('✖')} ${style.bold(event.phase)} ${event.task.name}: ${event.task.message ?? 'failed'}${output}`
}

/** A failed or warned gate with its locations and hint, printed after the list. */
function gateFailure(event: EventOf<'gate-end'>, style: Style): string {
  return [
    `${event.gate.status === 'failed' ? style.red('✖') : style.yellow('!')} ${style.bold(event.phase)} gate ${event.gate.name}: ${event.gate.message}`,
    ...formatLocations(event.gate.locations).map((l) => `    ${l}`),
    ...(event.gate.hint ? [`    ${style.cyan('hint')}: ${event.gate.hint}`] : []),
  ].join('\n')
}
