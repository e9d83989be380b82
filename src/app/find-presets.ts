import { BUILTIN_PHASES } from '../plan/builtin-phases.js'
import { PRESET_CATEGORIES, type Preset, type PresetCategory } from '../plan/presets/preset.js'

/** What to look for: every given filter must hold. */
export interface FindPresetsOptions {
  /** Words that must each appear (any case) in the id, name, description, category or tags. */
  query?: string
  category?: string
  tag?: string
}

/** A preset as listings show it. */
export interface PresetSummary {
  id: string
  name: string
  category: PresetCategory
  categoryTitle: string
  tags: string[]
  description: string
  /** How many gates (checks) it has. */
  checks: number
  /** The line a phase uses to reuse it. */
  use: string
}

const CATEGORY_ORDER = Object.keys(PRESET_CATEGORIES)

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

/** The summary of one preset. */
export function summarizePreset(id: string, preset: Preset): PresetSummary {
  return {
    id,
    name: preset.name,
    category: preset.category,
    categoryTitle: PRESET_CATEGORIES[preset.category],
    tags: preset.tags,
    description: preset.description,
    checks: preset.gates.length,
    use: `extends: builtin:${id}`,
  }
}

/**
 * The built-in presets that match, in a stable order: those whose id, category or a tag equals a
 * query word first, then by category (as PRESET_CATEGORIES lists them) and id.
 */
export function findPresets(options: FindPresetsOptions = {}): PresetSummary[] {
  const words = queryWords(options.query)
  const category = options.category?.toLowerCase()
  const tag = options.tag?.toLowerCase()
  const found = Object.entries(BUILTIN_PHASES)
    .filter(([id, p]) => {
      if (category && p.category !== category) return false
      if (tag && !p.tags.some((t) => t.toLowerCase() === tag)) return false
      return matchesWords(words, [id, p.name, p.description, p.category, PRESET_CATEGORIES[p.category], ...p.tags])
    })
    .map(([id, preset]) => {
      const exact = [id, preset.category, ...preset.tags].map((s) => s.toLowerCase())
      return { summary: summarizePreset(id, preset), rank: words.filter((w) => exact.includes(w)).length }
    })
  found.sort(
    (a, b) =>
      b.rank - a.rank ||
      CATEGORY_ORDER.indexOf(a.summary.category) - CATEGORY_ORDER.indexOf(b.summary.category) ||
      (a.summary.id < b.summary.id ? -1 : a.summary.id > b.summary.id ? 1 : 0),
  )
  return found.map((f) => f.summary)
}
