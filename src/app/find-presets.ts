import { WfError } from '../lib/errors.js'
import { suggest } from '../lib/suggest.js'
import { BUILTIN_PHASES } from '../plan/builtin-phases.js'
import { PRESET_CATEGORIES, type Preset, type PresetCategory } from '../plan/presets/preset.js'

/** One preset as `wf presets` lists it. */
export interface PresetSummary {
  id: string
  name: string
  category: PresetCategory
  /** The category's title (`Supply chain`). */
  categoryTitle: string
  tags: string[]
  /** The first sentence of the description: why the preset matters. */
  summary: string
  description: string
  /** How many gates (checks) it has. */
  checks: number
  /** The line a phase uses to reuse it. */
  use: string
}

/** What to look for: words that must all match, a category, a tag. */
export interface FindPresetsOptions {
  query?: string
  category?: string
  tag?: string
}

// How much a word found in each field counts: a hit on the id or a tag outranks one in the prose.
const WEIGHTS = { id: 8, name: 5, tags: 4, category: 3, gates: 2, description: 1 } as const

/**
 * The presets matching every word of the query (in id, name, description, tags, category or gate
 * names, ignoring case), of the category and with the tag given: best matches first, else in
 * category order. An unknown category or tag is a usage error that names the close ones.
 */
export function findPresets(options: FindPresetsOptions = {}): PresetSummary[] {
  const entries = Object.entries(BUILTIN_PHASES)
  checkFilter('category', options.category, Object.keys(PRESET_CATEGORIES))
  const tag = options.tag?.toLowerCase()
  checkFilter('tag', tag, new Set(entries.flatMap(([, p]) => p.tags.map((t) => t.toLowerCase()))))
  const words = queryWords(options.query)
  const order = Object.keys(PRESET_CATEGORIES)
  return entries
    .filter(
      ([, p]) =>
        (!options.category || p.category === options.category) && (!tag || p.tags.some((t) => t.toLowerCase() === tag)),
    )
    .map(([id, preset], index) => ({ id, preset, index, score: scorePreset(id, preset, words) }))
    .filter((e) => e.score > 0)
    .sort(
      (a, b) =>
        b.score - a.score || order.indexOf(a.preset.category) - order.indexOf(b.preset.category) || a.index - b.index,
    )
    .map(({ id, preset }) => summarizePreset(id, preset))
}

/** The summary of one preset. */
export function summarizePreset(id: string, preset: Preset): PresetSummary {
  const { name, category, tags, description, gates } = preset
  const summary = /^.*?[.!?](?=\s|$)/s.exec(description)?.[0] ?? description
  return {
    id,
    name,
    category,
    categoryTitle: PRESET_CATEGORIES[category],
    tags,
    summary,
    description,
    checks: gates.length,
    use: `extends: builtin:${id}`,
  }
}

/** The words of a query, lower-cased; none for a blank query. */
export function queryWords(query: string | undefined): string[] {
  return (query ?? '').toLowerCase().split(/\s+/).filter(Boolean)
}

/** True when every word occurs (as written, in any case) in one of the fields. */
export function matchesWords(words: readonly string[], fields: readonly (string | undefined)[]): boolean {
  if (!words.length) return true
  const haystack = fields.filter(Boolean).join('\n').toLowerCase()
  return words.every((word) => haystack.includes(word))
}

// 0 when a word matches nowhere; 1 for every preset when there are no words.
function scorePreset(id: string, preset: Preset, words: string[]): number {
  const fields = {
    id: [id],
    name: [preset.name],
    tags: preset.tags,
    category: [preset.category, PRESET_CATEGORIES[preset.category]],
    gates: preset.gates.map((g) => g.name),
    description: [preset.description],
  }
  let total = 1
  for (const word of words) {
    let score = 0
    for (const [field, texts] of Object.entries(fields))
      if (texts.some((t) => t.toLowerCase().includes(word))) score += WEIGHTS[field as keyof typeof WEIGHTS]
    if (id === word) score += WEIGHTS.id
    if (score === 0) return 0
    total += score
  }
  return total
}

function checkFilter(what: string, value: string | undefined, known: Iterable<string>): void {
  if (value === undefined) return
  const all = [...known].sort()
  if (all.includes(value)) return
  const close = suggest(value, all)
  throw new WfError('WF_USAGE', `unknown ${what} "${value}"${close ? `; did you mean "${close}"?` : ''}`, {
    hint: `${what === 'tag' ? 'tags' : 'categories'}: ${all.join(', ')}`,
  })
}
