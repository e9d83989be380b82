import type { Preset } from './preset.js'

export const SUPPLY_CHAIN_PRESETS: Record<string, Preset> = {}
