import { describe, expect, it } from 'vitest'
import { planFix } from '../../src/gates/fix-plan.js'
import { Workspace } from '../../src/lib/workspace.js'
import type { Gate } from '../../src/plan/plan.generated.js'
import type { ResolvedPhase } from '../../src/plan/resolve-plan.js'
import { testdir } from '../helpers.js'

const phase = { id: 'p', vars: { owners: '@acme/team' }, env: {}, tasks: [], gates: [] } as unknown as ResolvedPhase
const env = { vars: {}, secrets: [] }
const plan = (gate: Gate, tree: Record<string, string> = {}) =>
  planFix(gate, { workspace: new Workspace(testdir(tree)), phase, env })

describe('planFix', () => {
  it.each([
    [
      { run: 'npm pkg set license=MIT' },
      { description: 'run `npm pkg set license=MIT`', changes: [], run: 'npm pkg set license=MIT' },
    ],
    [
      { manual: 'look the commit up' },
      { description: 'cannot be fixed offline', changes: [], manual: 'look the commit up' },
    ],
    [
      { run: 'make docs', description: 'build the docs' },
      { description: 'build the docs', changes: [], run: 'make docs' },
    ],
  ])('%j → %j', async (fix, expected) => {
    expect(await plan({ 'files-exist': ['X'], fix } as Gate)).toEqual(expected)
  })

  it('is undefined for a gate without a fix', async () => {
    expect(await plan({ 'files-exist': ['X'] })).toBeUndefined()
  })

  it('renders a template with the phase vars under the fix vars, against what is on disk', async () => {
    const gate = { 'files-exist': ['CODEOWNERS'], fix: { template: 'builtin:codeowners', to: './CODEOWNERS' } } as Gate
    const created = await plan(gate)
    expect(created!.description).toBe('write CODEOWNERS from builtin:codeowners')
    expect(created!.changes).toHaveLength(1)
    expect(created!.changes[0]!.path).toBe('CODEOWNERS')
    expect(created!.changes[0]!.before).toBeUndefined()
    expect(created!.changes[0]!.after).toContain('@acme/team')
    const after = created!.changes[0]!.after
    expect((await plan(gate, { CODEOWNERS: 'old\n' }))!.changes[0]).toEqual({
      path: 'CODEOWNERS',
      before: 'old\n',
      after,
    })
    expect((await plan(gate, { CODEOWNERS: after }))!.changes).toEqual([])
    const own = { ...gate, fix: { ...gate.fix, vars: { owners: '@acme/fix' } } } as Gate
    const [change] = (await plan(own))!.changes
    expect(change!.after).toContain('* @acme/fix')
    expect(change!.after).not.toContain('@acme/team')
  })

  it('plans a structured edit as the changes it makes, described in words unless the plan says', async () => {
    const gate = {
      'files-exist': ['X'],
      fix: { edit: { kind: 'append-lines', file: '.gitignore', lines: ['.env'] } },
    } as Gate
    const fixPlan = await plan(gate, { '.gitignore': 'dist/\n' })
    expect(fixPlan).toEqual({
      description: 'add the missing lines to .gitignore',
      changes: [{ path: '.gitignore', before: 'dist/\n', after: 'dist/\n.env\n' }],
    })
    const described = { ...gate, fix: { ...(gate as { fix: object }).fix, description: 'ignore .env' } } as Gate
    expect((await plan(described, { '.gitignore': '.env\n' }))!).toEqual({ description: 'ignore .env', changes: [] })
  })
})
