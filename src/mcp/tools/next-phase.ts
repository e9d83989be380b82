import * as z from 'zod'
import type { GateRecord } from '../../ledger/ledger.js'
import { gateKind, taskKind } from '../../plan/kinds.js'
import type { Gate } from '../../plan/plan.generated.js'
import type { ResolvedPhase } from '../../plan/resolve-plan.js'
import { gateName, taskName } from '../../engine/names.js'
import { type FileGateValue, fileGateValue } from '../../gates/file-options.js'
import { planFix } from '../../gates/fix-plan.js'
import { phaseEnv } from '../../lib/phase-env.js'
import { Workspace } from '../../lib/workspace.js'
import {
  gateResult,
  guard,
  ok,
  READ_ONLY,
  RUNS_PLAN_CODE,
  toGateResult,
  type McpContext,
  type ToolExtra,
  type ToolRegistration,
} from '../tool-kit.js'
import { checkGates } from './check-phase.js'

const fix = z.object({
  hint: z.string().optional().describe('What the plan says to do.'),
  create: z.array(z.string()).optional().describe('Files to create.'),
  templates: z
    .array(z.string())
    .optional()
    .describe(
      'Templates that create them (a `template:` task with `to:`, or `wf` built-in templates named in the hint).',
    ),
  command: z.string().optional().describe('A command to run (in the repository) to see or fix the problem.'),
  needsHuman: z.boolean().optional().describe('True when only a person can resolve it (an approval).'),
})

/** A gate's own fix (`fix:` in the plan), worked out without writing anything. */
const planFixOutput = z.object({
  gate: z.string().describe('The failing gate.'),
  kind: z.enum(['template', 'run', 'edit', 'manual']).describe('How the fix works.'),
  description: z.string().describe('What the fix does.'),
  files: z
    .array(z.string())
    .optional()
    .describe('Files it would write (template and edit fixes; a run fix changes what its command changes).'),
  manual: z.string().optional().describe('Why it cannot be fixed by a program, and how to fix it by hand.'),
})

const output = {
  done: z.boolean().describe('True when every phase is up to date (or skipped): nothing to do.'),
  phase: z
    .object({ id: z.string(), name: z.string(), description: z.string().optional(), status: z.string() })
    .nullable(),
  why: z.array(z.string()).describe('Why the phase would run: what changed since it passed.'),
  tasks: z
    .array(z.object({ kind: z.string(), does: z.string() }))
    .describe('What its tasks will do, in order, when it runs.'),
  gatesChecked: z
    .enum(['now', 'last-run', 'none'])
    .describe('now: gates were evaluated just now; last-run: these are the recorded results.'),
  failingGates: z.array(gateResult.extend({ fix })).describe('Gates that fail and what would make each pass.'),
  fixes: z
    .array(planFixOutput)
    .describe(
      'The fixes the plan gives for the failing gates (`fix:`), as `wf fix` would apply them; nothing was written.',
    ),
  notEvaluated: z
    .array(gateResult)
    .optional()
    .describe(
      'Gates (or the phase condition) that run plan code and were not evaluated because the server was started without --allow-run: unknown, not passing.',
    ),
  run: z
    .object({ tool: z.string().optional(), command: z.string() })
    .nullable()
    .describe('How to run the phase once its gates can pass.'),
  after: z.array(z.object({ id: z.string(), name: z.string() })).describe('Phases that need this one: they come next.'),
  remaining: z.number().describe('Phases not up to date, this one included.'),
  steps: z.array(z.string()).describe('What to do, in order.'),
}

type Output = z.infer<z.ZodObject<typeof output>>

/** `next_phase`: the next phase to work on, with guidance. */
export const registerNextPhase: ToolRegistration = (server, context) => {
  server.registerTool(
    'next_phase',
    {
      title: 'Next phase',
      description:
        'Find the next phase of the wf plan to work on — the first one, in dependency order, that is not up to date and whose needs are — and say how to get it passing: why it would run, what its tasks will do, which of its gates fail right now and what would make each pass (file to create, template that creates it, command to run, or a human approval), the fixes the plan gives them (`fixes`: what `wf fix` or fix_phase would write or run; nothing is written), how to run it, and which phases come after it. Follow `steps`. Gates are evaluated now without writing anything (like check_phase); pass `check: false` to use the recorded results of the last run instead (faster when gates run slow commands). ' +
        (context.allowRun
          ? '`command` and `plugin` gates run their command or module (they can change files).'
          : '`command` and `plugin` gates are not evaluated (this server was started without --allow-run): they are listed in `notEvaluated`, never as passing.'),
      inputSchema: z.strictObject({
        check: z.boolean().optional().describe("Evaluate the phase's gates now (default true)."),
      }),
      outputSchema: output,
      annotations: { title: 'Next phase', ...(context.allowRun ? RUNS_PLAN_CODE : READ_ONLY) },
    },
    ({ check }, extra) => guard(context, async () => ok(await nextPhase(context, extra, check !== false))),
  )
}

async function nextPhase(context: McpContext, extra: ToolExtra, check: boolean): Promise<Output> {
  const plan = await context.repo.plan()
  const status = await context.repo.status(true)
  const rows = new Map(status.phases.map((row) => [row.id, row]))
  // Phases run in plan order, after what they need: the first one not up to date has every need satisfied.
  const open = plan.phases.filter((p) => !rows.get(p.id)!.freshness!.upToDate && rows.get(p.id)!.status !== 'skipped')
  const phase = open[0]
  if (!phase) return ALL_DONE
  const row = rows.get(phase.id)!
  const { gates, gatesChecked, unknown } = await gateResults(context, extra, phase, check)
  const failing = gates
    .map((record, index) => ({ record, gate: definitionOf(phase, record, index) }))
    .filter(({ record }) => record.status === 'failed' || record.status === 'awaiting-approval')
  const failingGates = failing.map(({ record, gate }) => ({
    ...toGateResult(record),
    fix: fixFor(phase, record, gate),
  }))
  const fixes = await plannedFixes(
    context,
    phase,
    failing.filter(({ record }) => record.status === 'failed'),
  )
  const tasks = phase.tasks.map((task) => ({ kind: taskKind(task), does: taskName(task) }))
  const after = plan.phases.filter((p) => p.needs.includes(phase.id)).map((p) => ({ id: p.id, name: p.name }))
  const run = { ...(context.allowRun ? { tool: 'run_phase' } : {}), command: `wf run-phase ${phase.id}` }
  const notEvaluated = gates.filter((record) => record.status === 'not-evaluated').map(toGateResult)
  const steps = nextSteps(phase.id, failingGates, fixes, after, context)
  if (unknown || notEvaluated.length)
    steps.splice(
      failingGates.length,
      0,
      `${unknown ? `Whether phase \`${phase.id}\` applies is unknown (${unknown})` : `${notEvaluated.length} gate(s) run plan code and were not evaluated`}: ask the user to run \`wf check ${phase.id}\` to see them.`,
    )
  return {
    done: false,
    phase: {
      id: phase.id,
      name: phase.name,
      ...(phase.description ? { description: phase.description } : {}),
      status: row.status,
    },
    why: row.freshness!.changes,
    tasks,
    gatesChecked,
    failingGates,
    fixes,
    ...(notEvaluated.length || unknown
      ? {
          notEvaluated: unknown
            ? [{ name: `when: ${phase.id}`, kind: 'condition', status: 'not-evaluated', message: unknown }]
            : notEvaluated,
        }
      : {}),
    run,
    after,
    remaining: open.length,
    steps,
  }
}

const ALL_DONE: Output = {
  done: true,
  phase: null,
  why: [],
  tasks: [],
  gatesChecked: 'none',
  failingGates: [],
  fixes: [],
  run: null,
  after: [],
  remaining: 0,
  steps: ['Every phase is up to date: nothing to do. After changing files, call next_phase again.'],
}

/** The phase's gate results: evaluated now (when asked and it has gates), or those of its last run. */
async function gateResults(
  context: McpContext,
  extra: ToolExtra,
  phase: ResolvedPhase,
  check: boolean,
): Promise<{ gates: GateRecord[]; gatesChecked: Output['gatesChecked']; unknown?: string }> {
  if (check && phase.gates.length > 0) {
    const checked = await checkGates(context, extra, phase.id)
    const first = checked.phases[0]
    // A `when: run` condition a read-only server does not evaluate: the gates were not checked.
    if (first?.status === 'not-evaluated' && first.gates.length === 0)
      return { gates: [], gatesChecked: 'none', unknown: first.reason }
    return { gates: (first?.gates ?? []) as GateRecord[], gatesChecked: 'now' }
  }
  const gates = (await context.repo.ledger()).phases[phase.id]?.gates ?? []
  return { gates, gatesChecked: gates.length ? 'last-run' : 'none' }
}

/** What an agent should do, in order: fix each failing gate, confirm, run the phase, then ask again. */
function nextSteps(
  id: string,
  failingGates: Output['failingGates'],
  fixes: Output['fixes'],
  after: { id: string }[],
  { allowRun, allowWrite }: Pick<McpContext, 'allowRun' | 'allowWrite'>,
): string[] {
  const steps: string[] = []
  const fixable = fixes.filter((f) => f.kind !== 'manual')
  if (fixable.length)
    steps.push(
      allowWrite
        ? `The plan fixes ${fixable.map((f) => `\`${f.gate}\``).join(', ')} itself: call fix_phase {"phase": "${id}"} (the user confirms first), or \`wf fix ${id}\`.`
        : `The plan fixes ${fixable.map((f) => `\`${f.gate}\``).join(', ')} itself: ask the user to run \`wf fix ${id}\` (this server was started without --allow-write), or make the changes below.`,
    )
  for (const { name, message, fix } of failingGates) {
    const own = fixes.find((f) => f.gate === name)
    if (own?.kind === 'manual') steps.push(`Gate \`${name}\` needs a fix by hand: ${own.manual ?? own.description}.`)
    else if (fix.needsHuman)
      steps.push(
        `Gate \`${name}\` waits for an approval: ask a person to run \`wf approve ${id}\`; an agent cannot approve.`,
      )
    else
      steps.push(
        `Make gate \`${name}\` pass: ${message}.${fix.hint ? ` ${capitalize(fix.hint)}.` : ''}${fix.create?.length ? ` Create ${fix.create.join(', ')}.` : ''}${fix.templates?.length ? ` Template: ${fix.templates.join(', ')}.` : ''}${fix.command ? ` Run \`${fix.command}\` to see the output.` : ''}`,
      )
  }
  if (failingGates.length) steps.push(`Call check_phase {"id": "${id}"} to confirm the gates pass.`)
  steps.push(
    allowRun
      ? `Run the phase: call run_phase {"id": "${id}"}.`
      : `Run the phase: ask the user to run \`wf run-phase ${id}\` (this server was started without --allow-run).`,
  )
  if (after.length)
    steps.push(
      `Then call next_phase again; ${after.map((p) => `\`${p.id}\``).join(', ')} ${after.length === 1 ? 'needs' : 'need'} this phase.`,
    )
  return steps
}

/** The fixes the plan gives the failing gates, worked out without writing (repository templates render in the sandbox). */
async function plannedFixes(
  context: McpContext,
  phase: ResolvedPhase,
  failing: { record: GateRecord; gate: Gate | undefined }[],
): Promise<Output['fixes']> {
  const withFix = failing.filter(({ gate }) => gate && (gate as { fix?: unknown }).fix)
  if (withFix.length === 0) return []
  const workspace = new Workspace((await context.repo.plan()).root)
  try {
    const env = await phaseEnv(workspace, process.env, phase)
    const fixes: Output['fixes'] = []
    for (const { record, gate } of withFix) {
      const own = (gate as { fix: { manual?: string; run?: string; edit?: unknown } }).fix
      const kind = own.manual !== undefined ? 'manual' : own.run !== undefined ? 'run' : own.edit ? 'edit' : 'template'
      try {
        const plan = (await planFix(gate!, { workspace, phase, env, sandbox: true }))!
        const files = plan.changes.map((c) => c.path)
        fixes.push({
          gate: record.name,
          kind,
          description: plan.description,
          ...(files.length ? { files } : {}),
          ...(plan.manual !== undefined ? { manual: plan.manual } : {}),
        })
      } catch (error) {
        context.log(`the fix of ${record.name} could not be worked out: ${(error as Error).message}`)
      }
    }
    return fixes
  } finally {
    workspace.close()
  }
}

/** The plan's gate a result is about: at the same index when its name matches, else by name (recorded results can predate an edit of the plan). */
function definitionOf(phase: ResolvedPhase, record: GateRecord, index: number): Gate | undefined {
  const same = phase.gates[index]
  if (same && gateName(same) === record.name) return same
  return phase.gates.find((gate) => gateName(gate) === record.name)
}

/** What would make a failing gate pass, from its hint and its definition. */
function fixFor(phase: ResolvedPhase, record: GateRecord, gate: Gate | undefined): z.infer<typeof fix> {
  const result: z.infer<typeof fix> = {}
  const hint = record.hint ?? gate?.hint
  if (hint) result.hint = hint
  const templates = new Set([...(hint ?? '').matchAll(/`(builtin:[a-z0-9._-]+)`/g)].map((m) => m[1]!))
  if (record.status === 'awaiting-approval') return { ...result, needsHuman: true, command: `wf approve ${phase.id}` }
  if (gate && gateKind(gate) === 'files-exist') {
    const missing = fileGateValue((gate as { 'files-exist': FileGateValue })['files-exist']).paths.filter((pattern) =>
      record.message.includes(pattern),
    )
    if (missing.length) result.create = missing.map(firstAlternative)
    // A template task of the phase that writes one of the missing files is the way to create it.
    for (const task of phase.tasks as unknown as Record<string, unknown>[]) {
      if (
        typeof task.template === 'string' &&
        typeof task.to === 'string' &&
        missing.some((m) => m === task.to || firstAlternative(m) === task.to)
      )
        templates.add(`${task.template} (to ${task.to}, by this phase's template task)`)
    }
  }
  if (gate && gateKind(gate) === 'command') result.command = (gate as { command: string }).command
  if (templates.size) result.templates = [...templates]
  return result
}

/** The first path a brace glob like `{SECURITY.md,.github/SECURITY.md}` allows. */
function firstAlternative(pattern: string): string {
  const brace = /^\{([^{}]*)\}$/.exec(pattern)
  return brace ? brace[1]!.split(',')[0]! : pattern
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1).replace(/\.$/, '')
