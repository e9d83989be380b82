import { WfError } from '../errors.js'
import { LedgerWriter, readLedger, type PhaseRecord, type RunStatus } from '../ledger/ledger.js'
import { readPlan } from '../plan/read-plan.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'
import { WF_VERSION } from '../wf-version.js'
import type { EventHandler } from './events.js'
import { FileHasher } from './files.js'
import { readGitFacts } from './git.js'
import { runPlan } from './run-plan.js'
import { selectPhases, unmetNeeds, type Selection } from './select-phases.js'

/** Phase statuses that mean work was done, so they are written to disk before the run goes on. */
const RAN = new Set(['passed', 'failed', 'cancelled'])

export interface ExecuteRunOptions extends Selection {
  cwd: string
  plan?: string
  concurrency?: number
  continueOnError?: boolean
  force?: boolean
  dryRun?: boolean
  lockTimeoutMs: number
  history?: number
  argv: string[]
  signal?: AbortSignal
  onEvent?: EventHandler
  /** Called once the plan is read, before anything runs (reporters set themselves up here). */
  onPlan?: (plan: ResolvedPlan, selected: string[]) => void
}

export interface ExecuteRunResult {
  status: RunStatus
  runId?: string
  records: PhaseRecord[]
  warnings: string[]
}

/** Reads the plan, takes the ledger, runs the selected phases and records every result as it happens. */
export async function executeRun(options: ExecuteRunOptions): Promise<ExecuteRunResult> {
  const plan = await readPlan({ cwd: options.cwd, plan: options.plan })
  const selected = selectPhases(plan, options)
  options.onPlan?.(plan, selected)
  const common = {
    plan, selected, wf: WF_VERSION, concurrency: options.concurrency, continueOnError: options.continueOnError,
    force: options.force, signal: options.signal, onEvent: options.onEvent,
  }
  if (options.dryRun) {
    const { ledger } = await readLedger(plan.root, WF_VERSION)
    checkNeeds(plan, selected, ledger.phases)
    const result = await runPlan({ ...common, dryRun: true, runId: 'dry-run', git: await readGitFacts(plan.root), passed: ledger.passed })
    return { status: result.status, records: [], warnings: [] }
  }
  const writer = await LedgerWriter.open(plan.root, { wf: WF_VERSION, lockTimeoutMs: options.lockTimeoutMs, command: ['wf', ...options.argv].join(' '), history: options.history ?? plan.history })
  try {
    checkNeeds(plan, selected, writer.ledger.phases)
    const hasher = new FileHasher(plan.root, await writer.readHashCache())
    const run = await writer.startRun({ wf: WF_VERSION, git: await readGitFacts(plan.root), argv: options.argv })
    let status: RunStatus = 'failed'
    try {
      const result = await runPlan({
        ...common, runId: run.id, git: run.git, passed: { ...writer.ledger.passed }, hasher,
        onEvent: async (event) => {
          if (event.type === 'phase-start') await writer.flushStart()
          if (event.type === 'phase-end') await writer.recordPhase(event.record, event.passed, RAN.has(event.record.status))
          await options.onEvent?.(event)
        },
      })
      status = result.status
      return { status, runId: run.id, records: result.records, warnings: writer.warnings }
    } finally {
      await writer.finishRun(status)
      if (hasher.dirty) await writer.writeHashCache(hasher.cache)
    }
  } finally {
    await writer.close()
  }
}

function checkNeeds(plan: ResolvedPlan, selected: string[], latest: Parameters<typeof unmetNeeds>[2]): void {
  const unmet = unmetNeeds(plan, selected, latest)
  if (unmet.length === 0) return
  const list = unmet.map((u) => `\`${u.phase}\` needs \`${u.need}\` (${u.status})`).join(', ')
  throw new WfError('WF_UNMET_NEEDS', `unmet needs: ${list}`, { hint: 'run those phases first, or pass --with-deps to run them too' })
}
