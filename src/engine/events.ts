import type { FingerprintRecord, GateRecord, PhaseRecord, RunStatus, TaskRecord } from '../ledger/ledger.js'
import type { ResolvedPhase } from '../plan/resolve-plan.js'

/** What the engine reports while it runs; reporters render these and the ledger records them. */
export type EngineEvent =
  | { type: 'run-start'; phases: ResolvedPhase[] }
  | { type: 'phase-start'; phase: ResolvedPhase; reason: string }
  | { type: 'task-start'; phase: string; index: number; name: string; kind: string }
  | { type: 'task-output'; phase: string; index: number; line: string; stream: 'stdout' | 'stderr' }
  | { type: 'task-retry'; phase: string; index: number; attempt: number; delayMs: number; message: string }
  | { type: 'task-end'; phase: string; index: number; task: TaskRecord }
  | { type: 'gate-end'; phase: string; gate: GateRecord }
  | { type: 'phase-end'; phase: ResolvedPhase; record: PhaseRecord; passed?: FingerprintRecord }
  | {
      type: 'plan-step'
      phase: ResolvedPhase
      /** not-evaluated: whether it runs depends on a condition the dry run does not evaluate (a command). */
      decision: 'run' | 'up-to-date' | 'skipped' | 'blocked' | 'not-evaluated'
      reason: string
      steps: string[]
    }
  | { type: 'run-end'; status: RunStatus; records: PhaseRecord[]; gatesOnly?: boolean }

/** Receives engine events; the engine waits for a returned promise (so a phase is recorded before the next starts). */
export type EventHandler = (event: EngineEvent) => void | Promise<void>
