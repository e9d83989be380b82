import type { ResolvedEnv } from '../engine/environment.js'
import type { ResolvedPhase } from '../plan/resolve-plan.js'
import type { Task } from '../plan/plan.generated.js'

/** What a task gets from the engine. */
export interface TaskContext {
  root: string
  phase: ResolvedPhase
  env: ResolvedEnv
  signal: AbortSignal
  onLine(line: string, stream: 'stdout' | 'stderr'): void
}

/** How a task attempt ended. */
export interface TaskOutcome {
  status: 'passed' | 'failed' | 'cancelled'
  exitCode?: number | null
  message?: string
  /** The last lines of output (already redacted). */
  output?: string
}

/** One kind of task (`run`, `template`, `contracts`): the engine knows tasks only through this. */
export interface TaskKind<T extends Task = Task> {
  /** A one-line description, used as the task's name when it has none. */
  describe(task: T): string
  /** Globs of files the task reads, part of its phase's fingerprint. */
  inputs?(task: T): string[]
  run(task: T, context: TaskContext): Promise<TaskOutcome>
}
