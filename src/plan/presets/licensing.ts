import type { Preset } from './preset.js'

export const LICENSING_PRESETS: Record<string, Preset> = {}
