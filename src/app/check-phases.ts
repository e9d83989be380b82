import { availableParallelism } from 'node:os'
import type { EventHandler } from '../engine/events.js'
import { runPlan } from '../engine/run-plan.js'
import { selectPhases, type Selection } from '../engine/select-phases.js'
import { environmentView, type Ledger, type PhaseRecord, type RunStatus } from '../ledger/ledger.js'
import type { HashCache } from '../lib/files.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { Workspace } from '../lib/workspace.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'

export interface CheckPhasesOptions extends Selection {
  /** The plan and the ledger as read now (a long-lived server keeps them while their files are unchanged). */
  plan: ResolvedPlan
  ledger: Ledger
  /** Content hashes by size and mtime, kept between checks (the hasher adds what it learns). */
  hashCache?: HashCache
  /** The environment phases start from (default: a copy of process.env, made per check). */
  env?: NodeJS.ProcessEnv
  /** Run no plan code (`command`/`plugin` gates, `when: run`); what is left says this text. */
  readOnly?: string
  signal?: AbortSignal
  onEvent?: EventHandler
}

/**
 * Evaluates the gates of the selected phases against the repository as it is now and writes
 * nothing, not even the ledger (`wf check` without its record); results in selection order.
 */
export async function checkPhases(options: CheckPhasesOptions): Promise<{ status: RunStatus; records: PhaseRecord[] }> {
  const { plan } = options
  const selected = selectPhases(plan, options)
  const ledger = environmentView(options.ledger, plan.environment)
  // What the check learns about files holds for this check only: files may change before the next.
  const workspace = new Workspace(plan.root, { hashCache: options.hashCache })
  try {
    const result = await runPlan({
      // Gates only, needs ignored: the selected phases are the whole run, and what the run looks
      // at across the plan (which phases read the whole tree) is looked at in them alone.
      plan: { ...plan, phases: plan.phases.filter((phase) => selected.includes(phase.id)) },
      workspace,
      concurrency: availableParallelism(),
      selected,
      wf: WF_VERSION,
      continueOnError: true,
      gatesOnly: true,
      signal: options.signal,
      onEvent: options.onEvent,
      ...(options.readOnly ? { readOnly: options.readOnly } : {}),
      ...(options.env ? { env: options.env } : {}),
      runId: 'unrecorded',
      // Records of a check nobody records are dropped but for their gates: no git process for facts no one reads.
      git: { commit: null, branch: null, dirty: false },
      // Copies: the ledger may be kept for the next call, and a run notes what it learns in these.
      passed: { ...ledger.passed },
      approvals: { ...ledger.approvals },
      generated: { ...ledger.generated },
    })
    const order = (id: string) => selected.indexOf(id)
    return { status: result.status, records: [...result.records].sort((a, b) => order(a.id) - order(b.id)) }
  } finally {
    workspace.close()
  }
}
