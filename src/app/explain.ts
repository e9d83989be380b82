import { environmentView, readHashCache, readLedger } from '../ledger/ledger.js'
import { readPlan } from './read-plan.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { selectPhases } from '../engine/select-phases.js'
import { explainPhases } from '../fingerprint/freshness.js'
import { Workspace } from '../lib/workspace.js'

/** Why one phase would run now, or that it is up to date, with when it last passed. */
export async function explainPhase(options: { cwd: string; plan?: string; phase: string; environment?: string }) {
  const plan = await readPlan({ cwd: options.cwd, plan: options.plan, environment: options.environment })
  const [id] = selectPhases(plan, { only: [options.phase] })
  const ledger = environmentView((await readLedger(plan.root, WF_VERSION)).ledger, plan.environment)
  const workspace = new Workspace(plan.root, { hashCache: await readHashCache(plan.root) })
  const freshness = (await explainPhases(plan, ledger, { wf: WF_VERSION, workspace, ids: [id!] })).get(id!)!
  const last = ledger.passed[id!]
  return {
    phase: id!,
    upToDate: freshness.upToDate,
    changes: freshness.changes,
    lastPassed: last ? { at: last.at, runId: last.runId } : null,
  }
}
