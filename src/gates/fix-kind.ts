import type { Workspace } from '../lib/workspace.js'
import type { FixEdit } from '../plan/plan.generated.js'

/** One file a fix writes: its content before (absent when the file is new) and after. */
export interface FixChange {
  path: string
  before?: string
  after: string
}

/** What applying a gate's fix will do, worked out before anything is written. */
export interface FixPlan {
  /** What the fix changes, in words. */
  description: string
  /** Files the fix writes (known in advance for templates and edits). */
  changes: FixChange[]
  /** A command the fix runs: what it changes is known only after it ran. */
  run?: string
  /** Set when the gate cannot be fixed offline: why, and how to fix it by hand. */
  manual?: string
}

/** What a structured edit needs to work out its changes. */
export interface EditContext {
  root: string
  workspace: Workspace
  /** The phase's vars (for `{{ … }}` in a header). */
  vars: Record<string, unknown>
}

/** Works out the files a structured edit (`fix: { edit }`) changes; files it would leave as they are are not listed. */
export type PlanEdit = (edit: FixEdit, context: EditContext) => Promise<FixChange[]>
