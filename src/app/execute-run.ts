import { relative, resolve, sep } from 'node:path'
import { WfError } from '../lib/errors.js'
import { isInside } from '../lib/paths.js'
import { LedgerWriter, readLedger, type PhaseRecord, type RunStatus } from '../ledger/ledger.js'
import { readPlan } from './read-plan.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'
import { WF_VERSION } from '../lib/wf-version.js'
import type { EngineEvent, EventHandler } from '../engine/events.js'
import type { GitFacts } from '../lib/git.js'
import { Workspace } from '../lib/workspace.js'
import { runPlan, type RunPlanOptions } from '../engine/run-plan.js'
import { selectPhases, unmetNeeds, type Selection } from '../engine/select-phases.js'
import { RAN } from '../ledger/statuses.js'

/** Phase statuses that mean work was done, so they are written to disk before the run goes on. */

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
  /** `wf check`: gates only, on every selected phase; with `files`, only file-based gates on those files. */
  gatesOnly?: boolean
  files?: string[]
  /** `wf check` arguments: phase ids select phases, anything else is a file to check (as the pre-commit framework passes them). */
  targets?: string[]
  /** Restrict file-based gates to the files staged in git (added to `files` when both are given). */
  staged?: boolean
  /** false: check without taking or writing the ledger (results are returned, nothing is written); for gates-only checks. */
  record?: boolean
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
  const ids = new Set(plan.phases.map((p) => p.id))
  const named = (options.targets ?? []).filter((t) => ids.has(t))
  const targetFiles = (options.targets ?? [])
    .filter((t) => !ids.has(t))
    .map((f) => toRepoPath(plan.root, options.cwd, f))
  const selected = selectPhases(plan, named.length ? { ...options, only: named } : options)
  options.onPlan?.(plan, selected)
  // Everything this run learns about the repository lives as long as the run (wf mcp runs many times).
  const workspace = new Workspace(plan.root)
  try {
    // git runs while the ledger is opened; its facts (and the staged files, from the same git status)
    // are needed only when the run starts (and are read again if waiting for another wf to release
    // the ledger took a while).
    const gitFacts = workspace.git.facts()
    gitFacts.catch(() => {})
    const files = [...(options.files ?? []), ...targetFiles]
    const run: PreparedRun = { options, plan, workspace, selected, gitFacts, files }
    if (options.dryRun || (options.record === false && options.gatesOnly)) return await unrecordedRun(run)
    return await recordedRun(run)
  } finally {
    workspace.close()
  }
}

/** A run about to start: what it runs, on which files, and the git facts being read. */
interface PreparedRun {
  options: ExecuteRunOptions
  plan: ResolvedPlan
  workspace: Workspace
  selected: string[]
  gitFacts: Promise<GitFacts>
  /** Files named on the command line (file-based gates look only at these, and the staged files with --staged). */
  files: string[]
}

/** What every kind of run hands to runPlan, whatever the ledger holds. */
async function commonOptions(run: PreparedRun): Promise<Omit<RunPlanOptions, 'runId' | 'git' | 'passed'>> {
  const { options } = run
  const files = options.staged
    ? [...new Set([...run.files, ...(await run.workspace.git.stagedFiles())])].sort()
    : run.files.length
      ? run.files
      : undefined
  return {
    plan: run.plan,
    workspace: run.workspace,
    selected: run.selected,
    wf: WF_VERSION,
    concurrency: options.concurrency,
    continueOnError: options.continueOnError || options.gatesOnly,
    force: options.force,
    signal: options.signal,
    onEvent: options.onEvent,
    gatesOnly: options.gatesOnly,
    files,
  }
}

/** A dry run, or a check that records nothing: the ledger is read, not taken. */
async function unrecordedRun(run: PreparedRun): Promise<ExecuteRunResult> {
  const { options, plan, selected } = run
  const { ledger } = await readLedger(plan.root, WF_VERSION)
  if (!options.gatesOnly) checkNeeds(plan, selected, ledger.phases, ledger.passed)
  const result = await runPlan({
    ...(await commonOptions(run)),
    dryRun: options.dryRun,
    runId: options.dryRun ? 'dry-run' : 'unrecorded',
    git: await run.gitFacts,
    passed: ledger.passed,
    approvals: ledger.approvals,
    generated: ledger.generated,
  })
  return {
    status: result.status,
    records: options.dryRun ? [] : inSelectionOrder(result.records, selected),
    warnings: [],
  }
}

/** A run under the ledger's lock: every phase's result is written as it ends. */
async function recordedRun(run: PreparedRun): Promise<ExecuteRunResult> {
  const { options, plan, workspace, selected } = run
  const opening = Date.now()
  const writer = await LedgerWriter.open(plan.root, {
    wf: WF_VERSION,
    lockTimeoutMs: options.lockTimeoutMs,
    command: ['wf', ...options.argv].join(' '),
    history: options.history ?? plan.history,
  })
  try {
    const gitFacts = Date.now() - opening > 500 ? workspace.git.facts({ fresh: true }) : run.gitFacts
    if (!options.gatesOnly) checkNeeds(plan, selected, writer.ledger.phases, writer.ledger.passed)
    workspace.loadHashCache(await writer.readHashCache())
    const started = await writer.startRun({ wf: WF_VERSION, git: await gitFacts, argv: options.argv })
    let status: RunStatus = 'failed'
    let ended: EngineEvent | undefined
    try {
      const result = await runPlan({
        ...(await commonOptions(run)),
        runId: started.id,
        git: started.git,
        passed: { ...writer.ledger.passed },
        approvals: writer.ledger.approvals,
        generated: { ...writer.ledger.generated },
        intend: (outputs, phase) => writer.intend(outputs, phase),
        onEvent: async (event) => {
          // The run's result is shown once its record is final, as each phase's is once it is recorded.
          if (event.type === 'run-end') {
            ended = event
            return
          }
          // A gates-only check changes nothing in the repository: its results are written once, at the end.
          if (event.type === 'phase-start' && !options.gatesOnly) await writer.flushStart()
          if (event.type === 'phase-end')
            await writer.recordPhase(event.record, event.passed, RAN.has(event.record.status) && !options.gatesOnly)
          await options.onEvent?.(event)
        },
      })
      status = result.status
      return {
        status,
        runId: started.id,
        records: inSelectionOrder(result.records, selected),
        warnings: writer.warnings,
      }
    } finally {
      await writer.finishRun(status)
      if (ended) await options.onEvent?.(ended)
      if (workspace.hasher.dirty) await writer.writeHashCache(workspace.hasher.cache)
    }
  } finally {
    await writer.close()
  }
}

/** Records in the order their phases were selected. */
function inSelectionOrder(records: PhaseRecord[], selected: string[]): PhaseRecord[] {
  const order = (id: string) => selected.indexOf(id)
  return [...records].sort((a, b) => order(a.id) - order(b.id))
}

/** A file named on the command line, as a repository-relative path. */
function toRepoPath(root: string, cwd: string, file: string): string {
  const full = resolve(cwd, file)
  if (!isInside(root, full))
    throw new WfError('WF_USAGE', `${file} is neither a phase of the plan nor a file inside the repository`, {
      hint: 'run `wf list` to see the phases',
    })
  return relative(root, full).split(sep).join('/')
}

function checkNeeds(
  plan: ResolvedPlan,
  selected: string[],
  latest: Parameters<typeof unmetNeeds>[2],
  passed: Parameters<typeof unmetNeeds>[3],
): void {
  const unmet = unmetNeeds(plan, selected, latest, passed)
  if (unmet.length === 0) return
  const list = unmet.map((u) => `\`${u.phase}\` needs \`${u.need}\` (${u.status})`).join(', ')
  throw new WfError('WF_UNMET_NEEDS', `unmet needs: ${list}`, {
    hint: 'run those phases first, or pass --with-deps to run them too',
  })
}
