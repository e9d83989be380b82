import type { Preset } from './preset.js'

export const CONTAINERS_PRESETS: Record<string, Preset> = {}
