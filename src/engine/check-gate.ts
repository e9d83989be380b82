import { GATE_HANDLERS } from '../gates/index.js'
import type { GateKind, GateOutcome } from '../gates/gate-kind.js'
import type { GateRecord } from '../ledger/ledger.js'
import { gateKind } from '../plan/kinds.js'
import type { Gate } from '../plan/plan.generated.js'
import type { ResolvedPhase } from '../plan/resolve-plan.js'
import type { ResolvedEnv } from '../lib/environment.js'
import { gateName } from './names.js'
import { since, type PlanRun } from './plan-run.js'

/** Checks one gate of a phase and returns its record, with the gate's waiver and severity applied. */
export async function checkGate(
  run: PlanRun,
  phase: ResolvedPhase,
  gate: Gate,
  env: ResolvedEnv,
  fingerprint?: string,
): Promise<GateRecord> {
  const kind = gateKind(gate)
  const handler = GATE_HANDLERS[kind] as GateKind | undefined
  const start = performance.now()
  let outcome: GateOutcome
  if (!handler) outcome = { status: 'failed', message: `${kind} gates are not available in this version of wf` }
  else if (handler.executes && run.readOnly)
    outcome = { status: 'not-evaluated', message: `${run.readOnly}: it would run ${handler.describe(gate)}` }
  else {
    const { options, workspace } = run
    try {
      outcome = await handler.check(gate, {
        root: workspace.root,
        workspace,
        phase,
        env,
        signal: run.stop.signal,
        only: options.files,
        fingerprint,
        approvals: options.approvals,
        plan: options.plan,
        generated: options.generated,
        ...(run.readOnly ? { readOnly: run.readOnly } : {}),
      })
    } catch (error) {
      outcome = { status: 'failed', message: `the gate could not run: ${(error as Error).message}` }
    }
  }
  const record: GateRecord = {
    name: gateName(gate),
    kind,
    status: outcome.status,
    message: outcome.message,
    durationMs: since(start),
  }
  if (outcome.status !== 'passed' && gate.hint) record.hint = gate.hint
  if (outcome.locations?.length) record.locations = outcome.locations
  return applyPolicy(gate, record)
}

/** Applies a gate's `severity` and `waive` to its verdict. */
export function applyPolicy(gate: Gate, record: GateRecord, today = new Date().toISOString().slice(0, 10)): GateRecord {
  if (record.status !== 'failed') return record
  if (gate.waive) {
    const expired = gate.waive.until < today
    const waiver = { reason: gate.waive.reason, owner: gate.waive.owner, until: gate.waive.until, expired }
    if (!expired)
      return {
        ...record,
        status: 'waived',
        waiver,
        message: `${record.message} (waived by ${gate.waive.owner} until ${gate.waive.until}: ${gate.waive.reason})`,
      }
    return {
      ...record,
      waiver,
      message: `${record.message} (the waiver by ${gate.waive.owner} expired on ${gate.waive.until})`,
    }
  }
  if (gate.severity === 'warning') return { ...record, status: 'warned' }
  return record
}
