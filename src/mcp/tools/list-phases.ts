import * as z from 'zod'
import { guard, ok, READ_ONLY, type ToolRegistration } from '../tool-kit.js'

const output = {
  phases: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      needs: z.array(z.string()),
      status: z
        .string()
        .describe(
          'The latest recorded status: passed, failed, up-to-date, skipped, blocked, cancelled, interrupted, awaiting-approval, running, or never-run.',
        ),
      upToDate: z
        .boolean()
        .describe('True when running it now would be skipped: nothing it depends on changed since it passed.'),
      changes: z.array(z.string()).optional().describe('Why it is not up to date.'),
    }),
  ),
}

/** `list_phases`: every phase in the order wf runs them, with status and freshness. */
export const registerListPhases: ToolRegistration = (server, context) => {
  server.registerTool(
    'list_phases',
    {
      title: 'List phases',
      description:
        "List every phase of the repository's wf plan in the order wf runs them (a phase comes after the phases it needs), with its name, needs, latest recorded status and whether it is up to date now. Start here to see what the governance plan contains and what is out of date; then use get_phase for one phase or next_phase for what to work on.",
      inputSchema: z.strictObject({}),
      outputSchema: output,
      annotations: { title: 'List phases', ...READ_ONLY },
    },
    () =>
      guard(context, async () => {
        const plan = await context.repo.plan()
        const status = await context.repo.status(true)
        const rows = new Map(status.phases.map((row) => [row.id, row]))
        return ok({
          phases: plan.phases.map((phase) => {
            const row = rows.get(phase.id)!
            const fresh = row.freshness!
            return {
              id: phase.id,
              name: phase.name,
              needs: phase.needs,
              status: row.status,
              upToDate: fresh.upToDate,
              ...(fresh.upToDate ? {} : { changes: fresh.changes }),
            }
          }),
        })
      }),
  )
}
