import type { KindChecks } from '../plan/check-plan.js'
import { GATE_KINDS, TASK_KINDS } from '../plan/kinds.js'
import type { Gate, Task } from '../plan/plan.generated.js'
import { TASK_HANDLERS } from '../tasks/index.js'
import type { TaskKind } from '../tasks/task-kind.js'
import type { GateKind } from './gate-kind.js'
import { GATE_HANDLERS } from './index.js'

/** The task or gate kind that handles an item of a plan. */
function handlerOf(item: Task | Gate): TaskKind<Task> | GateKind<Gate> | undefined {
  const task = TASK_KINDS.find((k) => k in item)
  if (task) return TASK_HANDLERS[task] as TaskKind<Task> | undefined
  const gate = GATE_KINDS.find((k) => k in item)
  return gate ? (GATE_HANDLERS[gate] as GateKind<Gate> | undefined) : undefined
}

/** What each task and gate kind checks of its own options and paths when a plan is read. */
export const kindChecks: KindChecks = {
  paths: (item) => handlerOf(item)?.paths?.(item as never) ?? [],
  options: async (item, context) => (await handlerOf(item)?.checkOptions?.(item as never, context)) ?? [],
}
