import { loadPlan, type LoadPlanOptions } from './load-plan.js'
import { resolvePlan, type ResolvedPlan } from './resolve-plan.js'

/** Loads and resolves the plan of a repository; throws PlanError listing every problem. */
export async function readPlan(options: LoadPlanOptions = {}): Promise<ResolvedPlan> {
  return resolvePlan(await loadPlan(options))
}
