import type { Preset } from './preset.js'

export const HYGIENE_PRESETS: Record<string, Preset> = {}
