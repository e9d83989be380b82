import type { Preset } from './preset.js'

export const DOCS_PRESETS: Record<string, Preset> = {}
