import { describe, expect, it } from 'vitest'
import { readPlan } from '../../src/app/read-plan.js'
import { testdir } from '../helpers.js'

/** A plan of phases given as `id: [needs]`, in that declaration order. */
const planOf = (phases: Record<string, string[]>) =>
  `version: 1\nphases:\n${Object.entries(phases)
    .map(([id, needs]) => `  - id: ${id}\n    needs: [${needs.join(', ')}]\n`)
    .join('')}`

const order = async (phases: Record<string, string[]>) =>
  (await readPlan({ cwd: testdir({ 'phases/plan.yaml': planOf(phases) }) })).phases.map((p) => p.id)

describe('resolvePlan: phase order', () => {
  it.each([
    ['independent phases keep declaration order', { c: [], a: [], b: [] }, ['c', 'a', 'b']],
    ['a phase comes after what it needs', { a: ['b'], b: [] }, ['b', 'a']],
    [
      'the first declared free phase goes next, not the one just freed',
      { a: ['d'], b: [], c: ['b'], d: [] },
      ['b', 'c', 'd', 'a'],
    ],
    [
      'a diamond',
      { top: ['left', 'right'], right: ['base'], left: ['base'], base: [] },
      ['base', 'right', 'left', 'top'],
    ],
    ['a need listed by several phases frees them in declaration order', { z: ['x'], y: ['x'], x: [] }, ['x', 'z', 'y']],
  ])('%s', async (_, phases, expected) => {
    expect(await order(phases)).toEqual(expected)
  })

  it('orders a tree of 2,000 phases declared leaves first', async () => {
    const n = 2000
    const phases: Record<string, string[]> = {}
    for (let i = n - 1; i >= 0; i--) phases[`p${i}`] = i ? [`p${Math.floor((i - 1) / 2)}`] : []
    const ids = await order(phases)
    const at = new Map(ids.map((id, i) => [id, i]))
    expect(ids).toHaveLength(n)
    for (let i = 1; i < n; i++) expect(at.get(`p${i}`)!).toBeGreaterThan(at.get(`p${Math.floor((i - 1) / 2)}`)!)
    // Among the phases free at each step, the first declared goes next: p0's children, highest first.
    expect(ids.slice(0, 3)).toEqual(['p0', 'p2', 'p6'])
  })
})
