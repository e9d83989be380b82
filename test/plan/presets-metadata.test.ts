import { describe, expect, it } from 'vitest'
import { GATE_HANDLERS } from '../../src/gates/index.js'
import { BUILTIN_PHASES } from '../../src/plan/builtin-phases.js'
import { GATE_KINDS, gateKind } from '../../src/plan/kinds.js'
import { PRESET_CATEGORIES } from '../../src/plan/presets/preset.js'

describe('the preset library', () => {
  it.each(Object.entries(BUILTIN_PHASES))(
    '%s has an id, a why, a category, tags, and a name and a hint on every check',
    (id, preset) => {
      expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
      expect(preset.name.trim()).not.toBe('')
      // A description says why: at least a full sentence.
      expect(preset.description).toMatch(/^\S.{30,}[.)]$/s)
      expect(Object.keys(PRESET_CATEGORIES)).toContain(preset.category)
      expect(preset.tags.length).toBeGreaterThan(0)
      for (const tag of preset.tags) expect(tag).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
      expect(preset.gates.length).toBeGreaterThan(0)
      const names = preset.gates.map((g) => g.name)
      expect(new Set(names).size, 'gate names are unique').toBe(names.length)
      for (const gate of preset.gates) {
        expect(gate.name.trim(), id).not.toBe('')
        expect(gate.hint.length, `${id}: ${gate.name}`).toBeGreaterThan(15)
        expect(GATE_KINDS).toContain(gateKind(gate))
      }
    },
  )

  it('describes each check it can run in the words of its kind', () => {
    for (const preset of Object.values(BUILTIN_PHASES))
      for (const gate of preset.gates) {
        const handler = GATE_HANDLERS[gateKind(gate)] as { describe(g: unknown): string } | undefined
        if (handler) expect(handler.describe(gate), gate.name).not.toBe('')
      }
  })
})
