import { randomBytes } from 'node:crypto'
import { countStatuses } from '../ledger/statuses.js'
import type { ReportData } from './report-data.js'

/** The step outputs of a run: `status`, `run-id`, `failed-phases`, and counts. */
export function stepOutputs(data: ReportData, unannotated: number): Record<string, string> {
  const inRun = data.phases.filter((p) => p.status !== 'not-in-run')
  const phases = countStatuses(inRun)
  const gates = countStatuses(inRun.flatMap((p) => p.gates))
  const phaseCount = (status: string) => phases[status] ?? 0
  const gateCount = (status: string) => gates[status] ?? 0
  return {
    status: data.status,
    'run-id': data.scope.run ?? data.run?.id ?? '',
    'failed-phases': inRun
      .filter((p) => p.status === 'failed')
      .map((p) => p.id)
      .join(','),
    'blocked-phases': inRun
      .filter((p) => p.status === 'blocked')
      .map((p) => p.id)
      .join(','),
    phases: String(inRun.length),
    passed: String(phaseCount('passed') + phaseCount('up-to-date')),
    failed: String(phaseCount('failed')),
    'gates-failed': String(gateCount('failed')),
    'gates-warned': String(gateCount('warned')),
    'gates-waived': String(gateCount('waived')),
    unannotated: String(unannotated),
  }
}

/** $GITHUB_OUTPUT lines: `name=value`, or a heredoc with a random delimiter for values with line breaks. */
export function formatOutputs(outputs: Record<string, string>): string {
  return Object.entries(outputs)
    .map(([name, value]) => {
      if (!/[\r\n]/.test(value)) return `${name}=${value}\n`
      const delimiter = `wf_${randomBytes(8).toString('hex')}`
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`
    })
    .join('')
}
