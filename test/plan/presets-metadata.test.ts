import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GATE_HANDLERS } from '../../src/gates/index.js'
import { BUILTIN_PHASES } from '../../src/plan/builtin-phases.js'
import { GATE_KINDS, gateKind } from '../../src/plan/kinds.js'
import { PRESET_CATEGORIES } from '../../src/plan/presets/preset.js'
import { repoRoot } from '../helpers.js'

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

  it('gives every check a fix: a built-in template, a structured edit, or why it cannot be fixed offline and how to fix it by hand', () => {
    const library = JSON.parse(readFileSync(join(repoRoot, 'templates/library.json'), 'utf8')) as {
      templates: Record<string, { to: string }>
    }
    for (const [id, preset] of Object.entries(BUILTIN_PHASES))
      for (const gate of preset.gates) {
        const at = `${id}: ${gate.name}`
        const fix = gate.fix
        expect(fix, at).toBeDefined()
        const ways = (['template', 'run', 'edit', 'manual'] as const).filter((k) => fix[k] !== undefined)
        expect(ways, at).toHaveLength(1)
        if (fix.manual) {
          // Why, then what to do: "…: …".
          expect(fix.manual, at).toMatch(/^\S.{20,}: \S.{10,}$/s)
          continue
        }
        expect(fix.description, at).toMatch(/^\S.{20,}/)
        if (fix.template) {
          const name = fix.template.replace(/^builtin:/, '')
          expect(fix.template, at).toMatch(/^builtin:/)
          expect(library.templates[name], at).toBeDefined()
          expect(fix.to, at).toBe(library.templates[name]!.to)
        }
      }
  })
})
