import type { Preset } from './preset.js'

export const SECURITY_PRESETS: Record<string, Preset> = {}
