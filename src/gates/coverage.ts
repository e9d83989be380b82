import { WfError } from '../lib/errors.js'
import type { CoverageGate } from '../plan/plan.generated.js'
import type { GateKind, GateOutcome } from './gate-kind.js'

const METRICS = ['lines', 'branches', 'functions', 'statements'] as const
type Metric = (typeof METRICS)[number]
type Totals = Partial<Record<Metric, number>>

const PRODUCE = {
  summary:
    'produce it with `vitest run --coverage --coverage.reporter=json-summary` (or `jest --coverage --coverageReporters=json-summary`, `c8 --reporter=json-summary`, `nyc --reporter=json-summary`) in a task before this gate',
  lcov: 'produce it with `vitest run --coverage --coverage.reporter=lcov` (or `jest --coverage --coverageReporters=lcov`, `c8 --reporter=lcov`, `nyc --reporter=lcov`) in a task before this gate',
}

/** `coverage:` — the totals of an istanbul summary or an lcov report reach the thresholds. */
export const coverageGate: GateKind<CoverageGate> = {
  describe: (gate) =>
    `coverage of ${reportOf(gate).file}: ${required(gate)
      .map(([m, min]) => `${m} ≥ ${min}%`)
      .join(', ')}`,
  inputs: (gate) => [reportOf(gate).file],
  paths: (gate) => [
    {
      at: ['coverage', gate.coverage.summary !== undefined ? 'summary' : 'lcov'],
      value: reportOf(gate).file,
      mustExist: false,
      what: 'coverage report',
    },
  ],
  async check(gate, { workspace }) {
    const { kind, file } = reportOf(gate)
    let text: string
    try {
      text = await workspace.boundary.readFile(file, 'utf8')
    } catch (error) {
      if (error instanceof WfError) return failedAt(file, error.message)
      const code = (error as NodeJS.ErrnoException).code
      const what = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (error as Error).message})`
      return failedAt(file, `coverage report ${file} ${what}; ${PRODUCE[kind]}`)
    }
    const totals = kind === 'summary' ? summaryTotals(text) : lcovTotals(text)
    if (typeof totals === 'string') return failedAt(file, `coverage report ${file} ${totals}; ${PRODUCE[kind]}`)
    return compare(file, totals, required(gate))
  },
}

function reportOf(gate: CoverageGate): { kind: 'summary' | 'lcov'; file: string } {
  const spec = gate.coverage
  return spec.summary !== undefined ? { kind: 'summary', file: spec.summary } : { kind: 'lcov', file: spec.lcov! }
}

function required(gate: CoverageGate): [Metric, number][] {
  return METRICS.flatMap((m) =>
    typeof gate.coverage[m] === 'number' ? [[m, gate.coverage[m]] as [Metric, number]] : [],
  )
}

function failedAt(file: string, message: string): GateOutcome {
  return { status: 'failed', message, locations: [{ file, message }] }
}

/** Percentages from an istanbul `coverage-summary.json`, or what is wrong with it. */
function summaryTotals(text: string): Totals | string {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return `is not valid JSON (${(error as Error).message})`
  }
  const total = (
    json as { total?: Record<string, { pct?: unknown; total?: unknown; covered?: unknown } | undefined> } | null
  )?.total
  if (typeof total !== 'object' || total === null) return 'has no `total` object (is it a coverage-summary.json?)'
  const totals: Totals = {}
  for (const metric of METRICS) {
    const entry = total[metric]
    if (typeof entry?.pct === 'number') totals[metric] = entry.pct
    else if (entry?.total === 0) totals[metric] = 100
  }
  return totals
}

/** Percentages summed over every record of an lcov file (statements are its lines), or what is wrong with it. */
function lcovTotals(text: string): Totals | string {
  const sums: Record<string, number> = {}
  let records = 0
  for (const line of text.split(/\r?\n/)) {
    const match = /^(LF|LH|BRF|BRH|FNF|FNH):(\d+)\s*$/.exec(line)
    if (match) sums[match[1]!] = (sums[match[1]!] ?? 0) + Number(match[2])
    if (line.startsWith('SF:')) records++
  }
  if (records === 0) return 'holds no coverage records (no `SF:` lines; is it an lcov file?)'
  const pct = (found: string, hit: string) => ((sums[found] ?? 0) === 0 ? 100 : ((sums[hit] ?? 0) / sums[found]!) * 100)
  const lines = pct('LF', 'LH')
  return { lines, statements: lines, branches: pct('BRF', 'BRH'), functions: pct('FNF', 'FNH') }
}

/** Compares actual percentages with the thresholds, in one message: `lines 82.5% < 85% required; branches 91.0% ≥ 80%`. */
function compare(file: string, totals: Totals, thresholds: [Metric, number][]): GateOutcome {
  const parts: string[] = []
  const short: string[] = []
  for (const [metric, min] of thresholds) {
    const actual = totals[metric]
    if (actual === undefined) {
      short.push(`${metric} not reported`)
      parts.push(`${metric} not reported in ${file} (${min}% required)`)
    } else if (actual < min) {
      const part = `${metric} ${(Math.floor(actual * 10) / 10).toFixed(1)}% < ${min}% required`
      short.push(part)
      parts.push(part)
    } else parts.push(`${metric} ${actual.toFixed(1)}% ≥ ${min}%`)
  }
  const message = parts.join('; ')
  return short.length === 0
    ? { status: 'passed', message }
    : { status: 'failed', message, locations: [{ file, message: short.join('; ') }] }
}
