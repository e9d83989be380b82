import type { PhaseStatus } from './ledger.generated.js'

/** The word for a phase the ledger holds no result for. */
export const NEVER_RUN = 'never-run'

/** Statuses of a phase that let the phases that need it run: it passed, is up to date, or was skipped. */
export const SATISFIED: ReadonlySet<string> = new Set<PhaseStatus>(['passed', 'up-to-date', 'skipped'])

/** Statuses of a phase that did its work in a run, so the run's result is its recorded result. */
export const RAN: ReadonlySet<string> = new Set<PhaseStatus>(['passed', 'failed', 'cancelled', 'awaiting-approval'])

/** Statuses of a phase that make its run, check or report fail. */
export const FAILING: ReadonlySet<string> = new Set<PhaseStatus>(['failed', 'blocked', 'awaiting-approval'])

/** How many of `items` have each status, in the order the statuses first appear. */
export function countStatuses(items: Iterable<{ status: string }>): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const { status } of items) counts[status] = (counts[status] ?? 0) + 1
  return counts
}
