import type { Preset } from './preset.js'

export const RELEASE_PRESETS: Record<string, Preset> = {}
