import * as z from 'zod'
import { checkPhases } from '../../app/check-phases.js'
import {
  gateResult,
  guard,
  ok,
  phaseId,
  NEEDS_ALLOW_RUN,
  progressReporter,
  READ_ONLY,
  RUNS_PLAN_CODE,
  toGateResult,
  type McpContext,
  type ToolExtra,
  type ToolRegistration,
} from '../tool-kit.js'

const output = {
  status: z
    .string()
    .describe(
      'passed when no gate failed (warned and waived gates do not fail) and every gate was evaluated; failed when a gate failed; not-evaluated when none failed but some gate or `when: run` condition runs plan code and the server was started without --allow-run; cancelled when the call was cancelled.',
    ),
  phases: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      reason: z.string().optional(),
      gates: z.array(gateResult),
    }),
  ),
}

/** Evaluates the gates of one phase (or all) now, writing nothing; shared with next_phase. */
export async function checkGates(
  context: McpContext,
  extra: ToolExtra,
  id?: string,
): Promise<z.infer<z.ZodObject<typeof output>>> {
  const result = await checkPhases({
    plan: await context.repo.plan(),
    ledger: await context.repo.ledger(),
    hashCache: await context.repo.hashCache(),
    env: context.env,
    ...(id ? { only: [id] } : {}),
    ...(context.allowRun ? {} : { readOnly: NEEDS_ALLOW_RUN }),
    signal: AbortSignal.any([extra.signal, context.shutdown]),
    onEvent: progressReporter(extra),
  })
  const unevaluated = result.records.some((record) => record.status === 'not-evaluated')
  return {
    status: result.status === 'passed' && unevaluated ? 'not-evaluated' : result.status,
    phases: result.records.map((record) => ({
      id: record.id,
      status: record.status,
      ...(record.reason ? { reason: record.reason } : {}),
      gates: (record.gates ?? []).map(toGateResult),
    })),
  }
}

/** `check_phase`: gates only, nothing written; plan code (command and plugin gates, `when: run`) only with --allow-run. */
export const registerCheckPhase: ToolRegistration = (server, context) => {
  server.registerTool(
    'check_phase',
    {
      title: 'Check gates',
      description:
        "Evaluate the gates of one phase (or of every phase when no id is given) against the repository as it is now, like `wf check`: no task runs and nothing is written (not even the ledger). Returns each gate's status and message, the files and lines it is about, and a hint for what would make a failing gate pass. Use it after editing files to see whether the phase would pass. Sends a progress notification per gate when the request carries a progress token. " +
        (context.allowRun
          ? '`command` gates run the command the plan gives them, `plugin` gates run their module and `when: { run }` conditions run their command: these can change files.'
          : '`command` and `plugin` gates and `when: { run }` conditions are not evaluated (this server was started without --allow-run): they come back as `not-evaluated`, never as passed; ask the user to run `wf check` for them.'),
      inputSchema: z.strictObject({
        id: phaseId.optional().describe('The phase whose gates to check; omit to check every phase.'),
      }),
      outputSchema: output,
      annotations: { title: 'Check gates', ...(context.allowRun ? RUNS_PLAN_CODE : READ_ONLY) },
    },
    ({ id }, extra) => guard(context, async () => ok(await checkGates(context, extra, id))),
  )
}
