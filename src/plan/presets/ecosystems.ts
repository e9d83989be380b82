import type { Preset } from './preset.js'

export const ECOSYSTEMS_PRESETS: Record<string, Preset> = {}
