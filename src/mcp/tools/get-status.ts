import * as z from 'zod'
import { guard, ok, READ_ONLY, type ToolRegistration } from '../tool-kit.js'
import { portable } from '../portable.js'

const output = {
  phases: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.string(),
      endedAt: z.string().optional(),
      durationMs: z.number().optional(),
      commit: portable.nullable(z.string(), 'The commit the phase last ran at; null outside a commit.').optional(),
      reason: z.string().optional(),
      check: z
        .object({
          status: z.string(),
          scope: z
            .object({ kind: z.string(), fileCount: z.number().optional(), files: z.array(z.string()).optional() })
            .optional(),
          runId: z.string(),
          endedAt: z.string().optional(),
          gates: z.record(z.string(), z.number()),
        })
        .optional()
        .describe(
          "The phase's last `wf check` (gates only; scope kind full, phases, files or staged): shown beside `status`, which only a full run sets.",
        ),
    }),
  ),
  active: z
    .object({ runId: z.string(), pid: z.number(), startedAt: z.string(), state: z.string() })
    .nullable()
    .describe('A run in progress (or one that died: interrupted).'),
  recent: z
    .array(
      z
        .object({
          id: z.string(),
          status: z.string(),
          startedAt: z.string(),
          endedAt: z.string().optional(),
          commit: portable.nullable(z.string(), 'The commit the run was at; null outside a commit.').optional(),
          counts: z.record(z.string(), z.number()).optional(),
        })
        .loose()
        .meta({ additionalProperties: true }),
    )
    .describe('The last runs, oldest first.'),
  waivers: z
    .array(
      z.object({
        phase: z.string(),
        gate: z.string(),
        reason: z.string(),
        owner: z.string(),
        until: z.string(),
        daysLeft: z.number(),
      }),
    )
    .describe(
      'Every gate failure that is waived, with the days left before the waiver expires (negative: expired, the gate fails).',
    ),
  approvalsPending: z.array(z.string()).describe('Phases waiting for a person to run `wf approve PHASE`.'),
  approvals: z.array(
    z.object({
      phase: z.string(),
      state: z.string(),
      by: z.string().optional(),
      at: z.string().optional(),
      note: z.string().optional(),
      command: z
        .string()
        .optional()
        .describe(
          'For a pending approval: the command a person runs to record it (with --sign when it must be signed).',
        ),
    }),
  ),
}

/** `get_status`: the ledger summary of `wf status`. */
export const registerGetStatus: ToolRegistration = (server, context) => {
  server.registerTool(
    'get_status',
    {
      title: 'Ledger status',
      description:
        'The ledger summary, as `wf status` shows it: the latest recorded result of every phase (status, when it ended, how long it took, at which commit, why) with its last `wf check` beside it, a run in progress, the last runs, every waiver with the days it has left, and the phases waiting for a human approval (`wf approve PHASE`, which an agent cannot do). Reads .wf/ledger.json only; computes nothing.',
      inputSchema: z.strictObject({}),
      outputSchema: output,
      annotations: { title: 'Ledger status', ...READ_ONLY },
    },
    () =>
      guard(context, async () => {
        const report = await context.repo.status(false)
        return ok({
          phases: report.phases.map(({ id, name, status, endedAt, durationMs, commit, reason, check }) => ({
            id,
            name,
            status,
            endedAt,
            durationMs,
            commit,
            reason,
            check,
          })),
          active: report.active,
          recent: report.recent,
          waivers: report.waivers,
          approvalsPending: report.approvals.filter((a) => a.state === 'pending').map((a) => a.phase),
          approvals: report.approvals,
        })
      }),
  )
}
