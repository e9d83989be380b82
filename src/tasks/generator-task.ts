import { resolve } from 'node:path'
import type { Task } from '../plan/plan.generated.js'
import type { GenerateContext, GeneratedOutput, OutputFile, TaskContext, TaskKind, TaskOutcome } from './task-kind.js'
import {
  applyOutputs,
  driftAdvice,
  keepBases,
  planOutputs,
  unifiedDiff,
  WOULD,
  type OutputPlan,
  type OverwritePolicy,
} from '../generate/outputs.js'
import { describeConflicts } from '../generate/merge-text.js'
import { BACKUP_DIR } from '../ledger/save-backup.js'

/** A generator task kind: how to describe it, what it reads, what it would write. */
export interface GeneratorSpec<T extends Task> extends Pick<TaskKind<T>, 'paths' | 'checkOptions'> {
  describe(task: T): string
  inputs?(task: T): string[]
  outputs(task: T, context: GenerateContext): Promise<Array<OutputFile & { source: string }>>
  overwrite?(task: T): OverwritePolicy | undefined
  /** Merge hand edits three ways with the new output (and what to do on a conflict); undefined: refuse them. */
  merge?(task: T): { conflicts: 'fail' | 'markers' } | undefined
  /** Every file the task reads or writes, as paths (no globs): given, consecutive tasks run as one batch. */
  batchFiles?(task: T): string[]
}

/** Whether a planned file makes its task fail: edited by hand and left alone, or conflicting with the new output. */
const failing = (plan: OutputPlan) => plan.action === 'drifted' || plan.action === 'conflicted'

/**
 * Turns a generator into a task kind: computes the outputs, writes those that are missing or
 * still hold what wf wrote last, and fails, with a diff, on files edited by hand (unless
 * `--overwrite` or `overwrite: always`, which save the edited file under .wf/backup/ first).
 */
export function generatorTask<T extends Task>(spec: GeneratorSpec<T>): TaskKind<T> {
  // What writing the task's outputs would do to each file, decided before anything is written.
  const planFor = async (task: T, context: GenerateContext & Pick<TaskContext, 'overwrite' | 'generated' | 'runId'>) =>
    planOutputs(context.workspace, await spec.outputs(task, context), {
      previous: context.generated ?? {},
      policy: spec.overwrite?.(task) ?? 'if-unchanged',
      overwrite: context.overwrite,
      backupId: context.runId,
      merge: spec.merge?.(task),
    })
  const batchFiles = spec.batchFiles
  const kind = spec.overwrite ? 'template' : 'contracts'
  return {
    describe: spec.describe,
    inputs: spec.inputs,
    outputs: spec.outputs,
    paths: spec.paths,
    checkOptions: spec.checkOptions,
    async preview(task, context) {
      const plans = await planFor(task, context)
      const lines: string[] = []
      for (const plan of plans) {
        const verb = WOULD[plan.action]
        const note =
          plan.action === 'overwritten' ? `${plan.note}; your edit would be saved under ${BACKUP_DIR}/` : plan.note
        lines.push(`${verb} ${plan.path}${note && plan.action !== 'drifted' ? ` (${note})` : ''}`)
        if (plan.action !== 'unchanged' && plan.action !== 'kept')
          lines.push(...(await unifiedDiff(plan.path, plan.current, plan.content)).split('\n').map((l) => `  ${l}`))
      }
      return lines
    },
    async run(task, context) {
      const plans = await planFor(task, context)
      await context.intend?.(plans)
      const boundary = context.workspace.boundary.holding()
      try {
        return await settle(plans, await applyOutputs(context.workspace, plans, boundary), context.onLine, kind)
      } finally {
        boundary.close()
      }
    },
    ...(batchFiles && {
      runBatch: (tasks, context, onLine) => runBatch(tasks, context, onLine, { planFor, batchFiles, kind }),
    }),
  }
}

/** What a generator task reports once its files are written: a line per file (with diffs and conflicts), and how it ended. */
async function settle(
  plans: OutputPlan[],
  generated: GeneratedOutput[],
  onLine: TaskContext['onLine'],
  kind: 'template' | 'contracts',
): Promise<TaskOutcome> {
  const lines: string[] = []
  for (const plan of plans) {
    const note = plan.action === 'overwritten' ? `your edit saved in ${plan.backup}` : plan.note
    lines.push(`${plan.action.padEnd(9)} ${plan.path}${note ? ` (${note})` : ''}`)
    if (plan.action === 'drifted') lines.push(...(await unifiedDiff(plan.path, plan.current, plan.content)).split('\n'))
    if (plan.conflicts) lines.push(...describeConflicts(plan.path, plan.conflicts))
  }
  for (const line of lines) onLine(line, 'stdout')
  const drifted = plans.filter((p) => p.action === 'drifted')
  const conflicted = plans.filter((p) => p.action === 'conflicted')
  const output = lines.join('\n')
  if (conflicted.length > 0) {
    const names = conflicted.map((p) => p.path).join(', ')
    return {
      status: 'failed',
      output,
      generated,
      message: `${names}: your edit conflicts with the new output; resolve it in the file${conflicted.some((p) => p.markers) ? ' (between the conflict markers)' : ' (or give the task `conflicts: markers` to have the markers written)'}, or run with --overwrite to replace it (your edit is saved in ${BACKUP_DIR}/ first)`,
    }
  }
  if (drifted.length === 0) return { status: 'passed', output, generated }
  const names = drifted.map((p) => p.path).join(', ')
  return {
    status: 'failed',
    output,
    generated,
    message: `${names} ${drifted.length === 1 ? 'was' : 'were'} changed by hand and not overwritten; ${driftAdvice(kind)}`,
  }
}

/** `runBatch` of a generator task kind (see TaskKind.runBatch). */
async function runBatch<T extends Task>(
  tasks: T[],
  context: TaskContext,
  onLine: (index: number, line: string, stream: 'stdout' | 'stderr') => void,
  generator: {
    planFor(task: T, context: TaskContext): Promise<OutputPlan[]>
    batchFiles(task: T): string[]
    kind: 'template' | 'contracts'
  },
): Promise<TaskOutcome[]> {
  // What each task is to write, decided in turn before anything is written; the batch ends after
  // a task that fails, and before one that reads or writes a file an earlier task of it writes.
  const planned: Array<{ plans: OutputPlan[] } | { error: Error }> = []
  const written = new Set<string>()
  for (const task of tasks) {
    const reads = generator.batchFiles(task).map((file) => resolve(context.root, file))
    if (planned.length > 0 && (context.signal.aborted || reads.some((file) => written.has(file)))) break
    try {
      const plans = await generator.planFor(task, context)
      planned.push({ plans })
      for (const plan of plans) written.add(plan.target)
      if (plans.some(failing)) break
    } catch (error) {
      planned.push({ error: error as Error })
      break
    }
  }
  try {
    // One journal entry for the batch, written before any of its files is renamed into place.
    await context.intend?.(planned.flatMap((entry) => ('plans' in entry ? entry.plans : [])))
  } catch (error) {
    // Nothing was written: the first task fails, as it would alone.
    return [{ status: 'failed', message: (error as Error).message }]
  }
  const outcomes: TaskOutcome[] = []
  const boundary = context.workspace.boundary.holding()
  try {
    try {
      // The batch's merge bases in one pack, before any of its files is written.
      keepBases(
        context.workspace,
        planned.flatMap((entry) => ('plans' in entry ? entry.plans : [])),
        boundary,
      )
    } catch (error) {
      outcomes.push({ status: 'failed', message: (error as Error).message })
      return outcomes
    }
    for (const [index, entry] of planned.entries()) {
      if ('error' in entry) {
        outcomes.push({ status: 'failed', message: entry.error.message })
        break
      }
      try {
        const generated = await applyOutputs(context.workspace, entry.plans, boundary, { basesKept: true })
        outcomes.push(
          await settle(entry.plans, generated, (line, stream) => onLine(index, line, stream), generator.kind),
        )
      } catch (error) {
        outcomes.push({ status: 'failed', message: (error as Error).message })
        break
      }
    }
  } finally {
    boundary.close()
  }
  return outcomes
}
