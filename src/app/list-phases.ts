import type { Affected } from '../engine/affected-phases.js'
import { readLedger } from '../ledger/ledger.js'
import { NEVER_RUN } from '../ledger/statuses.js'
import { repositoryFacts } from '../lib/repository-facts.js'
import { Workspace } from '../lib/workspace.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { findAffected } from './find-affected.js'
import { readPlan } from './read-plan.js'

export interface ListPhasesOptions {
  cwd: string
  plan?: string
  /** Only the phases `wf run --affected` would run, with why. */
  affected?: boolean
  since?: string
}

/** One phase as `wf list` shows it. */
export interface PhaseRow {
  id: string
  name: string
  needs: string[]
  tasks: number
  gates: number
  source: string
  /** The latest status, once a ledger exists. */
  status?: string
  /** With --affected: why the phase is affected. */
  affected?: string
}

/** The languages and tools `when: { language }` and `when: { uses }` conditions see in the repository. */
export interface Facts {
  languages: string[]
  tools: string[]
}

/** The phases in dependency order (with --affected, those affected and why), whether a ledger exists, and the repository's facts. */
export async function listPhases(
  options: ListPhasesOptions,
): Promise<{ rows: PhaseRow[]; ledger: boolean; affected?: Affected; facts: Facts }> {
  const plan = await readPlan({ cwd: options.cwd, plan: options.plan, positions: true })
  const { ledger, exists } = await readLedger(plan.root, WF_VERSION)
  const affected = options.affected
    ? await findAffected(plan, { since: options.since, latest: ledger.phases })
    : undefined
  const reasons = new Map(affected?.phases.map((p) => [p.id, p.reason]))
  const rows = plan.phases
    .filter((p) => !affected || reasons.has(p.id))
    .map((p) => ({
      id: p.id,
      name: p.name,
      needs: p.needs,
      tasks: p.tasks.length,
      gates: p.gates.length,
      source: `${p.source.file}:${p.source.line}`,
      ...(exists ? { status: ledger.phases[p.id]?.status ?? NEVER_RUN } : {}),
      ...(affected ? { affected: reasons.get(p.id) } : {}),
    }))
  const workspace = new Workspace(plan.root)
  try {
    const { languages, tools } = await repositoryFacts(workspace)
    const facts = { languages: [...languages.keys()], tools: [...tools.keys()] }
    return { rows, ledger: exists, ...(affected ? { affected } : {}), facts }
  } finally {
    workspace.close()
  }
}
