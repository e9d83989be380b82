import * as z from 'zod'
import { findPresets, queryWords, summarizePreset, type PresetSummary } from '../../app/find-presets.js'
import { WfError } from '../../lib/errors.js'
import { suggest } from '../../lib/suggest.js'
import { BUILTIN_PHASES } from '../../plan/builtin-phases.js'
import { gateKind } from '../../plan/kinds.js'
import { PRESET_CATEGORIES, type PresetCategory } from '../../plan/presets/preset.js'
import { paginate, pageInput, pageOutput } from '../paginate.js'
import { guard, ok, READ_ONLY, type ToolRegistration } from '../tool-kit.js'

const CATEGORIES = Object.keys(PRESET_CATEGORIES) as [PresetCategory, ...PresetCategory[]]

const input = z.strictObject({
  query: z
    .string()
    .max(200)
    .optional()
    .describe(
      'Words that must each appear (any case) in the id, name, description, category or tags, such as `security` or `pinned actions`.',
    ),
  category: z
    .enum(CATEGORIES)
    .optional()
    .describe(`Only presets of this category: ${CATEGORIES.map((c) => `${c} (${PRESET_CATEGORIES[c]})`).join(', ')}.`),
  tag: z.string().min(1).max(64).optional().describe('Only presets with this tag (any case), such as `scorecard`.'),
  ...pageInput,
})

/** A preset as list_presets and the wf://presets resource report it. */
export const presetSummary = z.object({
  id: z.string().describe('What follows `builtin:` in `extends`.'),
  name: z.string(),
  category: z.string(),
  categoryTitle: z.string(),
  tags: z.array(z.string()),
  summary: z.string().describe('The first sentence of the description.'),
  description: z.string().describe('Why it matters, and where wf judges differently from Scorecard or Repolinter.'),
  checks: z.number().describe('How many gates it has (wf://presets/{id} lists them with hints).'),
  use: z.string().describe('The line that reuses it in a phase of phases/*.yaml, below `- id: …`.'),
})

const output = { presets: z.array(presetSummary), ...pageOutput }

/** One preset with its checks, each with its hint (the `wf://presets/{id}` resource). */
export function readPreset(id: string): PresetSummary & {
  when?: unknown
  gates: { name: string; kind: string; hint: string; severity?: string; definition: Record<string, unknown> }[]
} {
  const preset = Object.hasOwn(BUILTIN_PHASES, id) ? BUILTIN_PHASES[id] : undefined
  if (!preset) {
    const near = suggest(id, Object.keys(BUILTIN_PHASES))
    // Resource errors carry no hint, so the likely typo goes in the message.
    throw new WfError('WF_UNKNOWN_PHASE', `no built-in preset \`${id}\`${near ? `; did you mean \`${near}\`?` : ''}`, {
      hint: 'list_presets (or the wf://presets resource) lists them',
    })
  }
  return {
    ...summarizePreset(id, preset),
    ...(preset.when ? { when: preset.when } : {}),
    gates: preset.gates.map((gate) => ({
      name: gate.name,
      kind: gateKind(gate),
      hint: gate.hint,
      ...(gate.severity ? { severity: gate.severity } : {}),
      definition: gate as unknown as Record<string, unknown>,
    })),
  }
}

/** `list_presets`: the built-in preset library, searched and filtered, in pages. */
export const registerListPresets: ToolRegistration = (server, context) => {
  server.registerTool(
    'list_presets',
    {
      title: 'List presets',
      description:
        "Search wf's built-in presets: ready-made governance phases (community health, security policy, supply chain, licensing, …) that a plan reuses with `extends: builtin:ID`. Each comes with why it matters and how many checks it has; read wf://presets/{id} for its checks and their hints. Filter by words, category or tag; results come in pages (pass `nextCursor` back as `cursor`). Use it to suggest policies for phases/*.yaml.",
      inputSchema: input,
      outputSchema: output,
      annotations: { title: 'List presets', ...READ_ONLY },
    },
    ({ query, category, tag, cursor, limit }) =>
      guard(context, async () => {
        const found = findPresets({ query, category, tag })
        const { page, total, nextCursor } = paginate(found, {
          id: (preset) => preset.id,
          query: { query: queryWords(query), category, tag: tag?.toLowerCase() },
          cursor,
          limit,
        })
        return ok({ presets: page, total, ...(nextCursor ? { nextCursor } : {}) })
      }),
  )
}
