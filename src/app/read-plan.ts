import { kindChecks } from '../gates/kind-checks.js'
import { readResolvedPlan, type ReadPlanOptions } from '../plan/read-plan.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'

export type { ReadPlanOptions }

/** Reads and resolves the repository's plan, each task and gate kind checking its own options; throws PlanError listing every problem. */
export function readPlan(options: Omit<ReadPlanOptions, 'kinds'> = {}): Promise<ResolvedPlan> {
  return readResolvedPlan({ ...options, kinds: kindChecks })
}
