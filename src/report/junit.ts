import { scopeText } from './check-text.js'
import { locationText } from './location.js'
import type { ReportData, ReportGate, ReportPhase, ReportTask } from './report-data.js'

/** Escapes text for XML content and attribute values; drops characters XML 1.0 cannot hold. */
export function xmlEscape(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(
        /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
        '',
      )
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      .replace(/\r/g, '&#13;')
      .replace(/\n/g, '&#10;')
      .replace(/\t/g, '&#9;')
  )
}

/** Element text: like attributes, but line breaks and tabs stay as they are. */
const xmlText = (text: string) => xmlEscape(text).replace(/&#10;/g, '\n').replace(/&#9;/g, '\t').replace(/&#13;/g, '')

const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3)
const attrs = (values: Record<string, string | number | undefined>) =>
  Object.entries(values)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('')

interface Case {
  name: string
  classname: string
  time: string
  file?: string
  line?: number
  body: string
  outcome: 'passed' | 'failure' | 'error' | 'skipped'
}

function taskCase(phase: ReportPhase, task: ReportTask): Case {
  const base = { name: `task: ${task.name}`, classname: `wf.${phase.id}.tasks`, time: seconds(task.durationMs) }
  const message = task.message ?? task.status
  if (task.status === 'failed' && !task.allowedFailure) {
    return {
      ...base,
      outcome: 'failure',
      body: `<failure${attrs({ message, type: task.kind })}>${xmlText([message, task.output ?? ''].filter(Boolean).join('\n\n'))}</failure>`,
    }
  }
  if (task.status === 'cancelled')
    return { ...base, outcome: 'error', body: `<error${attrs({ message, type: 'cancelled' })}/>` }
  if (task.status === 'skipped' || task.status === 'not-run')
    return {
      ...base,
      outcome: 'skipped',
      body: `<skipped${attrs({ message: task.status === 'not-run' ? notRunMessage(phase) : message })}/>`,
    }
  const out = task.allowedFailure ? `failed, allowed by continue_on_error: ${message}` : task.output
  return { ...base, outcome: 'passed', body: out ? `<system-out>${xmlText(out)}</system-out>` : '' }
}

function gateCase(phase: ReportPhase, gate: ReportGate): Case {
  const at = gate.locations[0]
  const base = {
    name: `gate: ${gate.name}`,
    classname: `wf.${phase.id}.gates`,
    time: seconds(gate.durationMs),
    file: at?.file,
    line: at?.line,
  }
  const details = [
    gate.message,
    ...gate.locations.map((l) => `${locationText(l)}${l.message ? `  ${l.message}` : ''}`),
    gate.hint ? `hint: ${gate.hint}` : '',
  ]
    .filter(Boolean)
    .join('\n')
  switch (gate.status) {
    case 'failed':
      return {
        ...base,
        outcome: 'failure',
        body: `<failure${attrs({ message: gate.message.split('\n')[0], type: gate.kind })}>${xmlText(details)}</failure>`,
      }
    case 'waived':
      return {
        ...base,
        outcome: 'skipped',
        body:
          `<skipped${attrs({ message: `waived${gate.waiver ? ` until ${gate.waiver.until} by ${gate.waiver.owner}: ${gate.waiver.reason}` : ''}` })}/>` +
          `<system-out>${xmlText(details)}</system-out>`,
      }
    case 'awaiting-approval':
      return {
        ...base,
        outcome: 'skipped',
        body: `<skipped${attrs({ message: `awaiting approval: wf approve ${phase.id}` })}/>`,
      }
    case 'not-run':
      return { ...base, outcome: 'skipped', body: `<skipped${attrs({ message: notRunMessage(phase) })}/>` }
    case 'warned':
      return { ...base, outcome: 'passed', body: `<system-out>${xmlText(`warning: ${details}`)}</system-out>` }
    default:
      return { ...base, outcome: 'passed', body: gate.message ? `<system-out>${xmlText(details)}</system-out>` : '' }
  }
}

function notRunMessage(phase: ReportPhase): string {
  return `phase ${phase.status.replace(/-/g, ' ')}${phase.reason ? `: ${phase.reason}` : ''}`
}

/** JUnit XML: one `<testsuite>` per phase, one `<testcase>` per task and gate. */
export function renderJunit(data: ReportData): string {
  const suites = data.phases.map((phase) => {
    const cases = [...phase.tasks.map((t) => taskCase(phase, t)), ...phase.gates.map((g) => gateCase(phase, g))]
    const count = (o: Case['outcome']) => cases.filter((c) => c.outcome === o).length
    // A phase that failed with nothing to show for it (interrupted, blocked before any task) still fails its suite.
    if (cases.length === 0) {
      const failedPhase =
        phase.status === 'failed' ||
        phase.status === 'blocked' ||
        phase.status === 'interrupted' ||
        phase.status === 'cancelled'
      cases.push({
        name: `phase: ${phase.id}`,
        classname: `wf.${phase.id}`,
        time: seconds(phase.durationMs),
        outcome: failedPhase
          ? 'failure'
          : phase.status === 'passed' || phase.status === 'up-to-date'
            ? 'passed'
            : 'skipped',
        body: failedPhase
          ? `<failure${attrs({ message: notRunMessage(phase), type: phase.status })}/>`
          : phase.status === 'passed' || phase.status === 'up-to-date'
            ? ''
            : `<skipped${attrs({ message: notRunMessage(phase) })}/>`,
      })
    }
    const total = cases.length
    const body = cases
      .map(
        (c) =>
          `    <testcase${attrs({ name: c.name, classname: c.classname, time: c.time, file: c.file, line: c.line })}${c.body ? `>${c.body}</testcase>` : '/>'}`,
      )
      .join('\n')
    return {
      xml: `  <testsuite${attrs({
        name: phase.id,
        tests: total,
        failures: count('failure'),
        errors: count('error'),
        skipped: count('skipped'),
        time: seconds(phase.durationMs),
        timestamp: phase.startedAt?.replace(/Z$/, ''),
      })}>\n    <properties>\n${[
        ['phase.name', phase.name],
        ['phase.status', phase.status],
        ['phase.run', phase.runId ?? ''],
        ['phase.commit', phase.commit ?? ''],
        // The last `wf check` is reported beside the phase: its test cases stay those of the full run.
        ['check.status', phase.check?.status ?? ''],
        ['check.scope', phase.check ? scopeText(phase.check.scope) : ''],
        ['check.run', phase.check?.runId ?? ''],
        ['check.ended', phase.check?.endedAt ?? ''],
      ]
        .filter(([, v]) => v)
        .map(([k, v]) => `      <property${attrs({ name: k, value: v })}/>`)
        .join('\n')}\n    </properties>\n${body}\n  </testsuite>`,
      cases,
    }
  })
  const all = suites.flatMap((s) => s.cases)
  const time = data.phases.reduce((n, p) => n + (p.durationMs ?? 0), 0)
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({
    name: `wf ${data.repository.name}`,
    tests: all.length,
    failures: all.filter((c) => c.outcome === 'failure').length,
    errors: all.filter((c) => c.outcome === 'error').length,
    skipped: all.filter((c) => c.outcome === 'skipped').length,
    time: seconds(time),
    timestamp: data.run?.startedAt.replace(/Z$/, ''),
  })}>\n${suites.map((s) => s.xml).join('\n')}\n</testsuites>\n`
}
