import type { MergeLedgersResult } from '../ledger/merge/merge-ledger.js'

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** The line `wf ledger merge` prints: how many ledgers went where, with how many runs and phases. */
export function formatMerge(result: MergeLedgersResult): string {
  const ledgers = count(result.sources.length, 'ledger', 'ledgers')
  const runs = count(result.runs, 'run', 'runs')
  const phases = count(result.phases.length, 'phase', 'phases')
  return `✔ merged ${ledgers} into ${result.into}: ${runs}, ${phases}, hash chain verified`
}
