import type { ContractsCompatibleGate } from '../plan/plan.generated.js'
import type { ResultLocation } from '../ledger/ledger.js'
import { contractsGlob } from '../contracts/schema-set.js'
import type { ContractsDiff } from '../contracts/diff/diff-contracts.js'
import type { GateKind } from './gate-kind.js'

const SHOWN = 10

/** `contracts-compatible:` — no breaking change to the schemas since a git ref (default: the default branch), unless allowed. */
export const contractsCompatibleGate: GateKind<ContractsCompatibleGate> = {
  describe: (gate) =>
    `${gate['contracts-compatible'].schemas} compatible with ${gate['contracts-compatible'].against ?? 'the default branch'}`,
  inputs: (gate) => [contractsGlob(gate['contracts-compatible'].schemas)],
  // When the ref moves, the comparison changes even if no schema here did.
  refs: (gate) => [gate['contracts-compatible'].against],
  async check(gate, { root }) {
    const spec = gate['contracts-compatible']
    const { diffContracts, isBreaking } = await import('../contracts/diff/diff-contracts.js')
    const { impactLabel } = await import('../contracts/diff/kinds.js')
    let diff: ContractsDiff
    try {
      diff = await diffContracts(root, [spec.schemas], spec.against)
    } catch (error) {
      const message = (error as Error).message
      return { status: 'failed', message, locations: [{ file: spec.schemas, message }] }
    }
    const breaking = diff.changes.filter(isBreaking)
    if (breaking.length === 0) {
      const allowed = diff.allowed ? `, ${diff.allowed} allowed breaking` : ''
      return {
        status: 'passed',
        message: `${diff.changes.length} changes since ${diff.against}, none breaking${allowed}`,
      }
    }
    const locations: ResultLocation[] = breaking.map((c) => ({
      file: c.file,
      line: c.line ?? 1,
      col: c.col ?? 1,
      message: `${c.kind} (${impactLabel(c.breaks)}) at ${c.pointer || '/'}: ${c.why}`,
    }))
    const lines = locations.map((l) => `${l.file}:${l.line} ${l.message}`)
    const more = lines.length > SHOWN ? `; and ${lines.length - SHOWN} more` : ''
    return {
      status: 'failed',
      message: `${breaking.length} breaking ${breaking.length === 1 ? 'change' : 'changes'} since ${diff.against}: ${lines.slice(0, SHOWN).join('; ')}${more}`,
      locations,
    }
  },
}
