import { GATE_HANDLERS } from '../gates/index.js'
import type { GateKind } from '../gates/gate-kind.js'
import type { FingerprintRecord, PhaseRecord } from '../ledger/ledger.js'
import { gateKind, taskKind } from '../plan/kinds.js'
import type { ResolvedPhase } from '../plan/resolve-plan.js'
import { TASK_HANDLERS } from '../tasks/index.js'
import type { TaskKind } from '../tasks/task-kind.js'
import type { ResolvedEnv } from '../lib/environment.js'
import { WfError } from '../lib/errors.js'
import { phaseEnv } from '../lib/phase-env.js'
import { fingerprintPhase, hashOutputs, outputChanges, type Fingerprint } from '../fingerprint/fingerprint.js'
import { changesSince } from '../fingerprint/freshness.js'
import { forgetRepositoryState } from '../fingerprint/repository-state.js'
import { saveTreeState } from '../fingerprint/tree-changes.js'
import { checkGate } from './check-gate.js'
import { evaluateCondition } from './conditions.js'
import { gateName, taskName } from './names.js'
import { baseRecord, finishPhase, now, since, type PlanRun } from './plan-run.js'
import { runTasksInOrder } from './run-task.js'
import type { PhaseStatus } from './schedule.js'

/**
 * Runs one phase: skipped when its condition is false, up to date when its fingerprint matches its
 * last pass (and nothing it needs runs first), else its tasks and then its gates; a dry run says
 * what it would do instead. Returns how the phase ended (for a dry run: passed, as it would).
 */
export async function runPhase(run: PlanRun, phase: ResolvedPhase): Promise<PhaseStatus> {
  const { options } = run
  let env: ResolvedEnv
  try {
    env = await phaseEnv(run.workspace, run.baseEnv, phase)
  } catch (error) {
    if (!(error instanceof WfError)) throw error
    return failEarly(run, phase, error.message)
  }
  let unknown: string | undefined
  if (phase.when) {
    const condition = await evaluateCondition(phase.when, {
      workspace: run.workspace,
      env,
      signal: run.stop.signal,
      readOnly: run.readOnly,
    })
    if (condition.value === false) return settleUnrun(run, phase, 'skipped', `condition is false: ${condition.reason}`)
    if (condition.value === undefined) {
      unknown = `its condition is not known: ${condition.reason}`
      // A read-only check cannot tell whether the phase applies: its gates are left alone too.
      if (!options.dryRun) return settleUnrun(run, phase, 'not-evaluated', unknown)
    }
  }
  if (options.gatesOnly) {
    // An approval is bound to the phase's fingerprint, so a check of one needs it too.
    const needsFingerprint = phase.gates.some((g) => gateKind(g) === 'approval')
    const fingerprint = needsFingerprint ? await fingerprintNow(run, phase, env) : undefined
    return executePhase(run, phase, 'gates only (wf check)', env, fingerprint)
  }
  const before = await fingerprintNow(run, phase, env)
  const last = options.passed[phase.id]
  const needsRerun = phase.needs.filter((id) => run.wouldRun.has(id))
  const outputs = !options.force && last?.hash === before.hash ? await outputChanges(last.outputs, run.workspace) : []
  if (!options.force && last?.hash === before.hash && needsRerun.length === 0 && outputs.length === 0) {
    run.fingerprints[phase.id] = before.hash
    return settleUnrun(run, phase, 'up-to-date', `nothing changed since it passed at ${last.at}`, before.hash)
  }
  const why = options.force
    ? 'forced'
    : !last
      ? 'it has not passed before'
      : needsRerun.length
        ? `${needsRerun.map((id) => `\`${id}\``).join(', ')} would run first`
        : outputs.length
          ? outputs.join('; ')
          : (await changesSince(run.workspace, last, before)).join('; ') || 'its inputs changed'
  if (options.dryRun)
    return previewPhase(run, phase, unknown ? `${unknown}; if it holds: ${why}` : why, env, before, unknown)
  return executePhase(run, phase, why, env, before)
}

/** The phase's fingerprint now, as its dependants will see it. */
function fingerprintNow(run: PlanRun, phase: ResolvedPhase, env: ResolvedEnv): Promise<Fingerprint> {
  return fingerprintPhase(phase, {
    workspace: run.workspace,
    wf: run.options.wf,
    env,
    needs: run.fingerprints,
    generated: run.generatedFiles,
    outputs: run.outputs,
  })
}

/** A phase that does not run: skipped, or up to date (with its fingerprint). */
async function settleUnrun(
  run: PlanRun,
  phase: ResolvedPhase,
  status: 'skipped' | 'up-to-date' | 'not-evaluated',
  reason: string,
  fingerprint?: string,
): Promise<PhaseStatus> {
  if (run.options.dryRun) {
    await run.emit({ type: 'plan-step', phase, decision: status, reason, steps: [] })
    return 'passed'
  }
  return finishPhase(run, phase, {
    ...baseRecord(run, phase),
    status,
    reason,
    ...(fingerprint ? { fingerprint } : {}),
    startedAt: now(),
    endedAt: now(),
    durationMs: 0,
  })
}

/** A dry run's account of a phase that would run: its tasks (with what generators would write) and gates. */
async function previewPhase(
  run: PlanRun,
  phase: ResolvedPhase,
  reason: string,
  env: ResolvedEnv,
  before: Fingerprint,
  unknown?: string,
): Promise<PhaseStatus> {
  const { options, workspace } = run
  run.wouldRun.add(phase.id)
  run.fingerprints[phase.id] = before.hash
  const steps: string[] = []
  for (const task of phase.tasks) {
    steps.push(`task: ${taskName(task)}`)
    const preview = (TASK_HANDLERS[taskKind(task)] as TaskKind | undefined)?.preview
    if (!preview) continue
    const context = { root: workspace.root, workspace, phase, env, signal: run.stop.signal, readOnly: run.readOnly }
    const lines = await preview(task, { ...context, overwrite: options.overwrite, generated: options.generated }).catch(
      (error: Error) => [`would fail: ${error.message}`],
    )
    steps.push(...lines.map((line) => `  ${line}`))
  }
  steps.push(...phase.gates.map((g) => `gate: ${gateName(g)}`))
  const missing = missingRequired(phase, env)
  if (missing) steps.unshift(`would fail: ${missing}`)
  await run.emit({ type: 'plan-step', phase, decision: unknown ? 'not-evaluated' : 'run', reason, steps })
  return 'passed'
}

/** Runs a phase's tasks (none for `wf check`), then its gates, and records the result. */
async function executePhase(
  run: PlanRun,
  phase: ResolvedPhase,
  reason: string,
  env: ResolvedEnv,
  before?: Fingerprint,
): Promise<PhaseStatus> {
  const { options } = run
  const gates = options.files
    ? phase.gates.filter((g) => (GATE_HANDLERS[gateKind(g)] as GateKind | undefined)?.perFile)
    : phase.gates
  const left = phase.gates.length - gates.length
  if (left > 0)
    reason += `; ${left} ${left === 1 ? 'gate needs' : 'gates need'} the whole tree and ${left === 1 ? 'was' : 'were'} not run`
  await run.emit({ type: 'phase-start', phase, reason })
  const startedAt = now()
  const start = performance.now()
  const record: PhaseRecord = {
    ...baseRecord(run, phase),
    startedAt,
    reason,
    ...(options.gatesOnly ? { gatesOnly: true } : {}),
  }
  const missing = options.gatesOnly ? undefined : missingRequired(phase, env)
  if (missing) {
    record.status = 'failed'
    record.reason = missing
    record.endedAt = now()
    record.durationMs = since(start)
    return finishPhase(run, phase, record)
  }
  const watched = run.writes && phase.tasks.length > 0 && !options.gatesOnly
  const treeBefore = watched ? await run.writes!.start(run.workspace) : undefined
  const tasks = await runTasks(run, phase, env, record)
  if (record.tasks!.length > 0) forgetRepositoryState(run.workspace)
  if (treeBefore) await run.writes!.end(phase, run.workspace, treeBefore)
  let cancelled = tasks === 'cancelled'
  if (tasks === 'passed') {
    record.gates = await Promise.all(gates.map((gate) => checkGate(run, phase, gate, env, before?.hash)))
    for (const gate of record.gates) await run.emit({ type: 'gate-end', phase: phase.id, gate })
    if (run.stop.signal.aborted) cancelled = true
  }
  concludePhase(run, record, { taskFailed: tasks === 'failed', cancelled })
  record.durationMs = since(start)
  const passed = record.status === 'passed' && before ? await passedWith(run, phase, env, before, record) : undefined
  return finishPhase(run, phase, record, passed)
}

/** What a phase's `requires` lacks in its environment, in words; undefined when every variable is set. */
function missingRequired(phase: ResolvedPhase, env: ResolvedEnv): string | undefined {
  const missing = (phase.requires ?? []).filter((name) => !env.vars[name])
  if (missing.length === 0) return undefined
  const list = missing.map((name) => `\`${name}\``).join(', ')
  return `${missing.length === 1 ? 'required variable' : 'required variables'} ${list} ${missing.length === 1 ? 'is' : 'are'} not set, so no task ran; set ${missing.length === 1 ? 'it' : 'them'} in the environment, .env or the plan's \`env\``
}

/** A phase that fails before it starts: its environment cannot be read. */
async function failEarly(run: PlanRun, phase: ResolvedPhase, reason: string): Promise<PhaseStatus> {
  if (run.options.dryRun) {
    await run.emit({ type: 'plan-step', phase, decision: 'run', reason, steps: [`would fail: ${reason}`] })
    return 'passed'
  }
  await run.emit({ type: 'phase-start', phase, reason })
  return finishPhase(run, phase, {
    ...baseRecord(run, phase),
    status: 'failed',
    reason,
    startedAt: now(),
    endedAt: now(),
    durationMs: 0,
  })
}

/** Runs the tasks in order until one fails (unless allowed to) or the run stops; says how they ended. */
async function runTasks(
  run: PlanRun,
  phase: ResolvedPhase,
  env: ResolvedEnv,
  record: PhaseRecord,
): Promise<'passed' | 'failed' | 'cancelled'> {
  const tasks = run.options.gatesOnly ? [] : phase.tasks
  for await (const { index, record: result } of runTasksInOrder(run, phase, env, tasks)) {
    record.tasks!.push(result)
    await run.emit({ type: 'task-end', phase: phase.id, index, task: result })
    if (result.status === 'cancelled') return 'cancelled'
    if (result.status === 'failed' && !result.allowedFailure) return 'failed'
  }
  return record.tasks!.length < tasks.length ? 'cancelled' : 'passed'
}

/** Sets a phase's status and reason from its tasks and gates. */
function concludePhase(run: PlanRun, record: PhaseRecord, ended: { taskFailed: boolean; cancelled: boolean }): void {
  const failedGates = record.gates!.filter((g) => g.status === 'failed').length
  const awaiting = record.gates!.find((g) => g.status === 'awaiting-approval')
  const unevaluated = record.gates!.filter((g) => g.status === 'not-evaluated').length
  record.status = ended.cancelled
    ? 'cancelled'
    : ended.taskFailed || failedGates > 0
      ? 'failed'
      : awaiting
        ? 'awaiting-approval'
        : unevaluated > 0
          ? 'not-evaluated'
          : 'passed'
  record.endedAt = now()
  if (record.status === 'not-evaluated')
    record.reason = `${unevaluated} ${unevaluated === 1 ? 'gate' : 'gates'} ${run.readOnly ?? 'not evaluated'}`
  if (record.status === 'awaiting-approval') record.reason = awaiting!.message
  if (record.status === 'failed')
    record.reason = ended.taskFailed
      ? (record.tasks!.at(-1)!.message ?? 'a task failed')
      : `${failedGates} gate(s) failed`
  if (record.status === 'cancelled')
    record.reason = run.options.signal?.aborted ? 'the run was interrupted' : 'stopped because another phase failed'
}

/** The fingerprint a phase passed with (taken again after tasks, which may have changed its files). */
async function passedWith(
  run: PlanRun,
  phase: ResolvedPhase,
  env: ResolvedEnv,
  before: Fingerprint,
  record: PhaseRecord,
): Promise<FingerprintRecord> {
  const after = phase.tasks.length > 0 ? await fingerprintNow(run, phase, env) : before
  record.fingerprint = after.hash
  run.fingerprints[phase.id] = after.hash
  if (after.inputs.repository) {
    // Read only when the tree is new to this run: listing every phase's pass for each phase is quadratic.
    const passed = run.options.passed
    const kept = {
      *[Symbol.iterator]() {
        for (const p of Object.values(passed)) if (p?.inputs.repository) yield p.inputs.repository
      },
    }
    await saveTreeState(run.workspace, after.inputs.repository, kept)
  }
  const outputs = await hashOutputs(phase, run.workspace)
  return {
    hash: after.hash,
    runId: run.options.runId,
    at: record.endedAt!,
    inputs: after.inputs,
    ...(outputs ? { outputs } : {}),
  }
}
