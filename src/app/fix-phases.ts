import { sha256 } from '../lib/files.js'
import { WfError } from '../lib/errors.js'
import { phaseEnv } from '../lib/phase-env.js'
import { suggest } from '../lib/suggest.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { Workspace } from '../lib/workspace.js'
import { LedgerWriter, readLedger, type GateRecord, type PhaseRecord } from '../ledger/ledger.js'
import type { GeneratedFile } from '../ledger/ledger.js'
import type { Gate } from '../plan/plan.generated.js'
import type { ResolvedPhase, ResolvedPlan } from '../plan/resolve-plan.js'
import { applyOutputs, planOutputs, unifiedDiff } from '../generate/outputs.js'
import type { FixPlan } from '../gates/fix-kind.js'
import { planFix } from '../gates/fix-plan.js'
import { execStep } from '../tasks/exec-step.js'
import { gateName } from '../engine/names.js'
import { formatDuration, parseDuration } from '../lib/units.js'
import { executeRun } from './execute-run.js'

export interface FixPhasesOptions {
  cwd: string
  plan?: string
  environment?: string
  /** Phase ids to fix (all phases when empty). */
  phases?: string[]
  /** Fix only the gates with this name. */
  gate?: string
  /** Work out and show the fixes; write and run nothing. */
  dryRun?: boolean
  /** Also write files that have uncommitted changes. */
  yes?: boolean
  /**
   * Run no code from the plan or the repository, saying this as the reason: `command` and `plugin`
   * gates are not evaluated, templates render in the sandbox and `run` fixes are refused.
   */
  readOnly?: string
  lockTimeoutMs: number
  argv: string[]
  signal?: AbortSignal
  /** Output of `run` fixes, line by line. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void
}

/**
 * What became of one failing gate: `fixed` (it passes now), `failing` (fixed and checked again, or
 * its command failed: `message` says why), `manual` (it cannot be fixed offline: `message` says
 * why), `no-fix` (the plan gives none), `skipped` (another gate's fix writes the same file),
 * `refused` (it would write a file with uncommitted changes), `planned` (a dry run: what it would do).
 */
export interface GateFix {
  phase: string
  gate: string
  kind: string
  status: 'fixed' | 'failing' | 'manual' | 'no-fix' | 'skipped' | 'refused' | 'planned'
  message: string
  hint?: string
  /** What the fix does (absent for `no-fix`). */
  description?: string
  /** Files the fix writes, as unified diffs from what is on disk. */
  diffs?: Array<{ path: string; diff: string }>
  /** The command the fix runs. */
  run?: string
}

export interface FixPhasesResult {
  /** `passed`: every gate that failed is fixed (or none failed). */
  status: 'passed' | 'failed'
  dryRun: boolean
  gates: GateFix[]
}

/** A failing gate with its definition and the plan of its fix. */
interface Pending {
  entry: GateFix
  phase: ResolvedPhase
  index: number
  gate: Gate
  fix?: FixPlan
}

/**
 * Checks the gates of the selected phases, applies the fixes of those that fail (files through the
 * repository boundary, recorded as generated; then the commands), and checks them again. A dry run
 * works out each fix (and which would be refused) and writes nothing. Files with uncommitted changes are
 * left alone unless `yes`.
 */
export async function fixPhases(options: FixPhasesOptions): Promise<FixPhasesResult> {
  const dryRun = options.dryRun === true
  const first = await checkGates(options)
  const workspace = new Workspace(first.plan.root)
  try {
    const pending = await planFixes(first, workspace, options)
    const writing = pending.filter((p) => p.entry.status === 'planned' && p.fix!.changes.length > 0)
    if (!options.yes) await refuseUncommitted(workspace, writing)
    if (dryRun || pending.every((p) => p.entry.status !== 'planned')) return finish(pending, dryRun)
    await writeChanges(workspace, pending, options)
    await runCommands(workspace, pending, options)
    const again = await checkGates(options)
    for (const p of pending.filter((p) => p.entry.status === 'planned')) {
      const record = gateRecord(again.records, p.phase.id, p.index)
      if (!record || record.status === 'failed') {
        p.entry.status = 'failing'
        p.entry.message = record?.message ?? 'the gate was not checked again'
      } else {
        p.entry.status = 'fixed'
        p.entry.message = record.message
      }
    }
    return finish(pending, false)
  } finally {
    workspace.close()
  }
}

function finish(pending: Pending[], dryRun: boolean): FixPhasesResult {
  const gates = pending.map((p) => p.entry)
  return { status: gates.every((g) => g.status === 'fixed') ? 'passed' : 'failed', dryRun, gates }
}

/** Checks the selected phases' gates as `wf check` does, recording nothing. */
async function checkGates(options: FixPhasesOptions): Promise<{ plan: ResolvedPlan; records: PhaseRecord[] }> {
  let plan: ResolvedPlan | undefined
  const result = await executeRun({
    cwd: options.cwd,
    plan: options.plan,
    environment: options.environment,
    only: options.phases,
    gatesOnly: true,
    record: false,
    ...(options.readOnly === undefined ? {} : { readOnly: options.readOnly }),
    lockTimeoutMs: options.lockTimeoutMs,
    argv: options.argv,
    signal: options.signal,
    onPlan: (resolved) => {
      plan = resolved
    },
  })
  return { plan: plan!, records: result.records }
}

/** A phase's gates are checked in order, so a gate's record sits at its index. */
function gateRecord(records: PhaseRecord[], phase: string, index: number): GateRecord | undefined {
  return records.find((r) => r.id === phase)?.gates?.[index]
}

/** The failing gates (only those named `gate` when given), each with the plan of its fix. */
async function planFixes(
  checked: { plan: ResolvedPlan; records: PhaseRecord[] },
  workspace: Workspace,
  options: FixPhasesOptions,
): Promise<Pending[]> {
  const { plan, records } = checked
  if (options.gate !== undefined) {
    const names = records.flatMap((r) => plan.phases.find((p) => p.id === r.id)?.gates.map(gateName) ?? [])
    if (!names.includes(options.gate)) {
      const close = suggest(options.gate, names)
      throw new WfError('WF_USAGE', `no gate named \`${options.gate}\` in the phases checked`, {
        hint: close ? `did you mean \`${close}\`?` : 'run `wf check` to see the gates and their names',
      })
    }
  }
  const pending: Pending[] = []
  const claimed = new Map<string, GateFix>()
  for (const record of records) {
    const phase = plan.phases.find((p) => p.id === record.id)!
    const env = await phaseEnv(workspace, process.env, phase)
    for (const [index, result] of (record.gates ?? []).entries()) {
      const gate = phase.gates[index]!
      if (result.status !== 'failed' || (options.gate !== undefined && result.name !== options.gate)) continue
      const entry: GateFix = { phase: phase.id, gate: result.name, kind: result.kind, status: 'no-fix', message: '' }
      if (result.hint) entry.hint = result.hint
      let fix: FixPlan | undefined
      try {
        fix = await planFix(gate, { workspace, phase, env, sandbox: options.dryRun || options.readOnly !== undefined })
      } catch (error) {
        entry.status = 'failing'
        entry.message = `its fix could not be worked out: ${(error as Error).message}`
        pending.push({ entry, phase, index, gate })
        continue
      }
      pending.push({ entry, phase, index, gate, fix })
      if (!fix) {
        entry.message = result.message
        continue
      }
      entry.description = fix.description
      if (fix.manual !== undefined) {
        entry.status = 'manual'
        entry.message = fix.manual
        continue
      }
      if (fix.run !== undefined && options.readOnly !== undefined) {
        entry.status = 'refused'
        entry.message = `its fix runs \`${fix.run}\`: ${options.readOnly}`
        entry.run = fix.run
        continue
      }
      const taken = fix.changes.map((c) => claimed.get(c.path)).find(Boolean)
      if (taken) {
        entry.status = 'skipped'
        entry.message = `${fix.changes[0]!.path} is written by the fix of \`${taken.gate}\` (${taken.phase}) first`
        continue
      }
      for (const change of fix.changes) claimed.set(change.path, entry)
      entry.status = 'planned'
      entry.message = result.message
      if (fix.run !== undefined) entry.run = fix.run
      if (fix.changes.length)
        entry.diffs = await Promise.all(
          fix.changes.map(async (c) => ({ path: c.path, diff: await unifiedDiff(c.path, c.before, c.after) })),
        )
    }
  }
  return pending
}

/**
 * Marks as refused the fixes that would write a file with uncommitted changes (or, outside git, any
 * file that exists), unless the file still holds what wf itself last wrote there.
 */
async function refuseUncommitted(workspace: Workspace, writing: Pending[]): Promise<void> {
  const paths = writing.flatMap((p) => p.fix!.changes.filter((c) => c.before !== undefined).map((c) => c.path))
  if (paths.length === 0) return
  const git = await workspace.git.client()
  let dirty: Set<string>
  if (git) {
    const literal = paths.map((path) => `:(literal)${path}`)
    const out = await git.raw(['status', '--porcelain', '-z', '--untracked-files=all', '--', ...literal])
    dirty = new Set(
      out
        .split('\0')
        .filter((line) => line.length > 3)
        .map((line) => line.slice(3)),
    )
  } else dirty = new Set(paths)
  if (dirty.size === 0) return
  const { ledger } = await readLedger(workspace.root, WF_VERSION)
  const ours = (path: string, content?: string) =>
    content !== undefined && ledger.generated?.[path]?.hash === sha256(content)
  for (const p of writing) {
    const blocked = p.fix!.changes.filter((c) => dirty.has(c.path) && !ours(c.path, c.before))
    if (blocked.length === 0) continue
    p.entry.status = 'refused'
    p.entry.message = `${blocked.map((c) => c.path).join(', ')} ${blocked.length === 1 ? 'has' : 'have'} uncommitted changes`
    p.entry.hint =
      'commit them first, or pass --yes to let the fix write over them (the file is saved in .wf/backup/ first)'
  }
}

/** Writes the planned files (saving what they replace when wf did not write it), and records them as generated. */
async function writeChanges(workspace: Workspace, pending: Pending[], options: FixPhasesOptions): Promise<void> {
  const writing = pending.filter((p) => p.entry.status === 'planned' && p.fix!.changes.length > 0)
  if (writing.length === 0) return
  const writer = await LedgerWriter.open(workspace.root, {
    wf: WF_VERSION,
    lockTimeoutMs: options.lockTimeoutMs,
    command: ['wf', ...options.argv].join(' '),
    argv: options.argv,
  })
  try {
    const previous: Record<string, GeneratedFile | undefined> = writer.ledger.generated ?? {}
    for (const phase of new Set(writing.map((p) => p.phase.id))) {
      const files = writing
        .filter((p) => p.phase.id === phase)
        .flatMap((p) => p.fix!.changes.map((c) => ({ path: c.path, content: c.after, source: sourceOf(p.gate) })))
      const plans = await planOutputs(workspace, files, { previous, policy: 'if-unchanged', overwrite: true })
      await writer.intend(plans)
      await writer.recordGenerated(await applyOutputs(workspace, plans), phase)
    }
  } finally {
    await writer.close()
  }
}

/** What produced a fixed file, as the ledger records it: the template, or the kind of edit. */
function sourceOf(gate: Gate): string {
  const fix = (gate as { fix?: { template?: string; edit?: { kind: string } } }).fix
  return fix?.template ?? `fix: ${fix?.edit?.kind ?? 'edit'}`
}

/** Runs the `run` fixes in order, from the repository root with the phase's environment; a failed command fails its gate. */
async function runCommands(workspace: Workspace, pending: Pending[], options: FixPhasesOptions): Promise<void> {
  for (const p of pending) {
    if (p.entry.status !== 'planned' || p.fix!.run === undefined) continue
    const timeout = (p.gate as { fix?: { timeout?: string | number } }).fix?.timeout
    const env = await phaseEnv(workspace, process.env, p.phase)
    workspace.filesChanged()
    const result = await execStep(
      { command: p.fix!.run, ...(timeout === undefined ? {} : { timeout }) },
      { root: workspace.root, workspace, env, signal: options.signal, onLine: options.onLine },
    )
    workspace.filesChanged()
    const tail = result.tail.split('\n').slice(-5).join('\n').trim()
    if (result.timedOut) {
      p.entry.status = 'failing'
      p.entry.message = `\`${p.fix!.run}\` timed out after ${formatDuration(parseDuration(timeout!))}`
    } else if (result.exitCode !== 0) {
      p.entry.status = 'failing'
      p.entry.message = `\`${p.fix!.run}\` exited with ${result.exitCode ?? result.signal}${tail ? `:\n${tail}` : ''}`
    }
  }
}
