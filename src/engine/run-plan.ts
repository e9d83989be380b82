import { availableParallelism } from 'node:os'
import type { PhaseRecord, RunStatus } from '../ledger/ledger.js'
import type { ResolvedPhase } from '../plan/resolve-plan.js'
import { baseRecord, createPlanRun, finishPhase, outsideNeeds, type PlanRun, type RunPlanOptions } from './plan-run.js'
import { readsWholeTree } from '../fingerprint/fingerprint.js'
import { writtenByWf } from '../fingerprint/repository-state.js'
import { runPhase } from './run-phase.js'
import { UndeclaredWrites } from './undeclared-writes.js'
import { Schedule, type SettledPhase } from './schedule.js'

export type { RunPlanOptions }

/** How the run ended, and every phase's record in the order the phases ended. */
export interface RunPlanResult {
  status: RunStatus
  records: PhaseRecord[]
  /** Files phases changed that no phase declares as an output, each with who wrote it and what the next run redoes. */
  warnings: string[]
}

/**
 * Runs the selected phases over the DAG: a phase starts when everything it needs has passed,
 * is up to date or was skipped; up to `concurrency` phases run at once. A failure blocks the
 * failed phase's dependants and, unless `continueOnError`, cancels the rest.
 */
export async function runPlan(options: RunPlanOptions): Promise<RunPlanResult> {
  const chosen = new Set(options.selected)
  const selected = options.plan.phases.filter((p) => chosen.has(p.id))
  const run = createPlanRun(options, selected)
  if (options.plan.phases.some(readsWholeTree)) {
    for (const path of await writtenByWf(run.workspace)) run.generatedFiles.add(path)
    if (!options.dryRun && !options.gatesOnly)
      run.writes = new UndeclaredWrites(selected, (path) => run.generatedFiles.has(path) || run.outputs(path))
  }
  const onOuterAbort = () => run.stop.abort()
  options.signal?.addEventListener('abort', onOuterAbort, { once: true })
  await run.emit({ type: 'run-start', phases: selected })
  try {
    await runPhases(run, selected)
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort)
  }
  const status = runStatus(run.records, options.signal?.aborted === true)
  const warnings = run.writes?.warnings() ?? []
  await run.emit({ type: 'run-end', status, records: run.records, ...(options.gatesOnly ? { gatesOnly: true } : {}) })
  return { status, records: run.records, warnings }
}

/** Starts phases as the schedule allows until every phase has ended. */
async function runPhases(run: PlanRun, selected: ResolvedPhase[]): Promise<void> {
  const { options } = run
  const byId = new Map(selected.map((p) => [p.id, p]))
  const schedule = new Schedule({
    phases: selected,
    concurrency: Math.max(1, options.concurrency ?? availableParallelism()),
    continueOnError: options.continueOnError,
    ignoreNeeds: options.gatesOnly,
    done: Object.fromEntries(outsideNeeds(options, selected).map((id) => [id, 'passed' as const])),
  })
  const running = new Map<string, Promise<void>>()
  for (;;) {
    if (run.stop.signal.aborted) schedule.stop()
    const step = schedule.next()
    for (const settled of step.settled) await settlePhase(run, byId.get(settled.id)!, settled)
    for (const id of step.start) {
      const job = runPhase(run, byId.get(id)!).then((status) => {
        running.delete(id)
        // A dry run goes on as if every phase passed.
        schedule.end(id, options.dryRun ? 'passed' : status)
        if (schedule.stopped) run.stop.abort()
      })
      running.set(id, job)
    }
    if (running.size === 0) {
      if (schedule.waiting.length > 0) throw new Error(`no phase can start: ${schedule.waiting.join(', ')}`)
      return
    }
    await Promise.race(running.values())
  }
}

/** Records a phase that never started: blocked by a need, or cancelled as the run stopped. */
async function settlePhase(run: PlanRun, phase: ResolvedPhase, settled: SettledPhase): Promise<void> {
  const reason =
    settled.status === 'blocked'
      ? `\`${settled.need}\` ${settled.needStatus}`
      : run.options.signal?.aborted
        ? 'the run was cancelled'
        : 'not started: the run stopped at the first failure'
  if (run.options.dryRun) await run.emit({ type: 'plan-step', phase, decision: 'blocked', reason, steps: [] })
  else await finishPhase(run, phase, { ...baseRecord(run, phase), status: settled.status, reason })
}

/**
 * How the run ended: cancelled when it was interrupted; failed when a phase failed, was blocked or
 * awaits approval; cancelled when a phase was stopped; else passed.
 */
export function runStatus(records: readonly PhaseRecord[], interrupted: boolean): RunStatus {
  if (interrupted) return 'cancelled'
  const has = (...statuses: PhaseRecord['status'][]) => records.some((r) => statuses.includes(r.status))
  if (has('failed', 'blocked', 'awaiting-approval')) return 'failed'
  if (has('cancelled')) return 'cancelled'
  return 'passed'
}
