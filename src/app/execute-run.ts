import { statSync } from 'node:fs'
import { relative, resolve, sep } from 'node:path'
import { WfError } from '../lib/errors.js'
import { findRoot, isInside } from '../lib/paths.js'
import { suggest } from '../lib/suggest.js'
import { checkScope } from '../ledger/check-record.js'
import {
  environmentView,
  LedgerWriter,
  readLedger,
  type CheckScope,
  type PhaseRecord,
  type RunStatus,
} from '../ledger/ledger.js'
import { readPlan } from './read-plan.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'
import { WF_VERSION } from '../lib/wf-version.js'
import type { EngineEvent, EventHandler } from '../engine/events.js'
import type { GitFacts } from '../lib/git.js'
import { Workspace } from '../lib/workspace.js'
import { runPlan, type RunPlanOptions } from '../engine/run-plan.js'
import { selectPhases, unmetNeeds, type Selection } from '../engine/select-phases.js'
import { RAN } from '../ledger/statuses.js'
import { taskJournal } from '../ledger/task-journal.js'
import { findAffected } from './find-affected.js'
import type { Affected } from '../engine/affected-phases.js'

export interface ExecuteRunOptions extends Selection {
  cwd: string
  plan?: string
  /** Apply this environment's overlay and record results as its own (`--env`, `WF_ENV`). */
  environment?: string
  concurrency?: number
  continueOnError?: boolean
  force?: boolean
  /** `--overwrite`: replace generated files edited by hand, saving each under .wf/backup/<runId>/ first. */
  overwrite?: boolean
  dryRun?: boolean
  /** Run no plan code (`command`/`plugin` gates, `when: run`; repository templates render in a sandbox); what is left says this text. Dry runs always are. */
  readOnly?: string
  lockTimeoutMs: number
  history?: number
  argv: string[]
  signal?: AbortSignal
  onEvent?: EventHandler
  /** `wf check`: gates only, on every selected phase; with `files`, only file-based gates on those files. */
  gatesOnly?: boolean
  files?: string[]
  /** `wf check` arguments: phase ids select phases, existing files are checked alone (as the pre-commit framework passes them); anything else is a usage error. */
  targets?: string[]
  /** Restrict file-based gates to the files staged in git (added to `files` when both are given). */
  staged?: boolean
  /** false: check without taking or writing the ledger (results are returned, nothing is written); for gates-only checks. */
  record?: boolean
  /** `--affected`: run only the phases affected by changes since the merge base with `since` (default: the default branch). */
  affected?: boolean
  since?: string
  /** Called with what `--affected` found, before anything runs. */
  onAffected?: (affected: Affected) => void
  /** Called once the plan is read, before anything runs (reporters set themselves up here). */
  onPlan?: (plan: ResolvedPlan, selected: string[]) => void
}

export interface ExecuteRunResult {
  status: RunStatus
  runId?: string
  records: PhaseRecord[]
  warnings: string[]
  /** A dry run: what each phase would do, and why. */
  planned?: PlannedPhase[]
  /** With `affected`: what changed, and the phases it affects. */
  affected?: Affected
}

/** What a dry run would do with one phase. */
export interface PlannedPhase {
  id: string
  decision: Extract<EngineEvent, { type: 'plan-step' }>['decision']
  reason: string
  steps: string[]
}

/** Reads the plan, takes the ledger, runs the selected phases and records every result as it happens. */
export async function executeRun(options: ExecuteRunOptions): Promise<ExecuteRunResult> {
  // Everything this run learns about the repository lives as long as the run (wf mcp runs many times).
  const workspace = new Workspace(findRoot(options.cwd))
  try {
    // git runs while the plan is read and the ledger opened; its facts (and the staged files, from the
    // same git status) are needed only when the run starts (and are read again if waiting for another
    // wf to release the ledger took a while).
    const gitFacts = workspace.git.facts()
    gitFacts.catch(() => {})
    const plan = await readPlan({ cwd: options.cwd, plan: options.plan, environment: options.environment })
    const { named, files: targetFiles } = splitTargets(plan, options.cwd, options.targets ?? [])
    workspace.tasks = taskJournal(plan.root)
    const affected = options.affected
      ? await findAffected(plan, {
          since: options.since,
          git: workspace.git,
          latest: options.gatesOnly ? undefined : (await readLedger(plan.root, WF_VERSION)).ledger.phases,
        })
      : undefined
    const selection = named.length ? { ...options, only: named } : options
    const selected = selectPhases(
      plan,
      affected ? { ...selection, among: affected.phases.map((p) => p.id) } : selection,
    )
    if (affected) options.onAffected?.(affected)
    options.onPlan?.(plan, selected)
    const files = [...(options.files ?? []), ...targetFiles]
    const run: PreparedRun = { options, plan, workspace, selected, gitFacts, files, named: named.length > 0 }
    const result =
      options.dryRun || (options.record === false && options.gatesOnly)
        ? await unrecordedRun(run)
        : await recordedRun(run)
    return affected ? { ...result, affected } : result
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
  /** Phases were named on the command line. */
  named: boolean
}

/** The files file-based gates look at: those named, plus the staged ones with --staged; undefined for the whole tree. */
async function checkedFiles(run: PreparedRun): Promise<string[] | undefined> {
  if (run.options.staged) return [...new Set([...run.files, ...(await run.workspace.git.stagedFiles())])].sort()
  return run.files.length ? run.files : undefined
}

/** What a `wf check` looks at, as its record says. */
function scopeOf(run: PreparedRun, files: string[] | undefined): CheckScope {
  if (run.options.staged) return checkScope('staged', files)
  if (files) return checkScope('files', files)
  return checkScope(run.named || run.options.only?.length ? 'phases' : 'full')
}

/** What every kind of run hands to runPlan, whatever the ledger holds. */
function commonOptions(
  run: PreparedRun,
  files: string[] | undefined,
): Omit<RunPlanOptions, 'runId' | 'git' | 'passed'> {
  const { options } = run
  return {
    plan: run.plan,
    workspace: run.workspace,
    selected: run.selected,
    wf: WF_VERSION,
    concurrency: options.concurrency,
    continueOnError: options.continueOnError || options.gatesOnly,
    force: options.force,
    overwrite: options.overwrite,
    signal: options.signal,
    onEvent: options.onEvent,
    gatesOnly: options.gatesOnly,
    files,
    ...(options.readOnly ? { readOnly: options.readOnly } : {}),
  }
}

/** A dry run, or a check that records nothing: the ledger is read, not taken. */
async function unrecordedRun(run: PreparedRun): Promise<ExecuteRunResult> {
  const { options, plan, selected } = run
  const { ledger: whole } = await readLedger(plan.root, WF_VERSION)
  const ledger = environmentView(whole, plan.environment)
  if (!options.gatesOnly) checkNeeds(plan, selected, ledger.phases)
  const planned: PlannedPhase[] = []
  const common = commonOptions(run, await checkedFiles(run))
  const result = await runPlan({
    ...common,
    onEvent: (event) => {
      if (event.type === 'plan-step')
        planned.push({ id: event.phase.id, decision: event.decision, reason: event.reason, steps: event.steps })
      return common.onEvent?.(event)
    },
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
    ...(options.dryRun ? { planned: inSelectionOrder(planned, selected) } : {}),
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
    if (!options.gatesOnly) checkNeeds(plan, selected, environmentView(writer.ledger, plan.environment).phases)
    workspace.loadHashCache(await writer.readHashCache())
    const files = await checkedFiles(run)
    const check = options.gatesOnly ? scopeOf(run, files) : undefined
    const started = await writer.startRun({ wf: WF_VERSION, git: await gitFacts, argv: options.argv, check })
    let status: RunStatus = 'failed'
    // A ledger write the disk refused stops the run: the phases left are cancelled, and finishRun,
    // which can no longer write, reports the failure.
    const stop = new AbortController()
    const onAbort = () => stop.abort()
    if (options.signal?.aborted) stop.abort()
    options.signal?.addEventListener('abort', onAbort, { once: true })
    let ended: EngineEvent | undefined
    try {
      const result = await runPlan({
        ...commonOptions(run, files),
        signal: stop.signal,
        runId: started.id,
        git: started.git,
        passed: { ...environmentView(writer.ledger, plan.environment).passed },
        approvals: writer.ledger.approvals,
        generated: { ...writer.ledger.generated },
        intend: (outputs, phase) => writer.intend(outputs, phase),
        onEvent: async (event) => {
          // The run's result is shown once its record is final, as each phase's is once it is recorded.
          if (event.type === 'run-end') {
            ended = event
            return
          }
          try {
            // A check changes nothing in the repository and never sets a phase's result: it is recorded
            // as the phase's last check, written once, at the end.
            if (event.type === 'phase-end' && check) writer.recordCheck(event.record)
            else if (event.type === 'phase-start' && !check) await writer.flushStart()
            else if (event.type === 'phase-end')
              await writer.recordPhase(event.record, event.passed, RAN.has(event.record.status))
          } catch (error) {
            if ((error as WfError | undefined)?.code !== 'WF_LEDGER_WRITE') throw error
            stop.abort()
            return
          }
          await options.onEvent?.(event)
        },
      })
      status = result.status
      return {
        status,
        runId: started.id,
        records: inSelectionOrder(result.records, selected),
        warnings: [...writer.warnings, ...result.warnings],
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort)
      await writer.finishRun(status)
      if (ended) await options.onEvent?.(ended)
      if (workspace.hasher.dirty) await writer.writeHashCache(workspace.hasher.cache)
    }
  } finally {
    await writer.close()
  }
}

/** Records in the order their phases were selected. */
function inSelectionOrder<T extends { id: string }>(records: T[], selected: string[]): T[] {
  const position = new Map<string, number>()
  for (const [i, id] of selected.entries()) if (!position.has(id)) position.set(id, i)
  const order = (id: string) => position.get(id) ?? -1
  return [...records].sort((a, b) => order(a.id) - order(b.id))
}

/** `wf check` arguments: the phase ids, and the files as repository-relative paths; anything else is a usage error. */
function splitTargets(plan: ResolvedPlan, cwd: string, targets: string[]): { named: string[]; files: string[] } {
  const ids = plan.phases.map((p) => p.id)
  const named = targets.filter((t) => ids.includes(t))
  const files = targets.filter((t) => !ids.includes(t)).map((t) => toRepoPath(plan.root, cwd, t, ids))
  return { named, files }
}

/** A file named on the command line, as a repository-relative path; it must exist and be a file. */
function toRepoPath(root: string, cwd: string, file: string, ids: string[]): string {
  const full = resolve(cwd, file)
  if (!isInside(root, full))
    throw new WfError('WF_USAGE', `${file} is neither a phase of the plan nor a file inside the repository`, {
      hint: 'run `wf list` to see the phases',
    })
  const stat = statSync(full, { throwIfNoEntry: false })
  if (!stat) {
    const close = suggest(file, ids)
    throw new WfError('WF_USAGE', `${file} is neither a phase of the plan nor a file`, {
      hint: close ? `did you mean \`${close}\`?` : 'run `wf list` to see the phases; files named must exist',
    })
  }
  if (stat.isDirectory())
    throw new WfError('WF_USAGE', `${file} is a directory; \`wf check\` takes phase ids and files`, {
      hint: 'name the files to check, or run `wf check` without files to check the whole tree',
    })
  return relative(root, full).split(sep).join('/')
}

function checkNeeds(plan: ResolvedPlan, selected: string[], latest: Parameters<typeof unmetNeeds>[2]): void {
  const unmet = unmetNeeds(plan, selected, latest)
  if (unmet.length === 0) return
  const list = unmet.map((u) => `\`${u.phase}\` needs \`${u.need}\` (${u.status})`).join(', ')
  throw new WfError('WF_UNMET_NEEDS', `unmet needs: ${list}`, {
    hint: 'run those phases first, or pass --with-deps to run them too',
  })
}
