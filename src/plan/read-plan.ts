import { loadPlan, type LoadPlanOptions } from './load-plan.js'
import { resolvePlan, type ResolvedPlan } from './resolve-plan.js'
import { loadYaml, YamlNotLoaded } from './yaml.js'

export interface ReadPlanOptions extends LoadPlanOptions {
  /** Phases' source lines will be read (`phase.source`): load the positioned parser up front. */
  positions?: boolean
}

/** Loads and resolves the plan of a repository; throws PlanError listing every problem. */
export async function readResolvedPlan(options: ReadPlanOptions): Promise<ResolvedPlan> {
  if (options.positions) await loadYaml()
  try {
    return resolvePlan(await loadPlan(options))
  } catch (error) {
    // A valid file is read without positions; a problem found later needs them, so read again with them.
    if (!(error instanceof YamlNotLoaded)) throw error
    await loadYaml()
    return resolvePlan(await loadPlan(options))
  }
}
