import type { ApprovalRecord, FingerprintRecord, GeneratedFile, GitFacts, PhaseRecord } from '../ledger/ledger.js'
import type { ResolvedPhase, ResolvedPlan } from '../plan/resolve-plan.js'
import type { Workspace } from '../lib/workspace.js'
import type { GeneratedOutput } from '../tasks/task-kind.js'
import { generatorOutputs, planOutputs } from '../fingerprint/fingerprint.js'
import type { UndeclaredWrites } from './undeclared-writes.js'
import type { EventHandler } from './events.js'

/** What to run (the selected phases of a plan), in which workspace, and what the ledger knows. */
export interface RunPlanOptions {
  plan: ResolvedPlan
  /** The workspace of the plan's root: its hasher (and the cache it holds), git, shells and caches serve the run. */
  workspace: Workspace
  /** Ids of the phases to run; phases they need outside this set must already be satisfied. */
  selected: string[]
  wf: string
  runId: string
  git: GitFacts
  /** What the ledger knows: each phase's last passed fingerprint (in the plan's environment). */
  passed: Record<string, FingerprintRecord | undefined>
  concurrency?: number
  continueOnError?: boolean
  force?: boolean
  /** `--overwrite`: generator tasks replace files edited by hand, saving them under .wf/backup/<runId>/ first. */
  overwrite?: boolean
  dryRun?: boolean
  /**
   * Run no plan code: `command` and `plugin` gates and `when: { run }` conditions are not
   * evaluated (they say this text, e.g. "not evaluated: needs --allow-run"), and repository
   * templates render in a sandbox. A dry run is always read-only.
   */
  readOnly?: string
  env?: NodeJS.ProcessEnv
  /** Approvals recorded in the ledger, by phase id. */
  approvals?: Record<string, ApprovalRecord | undefined>
  /** What wf last wrote to each generated file (from the ledger), for drift protection. */
  generated?: Record<string, GeneratedFile | undefined>
  /** Records durably what a phase's generator is about to write, before it renames the files into place. */
  intend?: (outputs: readonly GeneratedOutput[], phase: string) => Promise<void>
  /** `wf check`: run gates only (no tasks, no up-to-date skipping, needs ignored). */
  gatesOnly?: boolean
  /** Restrict file-based gates to these files; gates that need the whole tree are left out. */
  files?: string[]
  signal?: AbortSignal
  onEvent?: EventHandler
}

/** What the steps of one run share: its options, and what the run has learned so far. */
export interface PlanRun {
  options: RunPlanOptions
  workspace: Workspace
  emit: EventHandler
  /** Aborted when the run stops (a failure without continueOnError, or the caller's signal): running phases stop. */
  stop: AbortController
  /** The environment phases start from. */
  baseEnv: NodeJS.ProcessEnv
  /** Fingerprints of the phases that ended, as their dependants see them (needs outside the run: their last pass). */
  fingerprints: Record<string, string>
  /** Files the plan's generator tasks write (recorded in the ledger, and written in this run): whole-tree fingerprints leave them out. */
  generatedFiles: Set<string>
  /** Whether a path is some phase's declared output (left out of whole-tree fingerprints). */
  outputs: (path: string) => boolean
  /** Files changed during phases that no phase declares; set when some phase has a whole-tree fingerprint. */
  writes?: UndeclaredWrites
  /** Phases a dry run would run (so their dependants would run too). */
  wouldRun: Set<string>
  /** Every phase's record, in the order the phases ended. */
  records: PhaseRecord[]
  /** What to say of plan code a read-only run leaves unevaluated; undefined when the run may run it. */
  readOnly?: string
}

/** What a dry run says of what it does not evaluate. */
export const DRY_RUN_NOTE = 'not evaluated in a dry run'

/** The shared state of a run that is about to start. */
export function createPlanRun(options: RunPlanOptions, selected: readonly ResolvedPhase[]): PlanRun {
  const fingerprints: Record<string, string> = {}
  for (const id of outsideNeeds(options, selected)) fingerprints[id] = options.passed[id]?.hash ?? 'none'
  return {
    options,
    workspace: options.workspace,
    emit: options.onEvent ?? (() => {}),
    stop: new AbortController(),
    // A plain copy: reading process.env goes through the C++ environment on every access.
    baseEnv: options.env ?? { ...process.env },
    fingerprints,
    generatedFiles: generatorOutputs(options.plan, Object.keys(options.generated ?? {})),
    outputs: planOutputs(options.plan),
    wouldRun: new Set(),
    records: [],
    readOnly: options.readOnly ?? (options.dryRun ? DRY_RUN_NOTE : undefined),
  }
}

/** Phases the selected ones need that are not selected themselves (they count as passed). */
export function outsideNeeds(options: RunPlanOptions, selected: readonly ResolvedPhase[]): string[] {
  const chosen = new Set(options.selected)
  return [...new Set(selected.flatMap((p) => p.needs))].filter((id) => !chosen.has(id))
}

/** A phase record with what every record of this run carries. */
export function baseRecord(run: PlanRun, phase: ResolvedPhase): PhaseRecord {
  const { environment } = run.options.plan
  return {
    id: phase.id,
    status: 'running',
    runId: run.options.runId,
    git: run.options.git,
    tasks: [],
    gates: [],
    ...(environment ? { environment } : {}),
  }
}

/** Records how a phase ended and tells the listeners; returns its status. */
export async function finishPhase(
  run: PlanRun,
  phase: ResolvedPhase,
  record: PhaseRecord,
  passed?: FingerprintRecord,
): Promise<PhaseRecord['status']> {
  run.records.push(record)
  run.writes?.phaseEnded(phase.id, record.status)
  await run.emit({ type: 'phase-end', phase, record, passed })
  return record.status
}

/** Now, as an ISO timestamp. */
export const now = () => new Date().toISOString()
/** Milliseconds since `start` (a performance.now() reading), rounded. */
export const since = (start: number) => Math.round(performance.now() - start)
