import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { BUILTIN_PHASES } from '../../src/plan/builtin-phases.js'
import { runCli } from '../cli-in-process.js'
import { repoRoot } from '../helpers.js'

const presets = (args: string[]) => runCli(['presets', ...args], { cwd: repoRoot })
const ajv = new Ajv({ allErrors: true }).addSchema(
  JSON.parse(readFileSync(join(repoRoot, 'contracts', 'presets.schema.json'), 'utf8')),
)
/** Whether `data` is what contracts/presets.schema.json promises: the list, or one preset (`#/definitions/presetDetail`). */
function expectContract(data: unknown, ref = '') {
  const validate = ajv.getSchema(`https://wf.dev/schemas/presets.schema.json${ref}`)!
  expect(validate(data), ajv.errorsText(validate.errors)).toBe(true)
}
const ids = (stdout: string) => (JSON.parse(stdout).presets as { id: string }[]).map((p) => p.id)

describe('wf presets', () => {
  it('lists every preset grouped by category, each with its checks and why', async () => {
    const { code, stdout } = await presets([])
    expect(code).toBe(0)
    expect(stdout).toMatch(
      /^Community health \(community\)\n {2}governance +Repository governance · 11 checks\n +Offline checks/,
    )
    expect(stdout).toMatch(/\nSecurity policy \(security\)\n {2}security-policy +Security policy · 3 checks\n/)
    for (const id of Object.keys(BUILTIN_PHASES)) expect(stdout).toMatch(new RegExp(`^ {2}${id} `, 'm'))
  })

  it('--json gives every preset in a stable shape', async () => {
    const { code, stdout } = await presets(['--json'])
    expect(code).toBe(0)
    expectContract(JSON.parse(stdout))
    const list = JSON.parse(stdout).presets
    expect(list).toHaveLength(Object.keys(BUILTIN_PHASES).length)
    expect(list.find((p: { id: string }) => p.id === 'secrets')).toEqual({
      id: 'secrets',
      name: 'No committed secrets',
      category: 'security',
      tags: BUILTIN_PHASES.secrets!.tags,
      summary: 'A credential in a repository is public to everyone who can clone it, forever (it stays in history).',
      description: BUILTIN_PHASES.secrets!.description,
      checks: 4,
      categoryTitle: 'Security policy',
      use: 'extends: builtin:secrets',
    })
  })

  it('finds the security presets first for `security`, and needs every word to match', async () => {
    const security = ids((await presets(['security', '--json'])).stdout)
    expect(security.slice(0, 2)).toEqual(['security-policy', 'secrets'])
    expect(ids((await presets(['SECURITY', 'policy', '--json'])).stdout)[0]).toBe('security-policy')
    expect(ids((await presets(['dotenv', '--json'])).stdout)).toEqual(['secrets'])
    // A check's name is searched too.
    expect(ids((await presets(['code', 'of', 'conduct', '--json'])).stdout)).toEqual(['community-health'])
  })

  it('filters by category and by tag', async () => {
    expect(ids((await presets(['--category', 'security', '--json'])).stdout)).toEqual(['security-policy', 'secrets'])
    const tagged = ids((await presets(['--tag', 'repolinter', '--json'])).stdout)
    expect(tagged.slice(0, 2)).toEqual(['governance', 'community-health'])
    expect(tagged.sort()).toEqual(
      Object.entries(BUILTIN_PHASES)
        .filter(([, p]) => p.tags.includes('repolinter'))
        .map(([id]) => id)
        .sort(),
    )
    expect(ids((await presets(['license', '--category', 'security', '--json'])).stdout)).toEqual([])
  })

  it('says when nothing matches and exits 1, as grep does', async () => {
    const result = await presets(['no-such-thing'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('no preset matches "no-such-thing"')
    const filtered = await presets(['license', '--category', 'security'])
    expect(filtered.code).toBe(1)
    expect(filtered.stderr).toContain('no preset matches "license" with category security')
    const json = await presets(['no-such-thing', '--json'])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toEqual({ presets: [] })
  })

  it('refuses an unknown category or tag, naming the close one and all of them', async () => {
    const category = await presets(['--category', 'secrity'])
    expect(category.code).toBe(2)
    expect(category.stderr).toContain('unknown category "secrity"; did you mean "security"?')
    expect(category.stderr).toContain('categories: community, containers, docs, ecosystem,')
    const tag = await presets(['--tag', 'repolnter', '--json'])
    expect(tag.code).toBe(2)
    expect(JSON.parse(tag.stdout).error).toMatchObject({
      code: 'WF_USAGE',
      message: 'unknown tag "repolnter"; did you mean "repolinter"?',
    })
  })
})

describe('wf presets show', () => {
  it('explains each check with what it checks, its severity and its hint, and how to use the preset', async () => {
    const { code, stdout } = await runCli(['presets', 'show', 'builtin:community-health'], { cwd: repoRoot })
    expect(code).toBe(0)
    expect(stdout).toMatch(
      /^community-health: Community health \(Repolinter default ruleset\)\ncategory: Community health \(community\)\ntags: repolinter, /,
    )
    expect(stdout).toContain(
      '  - support file exists (warning)\n    checks: files exist: {,docs/,.github/}SUPPORT*\n    hint: add SUPPORT.md',
    )
    expect(stdout).toContain(
      'use it in phases/wf.yaml:\n  version: 1\n  phases:\n    - id: community-health\n      extends: builtin:community-health',
    )
  })

  it('--json gives the checks and the plan lines', async () => {
    const { code, stdout } = await runCli(['presets', 'show', 'security-policy', '--json'], { cwd: repoRoot })
    expect(code).toBe(0)
    const preset = JSON.parse(stdout)
    expectContract(preset, '#/definitions/presetDetail')
    expect(preset).toMatchObject({ id: 'security-policy', category: 'security', checks: 3 })
    expect(preset.gates[0]).toEqual({
      name: 'security policy exists',
      kind: 'files-exist',
      checks: 'files exist: {,.github/,docs/}SECURITY{.md,.markdown,.rst,.adoc,.txt}',
      severity: 'error',
      hint: BUILTIN_PHASES['security-policy']!.gates[0]!.hint,
    })
    expect(preset.usage).toBe('version: 1\nphases:\n  - id: security-policy\n    extends: builtin:security-policy\n')
  })

  it('suggests the closest name for an unknown preset', async () => {
    const { code, stderr } = await runCli(['presets', 'show', 'secret'], { cwd: repoRoot })
    expect(code).toBe(2)
    expect(stderr).toContain('unknown preset "secret"; did you mean "secrets"?')
  })
})

describe('the README presets table', () => {
  it('is exactly `wf presets --markdown`', async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
    const table = /<!-- presets:start -->\n([\s\S]*?)\n<!-- presets:end -->/.exec(readme)?.[1]
    const { stdout } = await presets(['--markdown'])
    expect(table, 'regenerate the README table with `wf presets --markdown`').toBe(stdout.trimEnd())
  })
})
