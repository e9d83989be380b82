import type { PhaseRecord } from '../ledger/ledger.js'
import { SATISFIED } from '../ledger/statuses.js'

/** How a phase ended, as its dependants see it. */
export type PhaseStatus = PhaseRecord['status']

/** A phase as the schedule knows it: its id and the ids it needs. */
export interface SchedulePhase {
  id: string
  needs: readonly string[]
}

/** The phases of a run and how they may run. */
export interface ScheduleOptions {
  /** The phases to run, in dependency order (each after everything it needs). */
  phases: readonly SchedulePhase[]
  /** How many phases may run at once (at least one). */
  concurrency: number
  /** Keep starting phases after one failed (its dependants are blocked all the same). */
  continueOnError?: boolean
  /** Start phases whatever they need, and block none (`wf check`). */
  ignoreNeeds?: boolean
  /** Phases that ended already, with their status; a need outside `phases` counts only when named here. */
  done?: Readonly<Record<string, PhaseStatus>>
  /** Phases already running. */
  running?: readonly string[]
}

/** A phase the schedule settles without running it: blocked by a need that did not pass, or cancelled as the run stops. */
export type SettledPhase =
  | { id: string; status: 'blocked'; need: string; needStatus: PhaseStatus }
  | { id: string; status: 'cancelled' }

/** What happens now: phases settled without running (in plan order), and phases that may start (in plan order). */
export interface ScheduleStep {
  settled: SettledPhase[]
  start: string[]
}

/**
 * Which phase runs when, without doing any of it: a phase may start once everything it needs
 * passed, is up to date or was skipped, and while fewer than `concurrency` phases run. A need that
 * ended otherwise blocks its dependants (and theirs); a failure stops the run unless
 * `continueOnError`, and a stopped run cancels every phase not yet started. Each phase is looked at
 * when something it needs ends, not on every step.
 */
export class Schedule {
  private readonly phases: readonly SchedulePhase[]
  private readonly index = new Map<string, number>()
  private readonly dependants = new Map<string, number[]>()
  private readonly unmet: number[]
  private readonly status = new Map<string, PhaseStatus>()
  private readonly pending = new Set<string>()
  private readonly running = new Set<string>()
  /** Indexes of pending phases whose needs are all met, highest first (the next to start is last). */
  private readonly ready: number[] = []
  private readonly settled: SettledPhase[] = []
  private stopping = false

  constructor(private readonly options: ScheduleOptions) {
    this.phases = options.phases
    this.phases.forEach((phase, i) => {
      this.index.set(phase.id, i)
      this.pending.add(phase.id)
      for (const need of phase.needs) {
        const list = this.dependants.get(need)
        if (list) list.push(i)
        else this.dependants.set(need, [i])
      }
    })
    this.unmet = this.phases.map((phase) => (options.ignoreNeeds ? 0 : phase.needs.length))
    for (let i = this.phases.length - 1; i >= 0; i--) if (this.unmet[i] === 0) this.ready.push(i)
    for (const id of options.running ?? []) {
      this.pending.delete(id)
      this.running.add(id)
    }
    for (const [id, status] of Object.entries(options.done ?? {})) this.end(id, status)
  }

  /** True once the run stops: a phase failed (without `continueOnError`) or `stop()` was called. */
  get stopped(): boolean {
    return this.stopping
  }

  /** Phases neither started nor settled, in plan order. */
  get waiting(): string[] {
    return [...this.pending]
  }

  /** Phases settled since the last step, and the phases that may start now (counted as running from here). */
  next(): ScheduleStep {
    const start: string[] = []
    while (!this.stopping && this.running.size < this.options.concurrency && this.ready.length > 0) {
      const id = this.phases[this.ready.pop()!]!.id
      if (!this.pending.delete(id)) continue
      this.running.add(id)
      start.push(id)
    }
    return { settled: this.settled.splice(0), start }
  }

  /** Records how a phase ended: its dependants may start, or are blocked; a failure may stop the run. */
  end(id: string, status: PhaseStatus): void {
    if (this.status.has(id)) return
    this.running.delete(id)
    this.pending.delete(id)
    this.status.set(id, status)
    if (!this.options.ignoreNeeds) {
      if (SATISFIED.has(status)) this.release(id)
      else this.block(id)
    }
    if (status === 'failed' && !this.options.continueOnError) this.stop()
  }

  /** Stops the run: every phase not started yet is cancelled. */
  stop(): void {
    this.stopping = true
    for (const id of this.pending) {
      this.status.set(id, 'cancelled')
      this.settled.push({ id, status: 'cancelled' })
    }
    this.pending.clear()
  }

  private release(id: string): void {
    for (const i of this.dependants.get(id) ?? []) {
      if (!this.pending.has(this.phases[i]!.id) || --this.unmet[i]! > 0) continue
      // Keep `ready` ordered so phases start in plan order.
      let at = this.ready.length
      while (at > 0 && this.ready[at - 1]! < i) at--
      this.ready.splice(at, 0, i)
    }
  }

  /** Blocks the pending phases that need `id`, directly or through each other, in plan order. */
  private block(id: string): void {
    const found = new Set<number>()
    const stack = [...(this.dependants.get(id) ?? [])]
    while (stack.length > 0) {
      const i = stack.pop()!
      const phase = this.phases[i]!
      if (found.has(i) || !this.pending.has(phase.id)) continue
      found.add(i)
      stack.push(...(this.dependants.get(phase.id) ?? []))
    }
    for (const i of [...found].sort((a, b) => a - b)) {
      const phase = this.phases[i]!
      const need = phase.needs.find((n) => this.status.has(n) && !SATISFIED.has(this.status.get(n)!))!
      this.pending.delete(phase.id)
      this.status.set(phase.id, 'blocked')
      this.settled.push({ id: phase.id, status: 'blocked', need, needStatus: this.status.get(need)! })
    }
  }
}
