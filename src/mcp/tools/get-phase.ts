import * as z from 'zod'
import { selectPhases } from '../../engine/select-phases.js'
import { loadYaml } from '../../plan/yaml.js'
import { describePhase, phaseDefinition } from '../phase-definition.js'
import {
  guard,
  ok,
  phaseId,
  phaseResult,
  READ_ONLY,
  toGateResult,
  toTaskResult,
  type McpContext,
  type ToolRegistration,
} from '../tool-kit.js'

const output = {
  phase: phaseDefinition,
  upToDate: z.boolean().describe('True when running it now would be skipped.'),
  changes: z.array(z.string()).describe('Why it would run: what changed since it last passed.'),
  last: phaseResult
    .nullable()
    .describe('The latest recorded result with each task and gate and their messages; null when it never ran.'),
}

/** The definition, freshness and last result of one phase (also the `wf://phases/{id}` resource). */
export async function readPhase(context: McpContext, id: string): Promise<z.infer<z.ZodObject<typeof output>>> {
  const plan = await context.repo.plan()
  const [known] = selectPhases(plan, { only: [id] })
  const phase = plan.phases.find((p) => p.id === known)!
  const status = await context.repo.status(false)
  const row = status.phases.find((p) => p.id === known)!
  const record = (await context.repo.ledger()).phases[known!]
  const fresh = (await context.repo.freshness()).get(known!)!
  await loadYaml()
  return {
    phase: describePhase(phase),
    upToDate: fresh.upToDate,
    changes: fresh.changes,
    last: record
      ? {
          id: known!,
          status: row.status,
          reason: row.reason ?? record.reason,
          durationMs: record.durationMs,
          endedAt: record.endedAt,
          tasks: (record.tasks ?? []).map(toTaskResult),
          gates: (record.gates ?? []).map(toGateResult),
        }
      : null,
  }
}

/** `get_phase`: one phase's definition and last result. */
export const registerGetPhase: ToolRegistration = (server, context) => {
  server.registerTool(
    'get_phase',
    {
      title: 'Get a phase',
      description:
        'Show one phase of the wf plan: its definition (needs, inputs, tasks and what each does, gates and what each checks, where it is defined), whether it is up to date and why not, and its latest recorded result with every task and gate, their messages, file locations and hints. Use it to understand why a phase failed before changing files.',
      inputSchema: z.strictObject({ id: phaseId }),
      outputSchema: output,
      annotations: { title: 'Get a phase', ...READ_ONLY },
    },
    ({ id }) => guard(context, async () => ok(await readPhase(context, id))),
  )
}
