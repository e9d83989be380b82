/** A place in a source file; line and col are 1-based. */
export interface SourceLocation {
  file: string
  line?: number
  col?: number
  endCol?: number
}

/** One problem found in a plan, with where it is and what would fix it. */
export interface PlanIssue {
  code: string
  message: string
  location?: SourceLocation
  /** The offending source line, when there is one. */
  excerpt?: string
  expected?: string
  hint?: string
}

/** Stable error codes and the exit code each maps to. */
export const ERROR_CODES = {
  WF_USAGE: 2,
  WF_PLAN_INVALID: 2,
  WF_PLAN_NOT_FOUND: 2,
  WF_NOT_A_REPO: 2,
  WF_INIT_EXISTS: 2,
  WF_UNKNOWN_PHASE: 2,
  WF_UNMET_NEEDS: 2,
  WF_FAILED: 1,
  WF_LEDGER_BUSY: 3,
  WF_LEDGER_UNREADABLE: 3,
  WF_INTERRUPTED: 130,
  WF_INTERNAL: 1,
} as const

export type ErrorCode = keyof typeof ERROR_CODES

/** Base of every domain error: a stable code, a message without UI decoration, an optional hint. */
export class WfError extends Error {
  readonly code: ErrorCode
  readonly hint?: string
  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'WfError'
    this.code = code
    this.hint = options.hint
  }
}

/** A plan that cannot be used; carries every issue found, not just the first. */
export class PlanError extends WfError {
  readonly issues: PlanIssue[]
  constructor(issues: PlanIssue[]) {
    super('WF_PLAN_INVALID', `the plan has ${issues.length} ${issues.length === 1 ? 'error' : 'errors'}`)
    this.name = 'PlanError'
    this.issues = issues
  }
}

/** The exit code for any thrown value: domain errors by code, oclif parse errors as usage, anything else 1. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof WfError) return ERROR_CODES[err.code]
  const oclifExit = (err as { oclif?: { exit?: number } })?.oclif?.exit
  if (typeof oclifExit === 'number') return oclifExit
  return 1
}

/** The `--json` error object for any thrown value. */
export function toJsonError(err: unknown): { code: string; message: string; hint?: string; issues?: PlanIssue[] } {
  if (err instanceof PlanError) return { code: err.code, message: err.message, issues: err.issues }
  if (err instanceof WfError) return { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) }
  if ((err as { oclif?: unknown })?.oclif) return { code: 'WF_USAGE', message: (err as Error).message }
  return { code: 'WF_INTERNAL', message: err instanceof Error ? err.message : String(err) }
}
