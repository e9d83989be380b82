import { setTimeout as sleep } from 'node:timers/promises'
import type { TaskRecord } from '../ledger/ledger.js'
import { wroteOrFound } from '../ledger/intents.js'
import { taskKind } from '../plan/kinds.js'
import type { Task } from '../plan/plan.generated.js'
import type { ResolvedPhase } from '../plan/resolve-plan.js'
import { TASK_HANDLERS } from '../tasks/index.js'
import type { TaskContext, TaskKind, TaskOutcome } from '../tasks/task-kind.js'
import type { ResolvedEnv } from '../lib/environment.js'
import { taskName } from './names.js'
import { now, since, type PlanRun } from './plan-run.js'

/** One task of a phase in the run: where it is, and how it runs. */
interface TaskStep {
  phase: ResolvedPhase
  index: number
  task: Task
  env: ResolvedEnv
}

/**
 * Runs one task, retrying a failure as often as its `retries` allow (with a growing delay), and
 * returns its record; a task whose failure is allowed (`continue_on_error`) is marked so.
 */
export async function runTask(run: PlanRun, step: TaskStep): Promise<TaskRecord> {
  const { phase, index, task } = step
  const kind = taskKind(task)
  const handler = TASK_HANDLERS[kind] as TaskKind | undefined
  const name = taskName(task)
  await run.emit({ type: 'task-start', phase: phase.id, index, name, kind })
  const startedAt = now()
  const start = performance.now()
  const done = (extra: Partial<TaskRecord>): TaskRecord => ({
    name,
    kind,
    status: 'failed',
    startedAt,
    endedAt: now(),
    durationMs: since(start),
    ...extra,
  })
  if (!handler) return done({ message: `${kind} tasks are not available in this version of wf` })
  const retries = 'retries' in task ? (task.retries ?? 0) : 0
  const allowFailure = 'continue_on_error' in task && task.continue_on_error === true
  const signal = run.stop.signal
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptTask(run, step, handler)
    const record = done({
      status: outcome.status,
      attempts: attempt,
      exitCode: outcome.exitCode,
      message: outcome.message,
      output: outcome.output,
      ...(outcome.generated?.length ? { generated: outcome.generated } : {}),
    })
    if (outcome.status !== 'failed' || attempt > retries || signal.aborted) {
      if (outcome.status === 'failed' && allowFailure) record.allowedFailure = true
      return record
    }
    const delayMs = Math.min(5000, 250 * 2 ** (attempt - 1))
    await run.emit({
      type: 'task-retry',
      phase: phase.id,
      index,
      attempt,
      delayMs,
      message: outcome.message ?? 'failed',
    })
    await sleep(delayMs, undefined, { signal }).catch(() => {})
    if (signal.aborted)
      return done({
        status: 'cancelled',
        attempts: attempt,
        exitCode: outcome.exitCode,
        message: 'cancelled',
        output: outcome.output,
      })
  }
}

/**
 * Runs a phase's tasks in order, yielding each task's record once its start and output are
 * emitted; consecutive tasks of a kind that runs batches (template tasks) run as one batch, with
 * the same records and events in the same order. Stops before the next task once the run stops.
 */
export async function* runTasksInOrder(
  run: PlanRun,
  phase: ResolvedPhase,
  env: ResolvedEnv,
  tasks: readonly Task[],
): AsyncGenerator<{ index: number; record: TaskRecord }> {
  for (let index = 0; index < tasks.length; ) {
    if (run.stop.signal.aborted) return
    const task = tasks[index]!
    const kind = taskKind(task)
    const handler = TASK_HANDLERS[kind] as TaskKind | undefined
    let end = index + 1
    if (handler?.runBatch) while (end < tasks.length && taskKind(tasks[end]!) === kind) end++
    if (end === index + 1) {
      yield { index, record: await runTask(run, { phase, index, task, env }) }
      index++
      continue
    }
    for (const result of await runBatch(run, { phase, index, task, env }, tasks.slice(index, end), handler!)) {
      yield result
      index++
    }
  }
}

/** Runs tasks as one batch (see `runTasksInOrder`): returns the records of those that ran, each after emitting its start and output. */
async function runBatch(
  run: PlanRun,
  step: TaskStep,
  tasks: Task[],
  handler: TaskKind,
): Promise<Array<{ index: number; record: TaskRecord }>> {
  const { phase, index: first } = step
  const startedAt = now()
  const start = performance.now()
  const lines = tasks.map((): Array<[string, 'stdout' | 'stderr']> => [])
  let outcomes: TaskOutcome[]
  try {
    outcomes = await handler.runBatch!(tasks, taskContext(run, step), (i, line, stream) =>
      lines[i]?.push([line, stream]),
    )
  } catch (error) {
    outcomes = [{ status: 'failed' as const, message: (error as Error).message }]
  }
  const endedAt = now()
  // The batch's time, shared evenly: its tasks ran together.
  const durationMs = Math.round(since(start) / outcomes.length)
  const results: Array<{ index: number; record: TaskRecord }> = []
  for (const [i, outcome] of outcomes.entries()) {
    const index = first + i
    const task = tasks[i]!
    const name = taskName(task)
    await run.emit({ type: 'task-start', phase: phase.id, index, name, kind: taskKind(task) })
    for (const [line, stream] of lines[i]!) void run.emit({ type: 'task-output', phase: phase.id, index, line, stream })
    learnOutcome(run, step, outcome)
    results.push({
      index,
      record: {
        name,
        kind: taskKind(task),
        status: outcome.status,
        startedAt,
        endedAt,
        durationMs,
        attempts: 1,
        exitCode: outcome.exitCode,
        message: outcome.message,
        output: outcome.output,
        ...(outcome.generated?.length ? { generated: outcome.generated } : {}),
      },
    })
  }
  return results
}

/** What a task is given to run. */
function taskContext(run: PlanRun, step: TaskStep): TaskContext {
  const { workspace, options } = run
  const { phase, index } = step
  const intend = options.intend
  return {
    root: workspace.root,
    workspace,
    phase,
    env: step.env,
    signal: run.stop.signal,
    overwrite: options.overwrite,
    runId: options.runId,
    generated: options.generated,
    intend: intend && ((outputs) => intend(outputs, phase.id)),
    onLine: (line, stream) => void run.emit({ type: 'task-output', phase: phase.id, index, line, stream }),
  }
}

/** One attempt of a task; what it generated becomes known to the run. */
async function attemptTask(run: PlanRun, step: TaskStep, handler: TaskKind): Promise<TaskOutcome> {
  let outcome: TaskOutcome
  try {
    outcome = await handler.run(step.task, taskContext(run, step))
  } catch (error) {
    outcome = { status: 'failed' as const, message: (error as Error).message }
  }
  learnOutcome(run, step, outcome)
  return outcome
}

/** What a task's outcome tells the run about files. */
function learnOutcome(run: PlanRun, step: TaskStep, outcome: TaskOutcome): void {
  const { workspace, options } = run
  const { phase } = step
  // A task that failed may have written part of its files: forget what is known about files.
  if (outcome.status !== 'passed') workspace.filesChanged()
  // What a generator wrote (or found current) is known: the phase's fingerprint need not read it back.
  // (Files it kept or found edited by hand are not recorded as generated, so they stay in the whole tree.)
  for (const file of outcome.generated ?? []) {
    if (!wroteOrFound(file)) continue
    run.generatedFiles.add(file.path)
    workspace.hasher.wrote(file.path, file.hash)
    // Later tasks and the gates of this run judge the file by what it holds now (a merge holds a hand edit).
    if (options.generated) {
      const { hash, base, source } = file
      options.generated[file.path] = { hash, ...(base ? { base } : {}), source, phase: phase.id, at: now() }
    }
  }
}
