import type { ReportData, ReportPhase } from './report-data.js'

const DAY = 86_400_000

type Labels = Record<string, string>

interface Family {
  name: string
  help: string
  unit?: string
  samples: { labels: Labels; value: number }[]
}

/** Escapes a label value for the OpenMetrics and Prometheus text formats; drops what is not UTF-8. */
export function labelValue(text: string): string {
  return text
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(3))
const timestamp = (iso: string | undefined) => {
  const ms = iso === undefined ? Number.NaN : Date.parse(iso)
  return Number.isFinite(ms) ? seconds(ms) : undefined
}

/** When a waiver stops covering its gate: a date means through that whole day (UTC), as `wf status` counts it. */
function waiverExpiry(until: string): number | undefined {
  const ms = Date.parse(until)
  if (!Number.isFinite(ms)) return undefined
  return seconds(/^\d{4}-\d{2}-\d{2}$/.test(until) ? ms + DAY : ms)
}

/** Distinct label sets for gates that share a name within a phase (a family may not repeat one). */
function gateLabels(phase: ReportPhase): Labels[] {
  const seen = new Map<string, number>()
  return phase.gates.map((gate) => {
    const n = (seen.get(gate.name) ?? 0) + 1
    seen.set(gate.name, n)
    return { phase: phase.id, gate: n === 1 ? gate.name : `${gate.name} #${n}`, kind: gate.kind }
  })
}

const family = (name: string, help: string, samples: Family['samples'], unit?: string): Family => ({
  name,
  help,
  samples,
  ...(unit ? { unit } : {}),
})

function phaseFamilies(data: ReportData): Family[] {
  const phases = data.phases
  const ran = phases.map((p) => ({ p, gates: gateLabels(p) }))
  return [
    family('wf_report_info', 'The wf version and the repository the report describes.', [
      {
        labels: {
          version: data.wf,
          repository: data.repository.name,
          branch: data.repository.branch ?? '',
          commit: data.repository.commit ?? '',
        },
        value: 1,
      },
    ]),
    family(
      'wf_status',
      'Overall result of the reported phases (1 for the current status): passed, failed or incomplete.',
      [{ labels: { status: data.status }, value: 1 }],
    ),
    family(
      'wf_phase_status',
      'Latest status of each phase (1 for its current status): passed, up-to-date, failed, blocked, skipped, never-run, ...',
      phases.map((p) => ({ labels: { phase: p.id, status: p.status }, value: 1 })),
    ),
    family(
      'wf_phase_duration_seconds',
      'How long the phase took in its latest recorded result.',
      phases.flatMap((p) =>
        p.durationMs === undefined ? [] : [{ labels: { phase: p.id }, value: seconds(p.durationMs) }],
      ),
      'seconds',
    ),
    family(
      'wf_phase_end_timestamp_seconds',
      'When the phase last ended (Unix time).',
      phases.flatMap((p) => {
        const at = timestamp(p.endedAt)
        return at === undefined ? [] : [{ labels: { phase: p.id }, value: at }]
      }),
      'seconds',
    ),
    family(
      'wf_phase_gates_failed',
      'How many gates of the phase failed in its latest result.',
      phases.map((p) => ({ labels: { phase: p.id }, value: p.gates.filter((g) => g.status === 'failed').length })),
    ),
    family(
      'wf_gate_failed',
      'Whether the gate failed in the latest result of its phase (1) or not (0); gates that were not evaluated are left out.',
      ran.flatMap(({ p, gates }) =>
        p.gates.flatMap((g, i) =>
          g.status === 'not-run' ? [] : [{ labels: gates[i] as Labels, value: g.status === 'failed' ? 1 : 0 }],
        ),
      ),
    ),
    family(
      'wf_waiver_expiry_timestamp_seconds',
      'When the waiver of a gate expires (Unix time); an expired waiver fails its gate.',
      data.waivers.flatMap((w) => {
        const at = waiverExpiry(w.until)
        return at === undefined ? [] : [{ labels: { phase: w.phase, gate: w.gate, owner: w.owner }, value: at }]
      }),
      'seconds',
    ),
  ]
}

function runFamilies(data: ReportData): Family[] {
  const run = data.run
  return [
    family(
      'wf_run_start_timestamp_seconds',
      'When the latest run started (Unix time).',
      run && timestamp(run.startedAt) !== undefined
        ? [{ labels: { command: run.command }, value: timestamp(run.startedAt) as number }]
        : [],
      'seconds',
    ),
    family(
      'wf_run_duration_seconds',
      'How long the latest run took.',
      run?.durationMs !== undefined ? [{ labels: { command: run.command }, value: seconds(run.durationMs) }] : [],
      'seconds',
    ),
    family('wf_run_sequence', 'The sequence number of the latest run (it grows by one with each run).', [
      ...(run ? [{ labels: {}, value: run.seq }] : []),
    ]),
  ]
}

function sampleLine(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${labelValue(v)}"`)
  return `${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${value}`
}

/** The report as OpenMetrics text (also valid Prometheus text for node_exporter's textfile collector), ending in `# EOF`. */
export function renderOpenMetrics(data: ReportData): string {
  const lines: string[] = []
  for (const f of [...phaseFamilies(data), ...runFamilies(data)]) {
    lines.push(`# TYPE ${f.name} gauge`)
    if (f.unit) lines.push(`# UNIT ${f.name} ${f.unit}`)
    lines.push(`# HELP ${f.name} ${f.help}`)
    for (const s of f.samples) lines.push(sampleLine(f.name, s.labels, s.value))
  }
  lines.push('# EOF')
  return `${lines.join('\n')}\n`
}
