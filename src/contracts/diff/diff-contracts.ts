// `wf contracts diff` and the `contracts-compatible` gate: schemas at a git ref against the work tree.
import { locatePointer } from '../locate-pointer.js'
import { readSchemaSet, readSchemaSetAt } from '../schema-set.js'
import { applyAllowances, readAllowances } from './allowances.js'
import { compareSchemaSets } from './compare.js'
import { guardedParty, type ContractChange } from './kinds.js'

export interface ContractsDiff {
  against: string
  schemas: string[]
  changes: ContractChange[]
  /** Breaking changes no allowance covers. */
  breaking: number
  allowed: number
  /** Breaking changes for the side the schema's `x-wf-direction` leaves out. */
  notCounted: number
  compatible: number
}

/** True for a breaking change that counts: no allowance covers it and the schema's direction does not exclude it. */
export function isBreaking(change: ContractChange): boolean {
  return change.breaks.length > 0 && !change.allowed && !change.notCounted
}

/** Classifies every change of the schemas in `specs` between `against` (default: the default branch) and the work tree. */
export async function diffContracts(root: string, specs: string[], against?: string): Promise<ContractsDiff> {
  const { defaultBranch } = await import('../../lib/git.js')
  const ref = against ?? (await defaultBranch(root))
  const changes: ContractChange[] = []
  for (const spec of specs) {
    const before = await readSchemaSetAt(root, spec, ref)
    const after = await readSchemaSet(root, spec)
    const found = compareSchemaSets(before, after)
    const byRel = new Map(after.entries.map((e) => [e.rel, e]))
    const beforeByRel = new Map(before.entries.map((e) => [e.rel, e]))
    for (const change of found) {
      const entry = byRel.get(change.file)
      if (entry)
        Object.assign(
          change,
          await locatePointer(
            entry,
            change.pointer,
            /\/properties\/[^/]+$|\/(definitions|\$defs)\/[^/]+$/.test(change.pointer),
          ),
        )
      const schema = (entry ?? beforeByRel.get(change.file))?.schema
      const direction = typeof schema === 'object' ? schema['x-wf-direction'] : undefined
      const guarded = guardedParty(direction)
      if (guarded && change.breaks.length > 0 && !change.breaks.includes(guarded)) {
        change.notCounted = `the schema says \`x-wf-direction: ${String(direction)}\`: this repository ${direction === 'output' ? 'writes' : 'reads'} the data, so only changes that break ${guarded} count`
      }
    }
    const { file, allowances } = await readAllowances(root, after.base)
    if (file) applyAllowances(found, allowances, after.base, file)
    changes.push(...found)
  }
  const breaking = changes.filter(isBreaking).length
  const allowed = changes.filter((c) => c.allowed && !c.notCounted).length
  const notCounted = changes.filter((c) => c.notCounted).length
  return {
    against: ref,
    schemas: specs,
    changes,
    breaking,
    allowed,
    notCounted,
    compatible: changes.length - breaking - allowed - notCounted,
  }
}
