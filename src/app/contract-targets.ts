import type { ContractsTask } from '../plan/plan.generated.js'
import { findRoot } from '../lib/paths.js'
import { readPlan } from './read-plan.js'
import { WfError } from '../lib/errors.js'

/** One contracts generation to run: schemas in, types out. */
export interface ContractsTarget {
  contracts: string
  out: string
  validators: boolean
  /** Where it comes from: a phase id, or `--schemas`. */
  from: string
}

/** The contracts tasks of the repository's plan, or the one named by `--schemas`/`--out`. */
export async function contractsTargets(
  cwd: string,
  flags: { schemas?: string; out?: string; validators?: boolean; plan?: string },
): Promise<{ root: string; targets: ContractsTarget[] }> {
  if (flags.schemas || flags.out) {
    if (!flags.schemas || !flags.out)
      throw new WfError('WF_USAGE', '--schemas and --out go together', {
        hint: 'pass both to work outside the plan, or neither to run every `contracts` task of the plan',
      })
    return {
      root: findRoot(cwd),
      targets: [{ contracts: flags.schemas, out: flags.out, validators: flags.validators ?? false, from: '--schemas' }],
    }
  }
  const plan = await readPlan({ cwd, plan: flags.plan })
  const targets: ContractsTarget[] = []
  const seen = new Set<string>()
  for (const phase of plan.phases) {
    for (const task of phase.tasks) {
      if (!('contracts' in task)) continue
      const t = task as ContractsTask
      const key = `${t.contracts}\0${t.out}`
      if (seen.has(key)) continue
      seen.add(key)
      targets.push({ contracts: t.contracts, out: t.out, validators: t.validators ?? false, from: phase.id })
    }
  }
  if (targets.length === 0)
    throw new WfError('WF_USAGE', 'the plan has no `contracts` task', {
      hint: 'add `- contracts: DIR\\n  out: DIR` to a phase, or pass --schemas DIR --out DIR',
    })
  return { root: plan.root, targets }
}

/** The schema folders or globs the plan names: its contracts tasks' and contracts-compatible gates'. */
export async function contractsSpecs(cwd: string, planFile?: string): Promise<{ root: string; specs: string[] }> {
  const plan = await readPlan({ cwd, plan: planFile })
  const specs = new Set<string>()
  for (const phase of plan.phases) {
    for (const task of phase.tasks) if ('contracts' in task) specs.add((task as ContractsTask).contracts)
    for (const gate of phase.gates) if ('contracts-compatible' in gate) specs.add(gate['contracts-compatible'].schemas)
  }
  if (specs.size === 0)
    throw new WfError(
      'WF_USAGE',
      'the plan names no JSON Schemas (no `contracts` task, no `contracts-compatible` gate)',
      { hint: 'pass --schemas DIR' },
    )
  return { root: plan.root, specs: [...specs] }
}
