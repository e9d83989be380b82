import { COMMUNITY_PRESETS, COMMUNITY_REGEXES } from './presets/community.js'
import { CONTAINERS_PRESETS } from './presets/containers.js'
import { DOCS_PRESETS } from './presets/docs.js'
import { ECOSYSTEMS_PRESETS } from './presets/ecosystems.js'
import { GITHUB_ACTIONS_PRESETS } from './presets/github-actions.js'
import { HYGIENE_PRESETS } from './presets/hygiene.js'
import { LICENSING_PRESETS } from './presets/licensing.js'
import type { Preset } from './presets/preset.js'
import { RELEASE_PRESETS } from './presets/release.js'
import { SECURITY_PRESETS } from './presets/security.js'
import { SUPPLY_CHAIN_PRESETS } from './presets/supply-chain.js'

/**
 * wf's own built-in regexes that need lookahead, which the linear-time engine for plan regexes
 * refuses: they run as JavaScript RegExp, and are checked against hostile input.
 */
export const BUILTIN_REGEXES: ReadonlySet<string> = new Set([...COMMUNITY_REGEXES])

/** Phases a plan can reuse with `extends: builtin:NAME`: the preset library. */
export const BUILTIN_PHASES: Record<string, Preset> = {
  ...COMMUNITY_PRESETS,
  ...SECURITY_PRESETS,
  ...SUPPLY_CHAIN_PRESETS,
  ...GITHUB_ACTIONS_PRESETS,
  ...CONTAINERS_PRESETS,
  ...LICENSING_PRESETS,
  ...DOCS_PRESETS,
  ...RELEASE_PRESETS,
  ...HYGIENE_PRESETS,
  ...ECOSYSTEMS_PRESETS,
}
