import { GATE_HANDLERS } from '../gates/index.js'
import type { GateKind } from '../gates/gate-kind.js'
import { gateKind, taskKind } from '../plan/kinds.js'
import type { Gate, Task } from '../plan/plan.generated.js'
import { TASK_HANDLERS } from '../tasks/index.js'
import type { TaskKind } from '../tasks/task-kind.js'

/** A task's name in output, records and reports: its `name`, or how its kind describes it. */
export function taskName(task: Task): string {
  const handler = TASK_HANDLERS[taskKind(task)] as TaskKind | undefined
  return task.name ?? handler?.describe(task) ?? taskKind(task)
}

/** A gate's name in output, records and reports: its `name`, or how its kind describes it. */
export function gateName(gate: Gate): string {
  const handler = GATE_HANDLERS[gateKind(gate)] as GateKind | undefined
  return gate.name ?? handler?.describe(gate) ?? gateKind(gate)
}
