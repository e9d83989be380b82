import type { Ledger } from '../ledger/ledger.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'
import { phaseEnv } from '../lib/phase-env.js'
import type { Workspace } from '../lib/workspace.js'
import {
  describeChanges,
  fingerprintPhase,
  generatorOutputs,
  outputChanges,
  planOutputs,
  readsWholeTree,
  type Fingerprint,
} from './fingerprint.js'
import { treeChanges } from './tree-changes.js'
import { writtenByWf } from './repository-state.js'

/** Whether a phase would be skipped as up to date now, and if not, why. */
export interface Freshness {
  upToDate: boolean
  changes: string[]
}

/** What working out fingerprints needs: wf's version, the workspace of the plan's root, and (optionally) which phases. */
export interface FreshnessOptions {
  wf: string
  workspace: Workspace
  ids?: string[]
}

/** The fingerprints phases have now, computed in dependency order as `wf run` would (for `ids` and what they need). */
export async function currentFingerprints(
  plan: ResolvedPlan,
  ledger: Ledger,
  options: FreshnessOptions,
): Promise<Map<string, Fingerprint>> {
  const wanted = new Set(options.ids ?? plan.phases.map((p) => p.id))
  // A phase's fingerprint includes its needs', so compute every phase the wanted ones depend on.
  const byId = new Map(plan.phases.map((p) => [p.id, p]))
  const stack = [...wanted]
  const needed = new Set(wanted)
  while (stack.length)
    for (const need of byId.get(stack.pop()!)?.needs ?? [])
      if (!needed.has(need)) {
        needed.add(need)
        stack.push(need)
      }
  const hashes: Record<string, string> = {}
  const result = new Map<string, Fingerprint>()
  const generated = generatorOutputs(plan, Object.keys(ledger.generated ?? {}))
  if (plan.phases.some(readsWholeTree)) for (const path of await writtenByWf(options.workspace)) generated.add(path)
  const outputs = planOutputs(plan)
  for (const phase of plan.phases.filter((p) => needed.has(p.id))) {
    const fingerprint = await fingerprintPhase(phase, {
      workspace: options.workspace,
      wf: options.wf,
      env: await phaseEnv(options.workspace, process.env, phase),
      needs: hashes,
      generated,
      outputs,
    })
    // `wf run` gives dependants of a skipped phase `none` for it, not its fingerprint.
    hashes[phase.id] = ledger.phases[phase.id]?.status === 'skipped' ? 'none' : fingerprint.hash
    if (wanted.has(phase.id)) result.set(phase.id, fingerprint)
  }
  return result
}

/** Compares each phase's current fingerprint with what it last passed with. */
export async function explainPhases(
  plan: ResolvedPlan,
  ledger: Ledger,
  options: FreshnessOptions,
): Promise<Map<string, Freshness>> {
  const result = new Map<string, Freshness>()
  for (const [id, fingerprint] of await currentFingerprints(plan, ledger, options)) {
    const last = ledger.passed[id]
    if (!last) result.set(id, { upToDate: false, changes: ['it has not passed before'] })
    else if (last.hash === fingerprint.hash) {
      const outputs = await outputChanges(last.outputs, options.workspace)
      result.set(id, { upToDate: outputs.length === 0, changes: outputs })
    } else result.set(id, { upToDate: false, changes: await changesSince(options.workspace, last, fingerprint) })
  }
  return result
}

/** What changed since a phase last passed, naming the files a whole-tree fingerprint saw change when it can. */
export async function changesSince(
  workspace: Workspace,
  last: { inputs: Fingerprint['inputs'] },
  now: Fingerprint,
): Promise<string[]> {
  const before = last.inputs.repository
  const after = now.inputs.repository
  const tree = before && after && before !== after ? await treeChanges(workspace, before, after) : undefined
  return describeChanges(last.inputs, now.inputs, tree)
}
