import { cpus } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { GATE_HANDLERS } from '../gates/index.js'
import type { GateKind, GateOutcome } from '../gates/gate-kind.js'
import type {
  ApprovalRecord,
  FingerprintRecord,
  GateRecord,
  GeneratedFile,
  GitFacts,
  PhaseRecord,
  RunStatus,
  TaskRecord,
} from '../ledger/ledger.js'
import { gateKind, taskKind } from '../plan/kinds.js'
import type { Gate, Task } from '../plan/plan.generated.js'
import type { ResolvedPhase, ResolvedPlan } from '../plan/resolve-plan.js'
import { TASK_HANDLERS } from '../tasks/index.js'
import type { TaskKind, TaskOutcome } from '../tasks/task-kind.js'
import { evaluateCondition } from './conditions.js'
import { resolveEnv, type ResolvedEnv } from '../lib/environment.js'
import type { EventHandler } from './events.js'
import { FileHasher, filesMayHaveChanged } from '../lib/files.js'
import { describeChanges, fingerprintPhase, generatorOutputs, type Fingerprint } from '../fingerprint/fingerprint.js'
import { gateName, taskName } from './names.js'
import { forgetRepositoryState } from '../fingerprint/repository-state.js'
import { closeWorkers } from '../lib/shell-worker.js'

/** Statuses of a needed phase that let its dependants run. */
const SATISFIED = new Set(['passed', 'up-to-date', 'skipped'])

export interface RunPlanOptions {
  plan: ResolvedPlan
  /** Ids of the phases to run; phases they need outside this set must already be satisfied. */
  selected: string[]
  wf: string
  runId: string
  git: GitFacts
  /** What the ledger knows: each phase's last passed fingerprint. */
  passed: Record<string, FingerprintRecord | undefined>
  concurrency?: number
  continueOnError?: boolean
  force?: boolean
  dryRun?: boolean
  env?: NodeJS.ProcessEnv
  /** Hashes input files; pass one to reuse (and later save) its cache. */
  hasher?: FileHasher
  /** Approvals recorded in the ledger, by phase id. */
  approvals?: Record<string, ApprovalRecord | undefined>
  /** What wf last wrote to each generated file (from the ledger), for drift protection. */
  generated?: Record<string, GeneratedFile | undefined>
  /** `wf check`: run gates only (no tasks, no up-to-date skipping, needs ignored). */
  gatesOnly?: boolean
  /** Restrict file-based gates to these files; gates that need the whole tree are left out. */
  files?: string[]
  signal?: AbortSignal
  onEvent?: EventHandler
}

export interface RunPlanResult {
  status: RunStatus
  records: PhaseRecord[]
}

const now = () => new Date().toISOString()
const since = (start: number) => Math.round(performance.now() - start)

/**
 * Runs the selected phases over the DAG: a phase starts when everything it needs has passed,
 * is up to date or was skipped; up to `concurrency` phases run at once. A failure blocks the
 * failed phase's dependants and, unless `continueOnError`, cancels the rest.
 */
export async function runPlan(options: RunPlanOptions): Promise<RunPlanResult> {
  const emit: EventHandler = options.onEvent ?? (() => {})
  const selected = options.plan.phases.filter((p) => options.selected.includes(p.id))
  const concurrency = Math.max(1, options.concurrency ?? cpus().length)
  const hasher = options.hasher ?? new FileHasher(options.plan.root)
  // A plain copy: reading process.env goes through the C++ environment on every access.
  const baseEnv = options.env ?? { ...process.env }
  // Files the plan's generator tasks write (recorded in the ledger, and written in this run): whole-tree fingerprints leave them out.
  const generatedFiles = generatorOutputs(options.plan, Object.keys(options.generated ?? {}))
  const stop = new AbortController()
  const onOuterAbort = () => stop.abort()
  options.signal?.addEventListener('abort', onOuterAbort, { once: true })

  const status = new Map<string, PhaseRecord['status']>()
  const fingerprints: Record<string, string> = {}
  for (const id of new Set(selected.flatMap((p) => p.needs))) {
    if (!options.selected.includes(id)) {
      status.set(id, 'passed')
      fingerprints[id] = options.passed[id]?.hash ?? 'none'
    }
  }
  const records: PhaseRecord[] = []
  const finish = async (phase: ResolvedPhase, record: PhaseRecord, passed?: FingerprintRecord) => {
    status.set(phase.id, record.status)
    records.push(record)
    await emit({ type: 'phase-end', phase, record, passed })
  }
  const base = (phase: ResolvedPhase): PhaseRecord => ({
    id: phase.id,
    status: 'running',
    runId: options.runId,
    git: options.git,
    tasks: [],
    gates: [],
  })

  await emit({ type: 'run-start', phases: selected })
  let failed = false
  const running = new Map<string, Promise<void>>()
  const pending = [...selected]
  const wouldRun = new Set<string>()

  const startPhase = async (phase: ResolvedPhase) => {
    const env = resolveEnv(baseEnv, phase.env)
    const context = { root: options.plan.root, env, signal: stop.signal }
    if (phase.when) {
      const condition = await evaluateCondition(phase.when, context)
      if (!condition.value) {
        const reason = `condition is false: ${condition.reason}`
        if (options.dryRun) return emit({ type: 'plan-step', phase, decision: 'skipped', reason, steps: [] })
        return finish(phase, {
          ...base(phase),
          status: 'skipped',
          reason,
          startedAt: now(),
          endedAt: now(),
          durationMs: 0,
        })
      }
    }
    if (options.gatesOnly) {
      // An approval is bound to the phase's fingerprint, so a check of one needs it too.
      const needsFingerprint = phase.gates.some((g) => gateKind(g) === 'approval')
      return runPhase(
        phase,
        'gates only (wf check)',
        env,
        needsFingerprint
          ? await fingerprintPhase(phase, {
              root: options.plan.root,
              wf: options.wf,
              env,
              hasher,
              needs: fingerprints,
              generated: generatedFiles,
            })
          : undefined,
      )
    }
    const fingerprintContext = {
      root: options.plan.root,
      wf: options.wf,
      env,
      hasher,
      needs: fingerprints,
      generated: generatedFiles,
    }
    const before = await fingerprintPhase(phase, fingerprintContext)
    const last = options.passed[phase.id]
    const needsRerun = phase.needs.filter((id) => wouldRun.has(id))
    if (!options.force && last?.hash === before.hash && needsRerun.length === 0) {
      fingerprints[phase.id] = before.hash
      const reason = `nothing changed since it passed at ${last.at}`
      if (options.dryRun) return emit({ type: 'plan-step', phase, decision: 'up-to-date', reason, steps: [] })
      return finish(phase, {
        ...base(phase),
        status: 'up-to-date',
        reason,
        fingerprint: before.hash,
        startedAt: now(),
        endedAt: now(),
        durationMs: 0,
      })
    }
    const why = options.force
      ? 'forced'
      : !last
        ? 'it has not passed before'
        : needsRerun.length
          ? `${needsRerun.map((id) => `\`${id}\``).join(', ')} would run first`
          : describeChanges(last.inputs, before.inputs).join('; ') || 'its inputs changed'
    if (options.dryRun) {
      wouldRun.add(phase.id)
      fingerprints[phase.id] = before.hash
      const steps: string[] = []
      for (const task of phase.tasks) {
        steps.push(`task: ${taskName(task)}`)
        const preview = (TASK_HANDLERS[taskKind(task)] as TaskKind | undefined)?.preview
        if (preview) {
          const lines = await preview(task, {
            root: options.plan.root,
            phase,
            env,
            signal: stop.signal,
            force: options.force,
            generated: options.generated,
          }).catch((error: Error) => [`would fail: ${error.message}`])
          steps.push(...lines.map((line) => `  ${line}`))
        }
      }
      steps.push(...phase.gates.map((g) => `gate: ${gateName(g)}`))
      return emit({ type: 'plan-step', phase, decision: 'run', reason: why, steps })
    }
    await runPhase(phase, why, env, before)
  }

  const runPhase = async (phase: ResolvedPhase, reason: string, env: ResolvedEnv, before?: Fingerprint) => {
    const gates = options.files
      ? phase.gates.filter((g) => (GATE_HANDLERS[gateKind(g)] as GateKind | undefined)?.perFile)
      : phase.gates
    const left = phase.gates.length - gates.length
    if (left > 0)
      reason += `; ${left} ${left === 1 ? 'gate needs' : 'gates need'} the whole tree and ${left === 1 ? 'was' : 'were'} not run`
    await emit({ type: 'phase-start', phase, reason })
    const startedAt = now()
    const start = performance.now()
    const record: PhaseRecord = { ...base(phase), startedAt, reason, ...(options.gatesOnly ? { gatesOnly: true } : {}) }
    let taskFailed = false
    let cancelled = false
    for (const [index, task] of (options.gatesOnly ? [] : phase.tasks).entries()) {
      if (stop.signal.aborted) {
        cancelled = true
        break
      }
      const result = await runTask(phase, index, task, env)
      record.tasks!.push(result)
      await emit({ type: 'task-end', phase: phase.id, index, task: result })
      if (result.status === 'cancelled') {
        cancelled = true
        break
      }
      if (result.status === 'failed' && !result.allowedFailure) {
        taskFailed = true
        break
      }
    }
    if (record.tasks!.length > 0) forgetRepositoryState(options.plan.root)
    if (!taskFailed && !cancelled) {
      record.gates = await Promise.all(gates.map((gate) => checkGate(phase, gate, env, before?.hash)))
      for (const gate of record.gates) await emit({ type: 'gate-end', phase: phase.id, gate })
      if (stop.signal.aborted) cancelled = true
    }
    const gateFailed = record.gates!.some((g) => g.status === 'failed')
    const awaiting = record.gates!.find((g) => g.status === 'awaiting-approval')
    record.status = cancelled
      ? 'cancelled'
      : taskFailed || gateFailed
        ? 'failed'
        : awaiting
          ? 'awaiting-approval'
          : 'passed'
    if (record.status === 'awaiting-approval') record.reason = awaiting!.message
    record.endedAt = now()
    record.durationMs = since(start)
    if (record.status === 'failed')
      record.reason = taskFailed
        ? (record.tasks!.at(-1)!.message ?? 'a task failed')
        : `${record.gates!.filter((g) => g.status === 'failed').length} gate(s) failed`
    if (record.status === 'cancelled')
      record.reason = options.signal?.aborted ? 'the run was interrupted' : 'stopped because another phase failed'
    let passed: FingerprintRecord | undefined
    if (record.status === 'passed' && before) {
      const after =
        phase.tasks.length > 0
          ? await fingerprintPhase(phase, {
              root: options.plan.root,
              wf: options.wf,
              env,
              hasher,
              needs: fingerprints,
              generated: generatedFiles,
            })
          : before
      record.fingerprint = after.hash
      fingerprints[phase.id] = after.hash
      passed = { hash: after.hash, runId: options.runId, at: record.endedAt, inputs: after.inputs }
    }
    await finish(phase, record, passed)
  }

  const runTask = async (phase: ResolvedPhase, index: number, task: Task, env: ResolvedEnv): Promise<TaskRecord> => {
    const kind = taskKind(task)
    const handler = TASK_HANDLERS[kind] as TaskKind | undefined
    const name = taskName(task)
    await emit({ type: 'task-start', phase: phase.id, index, name, kind })
    const startedAt = now()
    const start = performance.now()
    const done = (extra: Partial<TaskRecord>): TaskRecord => ({
      name,
      kind,
      status: 'failed',
      startedAt,
      endedAt: now(),
      durationMs: since(start),
      ...extra,
    })
    if (!handler) return done({ message: `${kind} tasks are not available in this version of wf` })
    const retries = 'retries' in task ? (task.retries ?? 0) : 0
    const allowFailure = 'continue_on_error' in task && task.continue_on_error === true
    for (let attempt = 1; ; attempt++) {
      let outcome: TaskOutcome
      try {
        outcome = await handler.run(task, {
          root: options.plan.root,
          phase,
          env,
          signal: stop.signal,
          force: options.force,
          generated: options.generated,
          onLine: (line, stream) => void emit({ type: 'task-output', phase: phase.id, index, line, stream }),
        })
      } catch (error) {
        outcome = { status: 'failed' as const, message: (error as Error).message }
      }
      // A task that failed may have written part of its files: forget what is known about files.
      if (outcome.status !== 'passed') filesMayHaveChanged()
      // What a generator wrote (or found current) is known: the phase's fingerprint need not read it back.
      // (Files it kept or found edited by hand are not recorded as generated, so they stay in the whole tree.)
      for (const file of outcome.generated ?? []) {
        if (file.action !== 'created' && file.action !== 'updated' && file.action !== 'unchanged') continue
        generatedFiles.add(file.path)
        hasher.wrote(file.path, file.hash)
      }
      const record = done({
        status: outcome.status,
        attempts: attempt,
        exitCode: outcome.exitCode,
        message: outcome.message,
        output: outcome.output,
        ...(outcome.generated?.length ? { generated: outcome.generated } : {}),
      })
      if (outcome.status !== 'failed' || attempt > retries || stop.signal.aborted) {
        if (outcome.status === 'failed' && allowFailure) record.allowedFailure = true
        return record
      }
      const delayMs = Math.min(5000, 250 * 2 ** (attempt - 1))
      await emit({ type: 'task-retry', phase: phase.id, index, attempt, delayMs, message: outcome.message ?? 'failed' })
      await sleep(delayMs, undefined, { signal: stop.signal }).catch(() => {})
      if (stop.signal.aborted)
        return done({
          status: 'cancelled',
          attempts: attempt,
          exitCode: outcome.exitCode,
          message: 'cancelled',
          output: outcome.output,
        })
    }
  }

  const checkGate = async (
    phase: ResolvedPhase,
    gate: Gate,
    env: ResolvedEnv,
    fingerprint?: string,
  ): Promise<GateRecord> => {
    const kind = gateKind(gate)
    const handler = GATE_HANDLERS[kind] as GateKind | undefined
    const name = gateName(gate)
    const start = performance.now()
    let outcome: GateOutcome
    if (!handler)
      outcome = { status: 'failed' as const, message: `${kind} gates are not available in this version of wf` }
    else {
      try {
        outcome = await handler.check(gate, {
          root: options.plan.root,
          phase,
          env,
          signal: stop.signal,
          only: options.files,
          fingerprint,
          approvals: options.approvals,
          plan: options.plan,
          generated: options.generated,
        })
      } catch (error) {
        outcome = { status: 'failed' as const, message: `the gate could not run: ${(error as Error).message}` }
      }
    }
    const record: GateRecord = {
      name,
      kind,
      status: outcome.status,
      message: outcome.message,
      durationMs: since(start),
    }
    if (outcome.status !== 'passed' && gate.hint) record.hint = gate.hint
    if (outcome.locations?.length) record.locations = outcome.locations
    return applyPolicy(gate, record)
  }

  const blockedBy = (phase: ResolvedPhase) =>
    options.gatesOnly ? undefined : phase.needs.find((id) => status.has(id) && !SATISFIED.has(status.get(id)!))
  const ready = (phase: ResolvedPhase) =>
    options.gatesOnly || phase.needs.every((id) => status.has(id) && SATISFIED.has(status.get(id)!))

  try {
    while (pending.length > 0 || running.size > 0) {
      for (let i = 0; i < pending.length; i++) {
        const phase = pending[i]!
        const blocker = blockedBy(phase)
        const stopped = stop.signal.aborted || (failed && !options.continueOnError)
        if (blocker || stopped) {
          pending.splice(i--, 1)
          const reason = blocker
            ? `\`${blocker}\` ${status.get(blocker)}`
            : options.signal?.aborted
              ? 'the run was cancelled'
              : 'not started: the run stopped at the first failure'
          if (options.dryRun) await emit({ type: 'plan-step', phase, decision: 'blocked', reason, steps: [] })
          else await finish(phase, { ...base(phase), status: blocker ? 'blocked' : 'cancelled', reason })
          continue
        }
        if (running.size >= concurrency) break
        if (!ready(phase)) continue
        pending.splice(i--, 1)
        const job = startPhase(phase).then(() => {
          running.delete(phase.id)
          if (options.dryRun) status.set(phase.id, 'passed')
          if (status.get(phase.id) === 'failed') {
            failed = true
            if (!options.continueOnError) stop.abort()
          }
        })
        running.set(phase.id, job)
      }
      if (running.size === 0) {
        if (pending.length > 0) throw new Error(`no phase can start: ${pending.map((p) => p.id).join(', ')}`)
        break
      }
      await Promise.race(running.values())
    }
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort)
    closeWorkers()
  }
  const runStatus: RunStatus = options.signal?.aborted
    ? 'cancelled'
    : records.some((r) => r.status === 'failed' || r.status === 'blocked' || r.status === 'awaiting-approval')
      ? 'failed'
      : records.some((r) => r.status === 'cancelled')
        ? 'cancelled'
        : 'passed'
  await emit({ type: 'run-end', status: runStatus, records, ...(options.gatesOnly ? { gatesOnly: true } : {}) })
  return { status: runStatus, records }
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
