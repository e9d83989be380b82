import type { Fix, Gate, Phase } from '../plan.generated.js'

/** The categories presets are filed under, with the title `wf presets` shows for each. */
export const PRESET_CATEGORIES = {
  community: 'Community health',
  security: 'Security policy',
  'supply-chain': 'Supply chain',
  'github-actions': 'GitHub Actions hygiene',
  containers: 'Containers',
  licensing: 'Licensing',
  docs: 'Documentation',
  release: 'Release readiness',
  hygiene: 'Repository hygiene',
  ecosystem: 'Ecosystems',
} as const

export type PresetCategory = keyof typeof PRESET_CATEGORIES

/** A gate of a preset: always named, always with a hint saying what to do when it fails and a fix (or why it has none offline). */
export type PresetGate = Gate & { name: string; hint: string; fix: Fix }

/** A built-in phase a plan reuses with `extends: builtin:NAME`. */
export interface Preset extends Omit<Phase, 'id' | 'gates' | 'category' | 'tags'> {
  name: string
  /** Why the preset matters, and where it scores differently from Scorecard or Repolinter. */
  description: string
  category: PresetCategory
  tags: string[]
  gates: PresetGate[]
}
