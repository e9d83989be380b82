import type { Preset } from './preset.js'

export const GITHUB_ACTIONS_PRESETS: Record<string, Preset> = {}
