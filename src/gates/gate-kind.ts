import type { ResolvedEnv } from '../engine/environment.js'
import type { ResultLocation } from '../ledger/ledger.js'
import type { Gate } from '../plan/plan.generated.js'
import type { ResolvedPhase } from '../plan/resolve-plan.js'

/** What a gate gets from the engine. */
export interface GateContext {
  root: string
  phase: ResolvedPhase
  env: ResolvedEnv
  signal: AbortSignal
}

/** A gate's verdict before waivers and severity are applied. */
export interface GateOutcome {
  status: 'passed' | 'failed'
  message: string
  locations?: ResultLocation[]
}

/** One kind of gate: the engine knows gates only through this. */
export interface GateKind<G extends Gate = Gate> {
  describe(gate: G): string
  /** Globs of files the gate reads, part of its phase's fingerprint. */
  inputs?(gate: G): string[]
  check(gate: G, context: GateContext): Promise<GateOutcome>
}
