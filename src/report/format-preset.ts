import { PRESET_CATEGORIES, type PresetCategory } from '../plan/presets/preset.js'

/** What `wf presets show` prints of a preset. */
export interface PresetDetailLike {
  id: string
  name: string
  category: PresetCategory
  tags: string[]
  description: string
  when?: unknown
  gates: { name: string; checks: string; severity: string; hint: string }[]
  usage: string
}

/** A preset in full: what it is for, when it applies, each check with what it checks and what to do, and how to use it. */
export function formatPreset(preset: PresetDetailLike): string {
  const lines = [
    `${preset.id}: ${preset.name}`,
    `category: ${PRESET_CATEGORIES[preset.category]} (${preset.category})`,
    `tags: ${preset.tags.join(', ')}`,
    ...(preset.when ? [`when: ${JSON.stringify(preset.when)}`] : []),
    '',
    preset.description,
    '',
    `checks (${preset.gates.length}):`,
  ]
  for (const gate of preset.gates)
    lines.push(
      `  - ${gate.name}${gate.severity === 'warning' ? ' (warning)' : ''}`,
      `    checks: ${gate.checks}`,
      `    hint: ${gate.hint}`,
    )
  lines.push(
    '',
    'use it in phases/wf.yaml:',
    ...preset.usage
      .trimEnd()
      .split('\n')
      .map((l) => `  ${l}`),
  )
  return lines.join('\n')
}
