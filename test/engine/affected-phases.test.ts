import { describe, expect, it } from 'vitest'
import { affectedPhases } from '../../src/engine/affected-phases.js'
import type { PhaseRecord } from '../../src/ledger/ledger.js'
import type { ResolvedPhase, ResolvedPlan } from '../../src/plan/resolve-plan.js'

/** A phase of `phases/p.yaml` (or `file`) with these needs and inputs, and optional tasks and gates. */
function phase(id: string, needs: string[], inputs: string[], more: Partial<ResolvedPhase> = {}): ResolvedPhase {
  return {
    id,
    name: id,
    needs,
    inputs,
    vars: {},
    env: {},
    tasks: [],
    gates: [],
    source: { file: 'phases/p.yaml', line: 1 },
    ...more,
  }
}

const plan: ResolvedPlan = {
  root: '/repo',
  files: ['phases/p.yaml', 'phases/q.yaml'],
  phases: [
    phase('lint', [], ['src/**/*.ts']),
    phase('docs', [], ['docs'], { source: { file: 'phases/q.yaml', line: 1 } }),
    phase('build', ['lint'], ['package.json']),
    phase('test', ['build'], ['test/**']),
    phase('site', ['docs'], ['site/*.html'], {
      source: { file: 'phases/q.yaml', line: 5 },
      gates: [{ 'files-exist': ['LICENSE'] }],
    }),
    phase('anything', [], [], { source: { file: 'phases/q.yaml', line: 9 } }),
  ],
}
const withoutCatchAll: ResolvedPlan = { ...plan, phases: plan.phases.filter((p) => p.id !== 'anything') }

const passed = (ids: string[]) =>
  Object.fromEntries(ids.map((id) => [id, { id, status: 'passed' } as PhaseRecord])) as Record<string, PhaseRecord>

describe('affectedPhases', () => {
  it.each<[string, ResolvedPlan, string[], Record<string, PhaseRecord> | undefined, Record<string, string>]>([
    ['nothing changed: nothing is affected', plan, [], undefined, {}],
    [
      'an input glob matches: the phase and everything after it',
      withoutCatchAll,
      ['src/a/b.ts'],
      undefined,
      { lint: 'src/a/b.ts changed', build: 'it needs lint', test: 'it needs build' },
    ],
    ['a file outside every input affects nothing', withoutCatchAll, ['README.md', 'src/a.js'], undefined, {}],
    [
      'a plain directory input covers the files under it, not a sibling with the same prefix',
      withoutCatchAll,
      ['docs-old/x.md', 'docs/guide/intro.md'],
      undefined,
      { docs: 'docs/guide/intro.md changed', site: 'it needs docs' },
    ],
    ['a file a gate reads is an input', withoutCatchAll, ['LICENSE'], undefined, { site: 'LICENSE changed' }],
    [
      'a changed plan file affects the phases it defines',
      withoutCatchAll,
      ['phases/q.yaml'],
      undefined,
      { docs: 'its plan file phases/q.yaml changed', site: 'its plan file phases/q.yaml changed' },
    ],
    [
      'a phase without inputs is affected by any change',
      plan,
      ['README.md'],
      undefined,
      { anything: 'it declares no inputs, so any change counts (README.md)' },
    ],
    [
      'needs of affected phases that have not passed are added, transitively',
      withoutCatchAll,
      ['test/a.test.ts'],
      {},
      {
        lint: 'build needs it and it has not passed (never-run)',
        build: 'test needs it and it has not passed (never-run)',
        test: 'test/a.test.ts changed',
      },
    ],
    [
      'needs that passed are not added',
      withoutCatchAll,
      ['test/a.test.ts'],
      passed(['lint', 'build']),
      { test: 'test/a.test.ts changed' },
    ],
  ])('%s', (_name, thePlan, changed, latest, expected) => {
    const found = affectedPhases(thePlan, changed, latest)
    expect(Object.fromEntries(found.map((p) => [p.id, p.reason]))).toEqual(expected)
    // In plan order.
    const order = thePlan.phases.map((p) => p.id)
    expect(found.map((p) => order.indexOf(p.id))).toEqual(found.map((p) => order.indexOf(p.id)).sort((a, b) => a - b))
  })
})
