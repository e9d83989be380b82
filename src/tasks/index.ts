import type { TaskKindName } from '../plan/kinds.js'
import { contractsTask } from './contracts.js'
import { runTask } from './run.js'
import { templateTask } from './template.js'
import type { TaskKind } from './task-kind.js'

/** Task kinds this version of wf can run; the others are reported as not available. */
export const TASK_HANDLERS: Partial<Record<TaskKindName, TaskKind<never>>> = {
  run: runTask,
  contracts: contractsTask,
  template: templateTask,
}
