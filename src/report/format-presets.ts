import { PRESET_CATEGORIES, type PresetCategory } from '../plan/presets/preset.js'

/** What the list needs of a preset. */
export interface PresetRow {
  id: string
  name: string
  category: PresetCategory
  summary: string
  checks: number
}

/** The presets grouped by category (groups in the order of their first preset), each with its checks and why. */
export function formatPresets(presets: PresetRow[]): string {
  const groups = new Map<PresetCategory, PresetRow[]>()
  for (const p of presets) groups.set(p.category, [...(groups.get(p.category) ?? []), p])
  const width = Math.max(...presets.map((p) => p.id.length))
  const out: string[] = []
  for (const [category, rows] of groups) {
    out.push(`${PRESET_CATEGORIES[category]} (${category})`)
    for (const p of rows)
      out.push(`  ${p.id.padEnd(width)}  ${p.name} · ${checks(p.checks)}`, `  ${' '.repeat(width)}  ${p.summary}`)
    out.push('')
  }
  return out.join('\n').trimEnd()
}

/** The presets as a Markdown table (the README's), in category order. */
export function presetsMarkdown(presets: PresetRow[]): string {
  const order = Object.keys(PRESET_CATEGORIES)
  const sorted = [...presets].sort((a, b) => order.indexOf(a.category) - order.indexOf(b.category))
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  return [
    '| Preset | Category | Checks | Why |',
    '|---|---|---|---|',
    ...sorted.map((p) => `| \`${p.id}\` | ${PRESET_CATEGORIES[p.category]} | ${p.checks} | ${cell(p.summary)} |`),
  ].join('\n')
}

const checks = (n: number) => `${n} ${n === 1 ? 'check' : 'checks'}`
