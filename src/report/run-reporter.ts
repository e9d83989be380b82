import type { EngineEvent, EventHandler } from '../engine/events.js'
import { formatDuration } from '../lib/units.js'
import type { GateRecord, PhaseRecord } from '../ledger/ledger.js'
import { createAnnotator, escapeData, logText, type Annotator } from './github-commands.js'
import { locationText } from './location.js'
import { createStyle, type Style } from './style.js'
import { countStatuses } from '../ledger/statuses.js'

export type ReporterKind = 'plain' | 'github'

const ICONS: Record<string, string> = {
  passed: '✔',
  failed: '✖',
  'up-to-date': '≡',
  'awaiting-approval': '⏸',
  skipped: '↷',
  blocked: '⊘',
  cancelled: '■',
  interrupted: '■',
  waived: '~',
  warned: '!',
}

/** Up to ten `file:line:col message` lines for a gate's locations, then how many more. */
export function formatLocations(locations: GateRecord['locations'], most = 10): string[] {
  const all = locations ?? []
  const lines = all.slice(0, most).map((l) => `${locationText(l)}${l.message ? `  ${l.message}` : ''}`)
  if (all.length > most) lines.push(`… and ${all.length - most} more`)
  return lines
}

/** Counts of phase statuses, e.g. `3 passed, 1 up to date`. */
export function summarize(records: PhaseRecord[]): string {
  const counts = Object.entries(countStatuses(records))
  return counts.map(([status, n]) => `${n} ${status.replace(/-/g, ' ')}`).join(', ') || 'nothing to run'
}

/**
 * Renders engine events as lines: timestamped when piped; under GitHub Actions, one
 * `::group::` per phase (printed whole when the phase ends, since phases run concurrently)
 * with `::error` / `::warning` annotations for failed tasks and gates, one per file location,
 * up to the annotator's limit per kind (the rest are held for the job summary).
 */
export function createRunReporter(
  kind: ReporterKind,
  write: (text: string) => void,
  style: Style = createStyle(process.stdout),
  annotator: Annotator = createAnnotator(),
): EventHandler {
  const buffers = new Map<string, string[]>()
  const printer: Printer = {
    kind,
    write,
    style,
    annotator,
    buffers,
    planned: new Map(),
    time: () => (kind === 'plain' ? `${style.dim(new Date().toISOString().slice(11, 19))} ` : ''),
    out: (phase, line, command = false) => {
      const text = kind === 'github' && !command ? logText(line) : line
      if (kind === 'github' && phase && buffers.has(phase)) {
        buffers.get(phase)!.push(text)
        return
      }
      // Phases running at once take turns: a line of another phase than the one printing names its phase again.
      if (phase && printer.current !== undefined && phase !== printer.current)
        write(`${printer.time()}${style.cyan('▶')} ${style.bold(phase)} ${style.dim('(continued)')}\n`)
      if (phase) printer.current = phase
      write(`${text}\n`)
    },
    colour: (status) =>
      status === 'passed' || status === 'up-to-date'
        ? style.green
        : status === 'failed' || status === 'blocked'
          ? style.red
          : style.yellow,
  }
  const { time, out } = printer
  return (event: EngineEvent) => {
    switch (event.type) {
      case 'run-start':
        out(
          undefined,
          `${time()}${style.bold('wf')} ${event.phases.length} ${event.phases.length === 1 ? 'phase' : 'phases'}: ${event.phases.map((p) => p.id).join(', ')}`,
        )
        break
      case 'plan-step':
        return printPlanStep(printer, event)
      case 'phase-start':
        if (kind === 'github') buffers.set(event.phase.id, [])
        printer.current = event.phase.id
        out(
          event.phase.id,
          `${time()}${style.cyan('▶')} ${style.bold(event.phase.id)}${event.phase.name !== event.phase.id ? ` (${event.phase.name})` : ''}: ${event.reason}`,
        )
        break
      case 'task-start':
        out(event.phase, `${time()}  ${style.dim('$')} ${event.name}`)
        break
      case 'task-output':
        out(event.phase, `${time()}  ${style.dim(`${event.phase} │`)} ${event.line}`)
        break
      case 'task-retry':
        out(
          event.phase,
          `${time()}  ${style.yellow('↻')} ${event.message}; retrying in ${formatDuration(event.delayMs)} (attempt ${event.attempt + 1})`,
        )
        break
      case 'task-end':
        return printTaskEnd(printer, event)
      case 'gate-end':
        return printGateEnd(printer, event)
      case 'phase-end':
        return printPhaseEnd(printer, event)
      case 'run-end':
        return printRunEnd(printer, event)
    }
  }
}

type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>

/** What the run reporter prints with, and what it keeps between events. */
interface Printer {
  kind: ReporterKind
  write: (text: string) => void
  style: Style
  annotator: Annotator
  /** Under GitHub Actions, the lines of each running phase, printed as one group when it ends. */
  buffers: Map<string, string[]>
  /** In a dry run, how many phases would do what. */
  planned: Map<string, number>
  time: () => string
  /** The phase whose lines are being printed (not under GitHub, where each phase prints as one group). */
  current?: string
  /** Prints a line (in its phase's group under GitHub); `command`: a workflow command wf built, printed as is. */
  out: (phase: string | undefined, line: string, command?: boolean) => void
  colour: (status: string) => (text: string) => string
}

function printPlanStep({ style, planned, out }: Printer, event: EventOf<'plan-step'>): void {
  const key = event.decision === 'run' ? 'would run' : event.decision.replace(/-/g, ' ')
  planned.set(key, (planned.get(key) ?? 0) + 1)
  const label =
    event.decision === 'run'
      ? style.cyan('would run')
      : event.decision === 'up-to-date'
        ? style.green('up to date')
        : event.decision === 'not-evaluated'
          ? style.yellow('not evaluated')
          : style.yellow(`would be ${event.decision}`)
  out(undefined, `${label} ${style.bold(event.phase.id)}: ${event.reason}`)
  for (const step of event.steps) out(undefined, `    ${step}`)
}

function printTaskEnd({ kind, style, annotator, time, out, colour }: Printer, event: EventOf<'task-end'>): void {
  const t = event.task
  const status = t.allowedFailure ? 'warned' : t.status
  out(
    event.phase,
    `${time()}  ${colour(status)(ICONS[status] ?? '•')} ${t.name} ${style.dim(`(${formatDuration(t.durationMs ?? 0)})`)}${t.message ? `: ${t.message}` : ''}`,
  )
  if (kind !== 'github' || t.status !== 'failed') return
  const line = annotator.annotate(
    t.allowedFailure ? 'warning' : 'error',
    `${t.message ?? 'failed'}${t.output ? `\n${t.output.split('\n').slice(-10).join('\n')}` : ''}`,
    { title: `${event.phase}: ${t.name}` },
  )
  if (line) out(event.phase, line, true)
}

function printGateEnd({ kind, style, annotator, time, out, colour }: Printer, event: EventOf<'gate-end'>): void {
  const g = event.gate
  out(event.phase, `${time()}  ${colour(g.status)(ICONS[g.status] ?? '•')} gate ${g.name}: ${g.message}`)
  if (g.status !== 'passed') for (const line of formatLocations(g.locations)) out(event.phase, `${time()}      ${line}`)
  if (g.hint) out(event.phase, `${time()}      ${style.cyan('hint')}: ${g.hint}`)
  if (kind !== 'github' || (g.status !== 'failed' && g.status !== 'warned')) return
  const level = g.status === 'failed' ? 'error' : 'warning'
  const title = `${event.phase}: ${g.name}`
  const withHint = (message: string) => (g.hint ? `${message}\n${g.hint}` : message)
  const locations = g.locations?.length ? g.locations : [undefined]
  for (const at of locations) {
    const line = annotator.annotate(level, withHint(at?.message ?? g.message), {
      title,
      file: at?.file,
      line: at?.line,
      col: at?.line ? at.col : undefined,
    })
    if (line) out(event.phase, line, true)
  }
}

function printPhaseEnd({ kind, write, style, buffers, time, colour }: Printer, event: EventOf<'phase-end'>): void {
  const r = event.record
  const detail = r.status === 'passed' ? '' : r.reason ? `: ${r.reason}` : ''
  const line = `${time()}${colour(r.status)(ICONS[r.status] ?? '•')} ${style.bold(r.id)} ${r.status.replace(/-/g, ' ')}${r.durationMs ? ` ${style.dim(`(${formatDuration(r.durationMs)})`)}` : ''}${detail}`
  const lines = buffers.get(r.id)
  if (kind === 'github' && lines) {
    buffers.delete(r.id)
    write(`::group::${escapeData(`${r.id}: ${r.status}`)}\n${lines.join('\n')}\n${logText(line)}\n::endgroup::\n`)
  } else write(`${kind === 'github' ? logText(line) : line}\n`)
}

function printRunEnd(
  { kind, write, style, annotator, planned, time, colour }: Printer,
  event: EventOf<'run-end'>,
): void {
  if (planned.size > 0) {
    write(
      `${time()}${style.bold('dry run')}: ${[...planned].map(([k, n]) => `${n} ${k}`).join(', ')}; nothing was changed\n`,
    )
    return
  }
  write(
    `${time()}${colour(event.status)(ICONS[event.status] ?? '•')} ${style.bold(`${event.gatesOnly ? 'check' : 'run'} ${event.status}`)}: ${summarize(event.records)}\n`,
  )
  if (kind !== 'github') return
  for (const r of event.records.filter((r) => r.status === 'failed')) {
    const line = annotator.annotate('error', r.reason ?? 'failed', { title: `wf phase ${r.id} failed` })
    if (line) write(`${line}\n`)
  }
}
