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

/** wf's process exit codes: passed or up to date, a task or gate failed, usage or plan error, ledger busy or unreadable, interrupted. */
export const EXIT = { PASSED: 0, FAILED: 1, USAGE: 2, LEDGER: 3, INTERRUPTED: 130 } as const

/** Stable error codes and the exit code each maps to. */
export const ERROR_CODES = {
  WF_USAGE: EXIT.USAGE,
  WF_PLAN_INVALID: EXIT.USAGE,
  WF_PLAN_NOT_FOUND: EXIT.USAGE,
  WF_NOT_A_REPO: EXIT.USAGE,
  WF_INIT_EXISTS: EXIT.USAGE,
  WF_UNKNOWN_PHASE: EXIT.USAGE,
  WF_UNKNOWN_ENVIRONMENT: EXIT.USAGE,
  WF_UNMET_NEEDS: EXIT.USAGE,
  WF_FAILED: EXIT.FAILED,
  WF_LEDGER_BUSY: EXIT.LEDGER,
  WF_LEDGER_UNREADABLE: EXIT.LEDGER,
  WF_LEDGER_WRITE: EXIT.LEDGER,
  WF_LEDGER_DAMAGED: EXIT.LEDGER,
  WF_WRITE_FAILED: EXIT.FAILED,
  WF_OUTSIDE_REPO: EXIT.USAGE,
  WF_INTERRUPTED: EXIT.INTERRUPTED,
  WF_INTERNAL: EXIT.FAILED,
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
  return EXIT.FAILED
}

/** The `--json` error object for any thrown value. */
export function toJsonError(err: unknown): { code: string; message: string; hint?: string; issues?: PlanIssue[] } {
  if (err instanceof PlanError) return { code: err.code, message: err.message, issues: err.issues }
  if (err instanceof WfError) return { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) }
  if ((err as { oclif?: unknown })?.oclif) return { code: 'WF_USAGE', message: (err as Error).message }
  return { code: 'WF_INTERNAL', message: err instanceof Error ? err.message : String(err) }
}
