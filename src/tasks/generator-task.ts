import type { Task } from '../plan/plan.generated.js'
import type { GenerateContext, OutputFile, TaskContext, TaskKind } from './task-kind.js'
import {
  applyOutputs,
  driftAdvice,
  planOutputs,
  unifiedDiff,
  WOULD,
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
}

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
      const generated = await applyOutputs(context.workspace, plans)
      const lines: string[] = []
      for (const plan of plans) {
        const note = plan.action === 'overwritten' ? `your edit saved in ${plan.backup}` : plan.note
        lines.push(`${plan.action.padEnd(9)} ${plan.path}${note ? ` (${note})` : ''}`)
        if (plan.action === 'drifted')
          lines.push(...(await unifiedDiff(plan.path, plan.current, plan.content)).split('\n'))
        if (plan.conflicts) lines.push(...describeConflicts(plan.path, plan.conflicts))
      }
      for (const line of lines) context.onLine(line, 'stdout')
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
        message: `${names} ${drifted.length === 1 ? 'was' : 'were'} changed by hand and not overwritten; ${driftAdvice(spec.overwrite ? 'template' : 'contracts')}`,
      }
    },
  }
}
