import * as z from 'zod'
import { matchesWords, queryWords } from '../../app/find-presets.js'
import { NEVER_RUN } from '../../ledger/statuses.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { ResolvedPlan } from '../../plan/resolve-plan.js'
import { paginate, pageInput, pageOutput } from '../paginate.js'
import type { PhaseStates } from '../repo-reader.js'
import { guard, ok, READ_ONLY, type ToolRegistration } from '../tool-kit.js'

/** The statuses list_phases reports (a phase's latest recorded status). */
const STATUSES = [
  'passed',
  'failed',
  'up-to-date',
  'skipped',
  'blocked',
  'cancelled',
  'interrupted',
  'awaiting-approval',
  'running',
  NEVER_RUN,
] as const

/** Results kept per plan and states, for as many argument sets. */
const KEPT_RESULTS = 16

const input = z.strictObject({
  category: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      "Only phases of this category, any case (a phase that extends a preset has the preset's, such as `security`).",
    ),
  tag: z.string().min(1).max(64).optional().describe('Only phases with this tag (any case).'),
  status: z.enum(STATUSES).optional().describe('Only phases whose latest recorded status is this one.'),
  text: z
    .string()
    .max(200)
    .optional()
    .describe('Words that must each appear (any case) in the id, name, description or tags of the phase.'),
  ...pageInput,
})

const output = {
  phases: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      description: z.string().optional(),
      category: z.string().optional(),
      tags: z.array(z.string()).optional(),
      needs: z.array(z.string()),
      status: z.string().describe(`The latest recorded status: ${STATUSES.join(', ')}.`),
      upToDate: z
        .boolean()
        .describe('True when running it now would be skipped: nothing it depends on changed since it passed.'),
      changes: z.array(z.string()).optional().describe('Why it is not up to date.'),
    }),
  ),
  ...pageOutput,
}

/** `list_phases`: the phases in the order wf runs them, with status and freshness; filtered and paged. */
export const registerListPhases: ToolRegistration = (server, context) => {
  // A page is a function of the plan, the phase states and the arguments: while the reader returns
  // the same plan and states (nothing changed), the same arguments get the result already made.
  let kept: { plan: ResolvedPlan; rows: PhaseStates; results: Map<string, CallToolResult> } | undefined
  server.registerTool(
    'list_phases',
    {
      title: 'List phases',
      description:
        "List the phases of the repository's wf plan in the order wf runs them (a phase comes after the phases it needs), with name, category, tags, needs, latest recorded status and whether it is up to date now. Filter by category, tag, status or text; results come in pages (pass `nextCursor` back as `cursor`). Start here to see what the governance plan contains and what is out of date; then use get_phase for one phase or next_phase for what to work on.",
      inputSchema: input,
      outputSchema: output,
      annotations: { title: 'List phases', ...READ_ONLY },
    },
    ({ category, tag, status, text, cursor, limit }) =>
      guard(context, async () => {
        const plan = await context.repo.plan()
        const rows = await context.repo.phaseStates()
        if (kept?.plan !== plan || kept.rows !== rows) kept = { plan, rows, results: new Map() }
        const key = JSON.stringify([category, tag, status, text, cursor, limit])
        const known = kept.results.get(key)
        if (known) return known
        const words = queryWords(text)
        const wantTag = tag?.toLowerCase()
        const wantCategory = category?.toLowerCase()
        const { page, total, nextCursor } = paginate(plan.phases, {
          id: (phase) => phase.id,
          matches: (phase) =>
            (!wantCategory || phase.category === wantCategory) &&
            (!wantTag || (phase.tags ?? []).some((t) => t.toLowerCase() === wantTag)) &&
            (!status || rows.get(phase.id)?.status === status) &&
            matchesWords(words, [phase.id, phase.name, phase.description, ...(phase.tags ?? [])]),
          query: { category: wantCategory, tag: wantTag, status, text: words },
          cursor,
          limit,
        })
        const result = ok({
          phases: page.map((phase) => {
            const row = rows.get(phase.id)!
            const fresh = row.freshness
            return {
              id: phase.id,
              name: phase.name,
              ...(phase.description ? { description: phase.description } : {}),
              ...(phase.category ? { category: phase.category } : {}),
              ...(phase.tags?.length ? { tags: phase.tags } : {}),
              needs: phase.needs,
              status: row.status,
              upToDate: fresh.upToDate,
              ...(fresh.upToDate ? {} : { changes: fresh.changes }),
            }
          }),
          total,
          ...(nextCursor ? { nextCursor } : {}),
        })
        if (kept.results.size >= KEPT_RESULTS) kept.results.delete(kept.results.keys().next().value!)
        kept.results.set(key, result)
        return result
      }),
  )
}
