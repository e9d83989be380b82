import type { Gate, Task } from './plan.generated.js'

/** Kind keys of tasks and gates, as in contracts/plan.schema.json (a test keeps them in step). */
export const TASK_KINDS = ['run', 'template', 'contracts'] as const
export const GATE_KINDS = [
  'files-exist',
  'files-absent',
  'file-contains',
  'forbid',
  'json-schema',
  'command',
  'coverage',
  'git',
  'generated',
  'contracts-compatible',
  'approval',
  'plugin',
  'workflow',
  'dockerfile',
  'binaries',
  'large-files',
  'markdown-links',
  'license',
  'manifest',
] as const

export type TaskKindName = (typeof TASK_KINDS)[number]
export type GateKindName = (typeof GATE_KINDS)[number]

/** The kind key of a task. */
export function taskKind(task: Task): TaskKindName {
  return TASK_KINDS.find((k) => k in task)!
}

/** The kind key of a gate. */
export function gateKind(gate: Gate): GateKindName {
  return GATE_KINDS.find((k) => k in gate)!
}
