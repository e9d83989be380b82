import * as z from 'zod'
import { executeRun } from '../../app/execute-run.js'
import {
  gateResult,
  guard,
  ok,
  phaseId,
  progressReporter,
  READ_ONLY,
  toGateResult,
  type McpContext,
  type ToolExtra,
  type ToolRegistration,
} from '../tool-kit.js'

const output = {
  status: z
    .string()
    .describe(
      'passed when no gate failed (warned and waived gates do not fail), failed otherwise, cancelled when the call was cancelled.',
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
  const result = await executeRun({
    cwd: context.cwd,
    gatesOnly: true,
    record: false,
    ...(id ? { only: [id] } : {}),
    lockTimeoutMs: 0,
    argv: ['mcp', 'check_phase', ...(id ? [id] : [])],
    signal: AbortSignal.any([extra.signal, context.shutdown]),
    onEvent: progressReporter(extra),
  })
  return {
    status: result.status,
    phases: result.records.map((record) => ({
      id: record.id,
      status: record.status,
      ...(record.reason ? { reason: record.reason } : {}),
      gates: (record.gates ?? []).map(toGateResult),
    })),
  }
}

/** `check_phase`: gates only, nothing written. */
export const registerCheckPhase: ToolRegistration = (server, context) => {
  server.registerTool(
    'check_phase',
    {
      title: 'Check gates',
      description:
        "Evaluate the gates of one phase (or of every phase when no id is given) against the repository as it is now, like `wf check`: no task runs and nothing is written (not even the ledger). Returns each gate's status and message, the files and lines it is about, and a hint for what would make a failing gate pass. Use it after editing files to see whether the phase would pass. `command` gates run the command the plan gives them. Sends a progress notification per gate when the request carries a progress token.",
      inputSchema: z.strictObject({
        id: phaseId.optional().describe('The phase whose gates to check; omit to check every phase.'),
      }),
      outputSchema: output,
      annotations: { title: 'Check gates', ...READ_ONLY },
    },
    ({ id }, extra) => guard(context, async () => ok(await checkGates(context, extra, id))),
  )
}
