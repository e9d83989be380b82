import type { ResolvedEnv } from '../lib/environment.js'
import type { Workspace } from '../lib/workspace.js'
import type { GeneratedFile } from '../ledger/ledger.js'
import type { ResolvedPhase } from '../plan/resolve-plan.js'
import type { Task } from '../plan/plan.generated.js'
import type { OptionProblem, PlanPath } from '../plan/check-plan.js'
import type { GeneratedOutput, OutputFile } from '../generate/outputs.js'

export type { GeneratedOutput, OutputFile }

/** What a task gets from the engine. */
export interface TaskContext {
  root: string
  /** The run's workspace (root, file hashes, git, shells, caches). */
  workspace: Workspace
  phase: ResolvedPhase
  env: ResolvedEnv
  signal: AbortSignal
  onLine(line: string, stream: 'stdout' | 'stderr'): void
  /** `--overwrite`: generated files edited by hand are saved under .wf/backup/<runId>/ and overwritten. */
  overwrite?: boolean
  /** The run's id (names the backup folder of files it overwrites). */
  runId?: string
  /** What wf last wrote to each generated file, by repository-relative path (from the ledger). */
  generated?: Record<string, GeneratedFile | undefined>
  /**
   * Records durably what a generator is about to write, before it renames the files into place, so
   * that a crash before the task's record is written leaves them known as wf's (absent: not recorded).
   */
  intend?(outputs: readonly GeneratedOutput[]): Promise<void>
}

/** How a task attempt ended. */
export interface TaskOutcome {
  status: 'passed' | 'failed' | 'cancelled'
  exitCode?: number | null
  message?: string
  /** The last lines of output (already redacted). */
  output?: string
  /** Files a generator task wrote or found current, to be recorded in the ledger. */
  generated?: GeneratedOutput[]
}

/** What a generator needs to compute its outputs: no writing, no output streaming. */
export type GenerateContext = Pick<TaskContext, 'root' | 'workspace' | 'phase' | 'env' | 'signal'> & {
  /** Set on paths that run no plan code (--dry-run, `wf mcp` without --allow-run): repository templates render in a sandbox. */
  readOnly?: string
}

/** One kind of task (`run`, `template`, `contracts`): the engine knows tasks only through this. */
export interface TaskKind<T extends Task = Task> {
  /** A one-line description, used as the task's name when it has none. */
  describe(task: T): string
  /** Globs of files the task reads (and, for generators, writes), part of its phase's fingerprint. */
  inputs?(task: T): string[]
  run(task: T, context: TaskContext): Promise<TaskOutcome>
  /**
   * Runs consecutive tasks of this kind as one batch, writing and reporting what `run` would for
   * each in turn, with one `intend` for the batch. Returns the outcomes of the first tasks (at
   * least one): a batch ends after a task that failed and before one that depends on what an
   * earlier one writes. `onLine` gets each task's lines with the task's place in `tasks`.
   */
  runBatch?(
    tasks: T[],
    context: TaskContext,
    onLine: (index: number, line: string, stream: 'stdout' | 'stderr') => void,
  ): Promise<TaskOutcome[]>
  /**
   * Generators (`template`, `contracts`): every file the task would write now, with its source.
   * The `generated` gate and `--dry-run` diffs call this; `run` writes what it returns.
   */
  outputs?(task: T, context: GenerateContext): Promise<Array<OutputFile & { source: string }>>
  /** Generators: what `run` would do to each file, with unified diffs, for `--dry-run`. Writes nothing. */
  preview?(task: T, context: GenerateContext & Pick<TaskContext, 'overwrite' | 'generated'>): Promise<string[]>
  /** Paths the task names, checked when the plan is read (inside the repository; present where they must be). */
  paths?(task: T): PlanPath[]
  /** Problems with the task's options that the plan schema cannot see. */
  checkOptions?(task: T, context: { root: string; deep: boolean }): Promise<OptionProblem[]> | OptionProblem[]
}
