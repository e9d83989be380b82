import { generatorTask } from './generator-task.js'
import type { ContractsTask } from '../plan/plan.generated.js'
import { contractsGlob } from '../contracts/schema-set.js'

/** `contracts:` — TypeScript types (and, with `validators: true`, standalone validators) from a folder or glob of JSON Schemas. */
export const contractsTask = generatorTask<ContractsTask>({
  describe: (task) => `types from ${task.contracts} in ${task.out}${task.validators ? ' (with validators)' : ''}`,
  inputs: (task) => [contractsGlob(task.contracts), `${task.out.replace(/\/+$/, '')}/**`],
  paths: (task) => [
    { at: ['contracts'], value: task.contracts, mustExist: 'any', what: 'contracts' },
    { at: ['out'], value: task.out, mustExist: false, what: 'output path' },
  ],
  async outputs(task, context) {
    const { generateContracts } = await import('../contracts/generate.js')
    return generateContracts(context.root, { contracts: task.contracts, out: task.out, validators: task.validators })
  },
})
