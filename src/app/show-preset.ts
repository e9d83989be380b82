import { WfError } from '../lib/errors.js'
import { suggest } from '../lib/suggest.js'
import { GATE_HANDLERS } from '../gates/index.js'
import { BUILTIN_PHASES } from '../plan/builtin-phases.js'
import { gateKind } from '../plan/kinds.js'
import type { Condition } from '../plan/plan.generated.js'
import { type PresetSummary, summarizePreset } from './find-presets.js'

/** One check of a preset, as `wf presets show` explains it. */
export interface PresetCheck {
  name: string
  kind: string
  /** What the gate checks, in the words of its kind. */
  checks: string
  severity: 'error' | 'warning'
  hint: string
}

/** A preset with its condition and each of its checks explained. */
export interface PresetDetail extends PresetSummary {
  when?: Condition
  gates: PresetCheck[]
  /** The plan lines that use it. */
  usage: string
}

/** The preset named NAME or `builtin:NAME`; an unknown name is an error that suggests the closest. */
export function showPreset(name: string): PresetDetail {
  const id = name.replace(/^builtin:/, '')
  const preset = Object.hasOwn(BUILTIN_PHASES, id) ? BUILTIN_PHASES[id] : undefined
  if (!preset) {
    const close = suggest(id, Object.keys(BUILTIN_PHASES))
    throw new WfError('WF_UNKNOWN_PHASE', `unknown preset "${name}"${close ? `; did you mean "${close}"?` : ''}`, {
      hint: 'run `wf presets` to list them, or `wf presets WORD` to search',
    })
  }
  const gates = preset.gates.map((gate) => {
    const kind = gateKind(gate)
    const handler = GATE_HANDLERS[kind] as { describe(g: unknown): string } | undefined
    return {
      name: gate.name,
      kind,
      checks: handler ? handler.describe(gate) : `${kind} (not available in this version of wf)`,
      severity: gate.severity ?? 'error',
      hint: gate.hint,
    }
  })
  const usage = `version: 1\nphases:\n  - id: ${id}\n    extends: builtin:${id}\n`
  return { ...summarizePreset(id, preset), ...(preset.when ? { when: preset.when } : {}), gates, usage }
}
