import type { ResolvedEnv } from '../lib/environment.js'
import type { Workspace } from '../lib/workspace.js'
import type { ApprovalRecord, GeneratedFile, ResultLocation } from '../ledger/ledger.js'
import type { Gate } from '../plan/plan.generated.js'
import type { ResolvedPhase, ResolvedPlan } from '../plan/resolve-plan.js'
import type { OptionProblem, PlanPath } from '../plan/check-plan.js'

/** What a gate gets from the engine. */
export interface GateContext {
  root: string
  /** The run's workspace (root, file hashes, git, shells, caches). */
  workspace: Workspace
  phase: ResolvedPhase
  env: ResolvedEnv
  signal: AbortSignal
  /**
   * When set (`wf check --staged`, or files named on the command line), file-based gates look
   * only at these repository-relative files; gates that need the whole tree are not run.
   */
  only?: string[]
  /** The phase's fingerprint for this run (what an approval is bound to). */
  fingerprint?: string
  /** Approvals recorded in the ledger, by phase id. */
  approvals?: Record<string, ApprovalRecord | undefined>
  /** The whole plan, for gates that look at other phases (`generated: { phases }`). */
  plan?: ResolvedPlan
  /** What wf last wrote to each generated file (from the ledger). */
  generated?: Record<string, GeneratedFile | undefined>
  /** Set on paths that run no plan code (--dry-run, `wf mcp` without --allow-run): what to say of what was not evaluated. */
  readOnly?: string
}

/** A gate's verdict before waivers and severity are applied. */
export interface GateOutcome {
  /**
   * `awaiting-approval` keeps the phase waiting for `wf approve` instead of failing it;
   * `not-evaluated`: the gate runs plan code and the run is read-only.
   */
  status: 'passed' | 'failed' | 'awaiting-approval' | 'not-evaluated'
  message: string
  locations?: ResultLocation[]
}

/** One kind of gate: the engine knows gates only through this. */
export interface GateKind<G extends Gate = Gate> {
  describe(gate: G): string
  /** Globs of files the gate reads, part of its phase's fingerprint. */
  inputs?(gate: G): string[]
  check(gate: G, context: GateContext): Promise<GateOutcome>
  /** True when checking the gate runs code the repository or plan gives (a command, a plugin): never on read-only paths. */
  executes?: boolean
  /** True when the gate judges files one by one, so it can run on just the staged files (`context.only`). */
  perFile?: boolean
  /** Git refs the gate compares against (the default branch when undefined); their commits are part of the phase's fingerprint. */
  refs?(gate: G): (string | undefined)[]
  /** Paths the gate names, checked when the plan is read (inside the repository; present where they must be). */
  paths?(gate: G): PlanPath[]
  /** Problems with the gate's options that the plan schema cannot see (a bad regex, glob or schema file). */
  checkOptions?(gate: G, context: { root: string; deep: boolean }): Promise<OptionProblem[]> | OptionProblem[]
}

/**
 * An input a gate names for "every file git does not ignore" (what `forbid` scans by default): the
 * phase is then fingerprinted by the whole tree, as one without `inputs` is, instead of by a walk
 * of every file that would take in ignored build output.
 */
export const WHOLE_TREE = ':whole-tree:'
