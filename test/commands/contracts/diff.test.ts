import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../cli-in-process.js'
import { fixtureTree } from '../../contract-fixtures.js'
import { git, gitRepo, hasStackTrace } from '../../helpers.js'

describe('wf contracts diff', () => {
  const schema = (properties: object, extra: object = {}) =>
    `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties, ...extra }, null, 2)}\n`

  it('classifies changes since a git ref, exits 1 on breaking ones, and prints JSON and GitHub annotations', async () => {
    const cwd = gitRepo({ ...fixtureTree(), 'contracts/note.json': schema({ text: { type: 'string' } }) })
    writeFileSync(
      join(cwd, 'contracts/note.json'),
      schema({ text: { type: 'string', description: 'What it says.' }, author: { type: 'string' } }),
    )
    const compatible = await runCli(['contracts', 'diff', '--against', 'main', '--schemas', 'contracts'], { cwd })
    expect(compatible.code, compatible.stdout + compatible.stderr).toBe(0)
    expect(compatible.stdout).toMatch(/2 changes since main: 0 breaking, 0 allowed, 2 compatible/)

    git(cwd, 'commit', '-qam', 'note')
    const customer = JSON.parse(readFileSync(join(cwd, 'contracts/customer.json'), 'utf8'))
    delete customer.properties.name
    customer.required.push('tier')
    writeFileSync(join(cwd, 'contracts/customer.json'), `${JSON.stringify(customer, null, 2)}\n`)
    const breaking = await runCli(['contracts', 'diff', '--against', 'HEAD', '--schemas', 'contracts', '--json'], {
      cwd,
    })
    expect(breaking.code).toBe(1)
    const diff = JSON.parse(breaking.stdout)
    expect(diff.breaking).toBe(2)
    expect(diff.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'property-removed',
          file: 'contracts/customer.json',
          pointer: '/properties/name',
          breaks: ['consumers'],
          before: { type: 'string' },
        }),
        expect.objectContaining({
          kind: 'required-added',
          pointer: '/required/2',
          after: 'tier',
          breaks: ['producers'],
          line: expect.any(Number),
        }),
      ]),
    )

    const github = await runCli(['contracts', 'diff', '--against', 'HEAD', '--schemas', 'contracts'], {
      cwd,
      env: { GITHUB_ACTIONS: 'true' },
    })
    expect(github.code).toBe(1)
    const errors = github.stdout.split('\n').filter((l) => l.startsWith('::error '))
    expect(errors).toHaveLength(2)
    expect(errors[0]).toMatch(
      /^::error title=contract change breaking for (consumers|producers),file=contracts\/customer\.json,line=\d+,col=\d+::/,
    )
  })

  it('accepts breaking changes named in .wf-allow-breaking.yaml, with the reason', async () => {
    const cwd = gitRepo({ 'contracts/user.json': schema({ id: { type: 'string' }, legacy: { type: 'string' } }) })
    writeFileSync(join(cwd, 'contracts/user.json'), schema({ id: { type: 'string', maxLength: 10 } }))
    const refused = await runCli(['contracts', 'diff', '--against', 'main', '--schemas', 'contracts'], { cwd })
    expect(refused.code).toBe(1)
    writeFileSync(
      join(cwd, 'contracts/.wf-allow-breaking.yaml'),
      'allow:\n  - schema: user.json\n    pointer: /properties/legacy\n    change: property-removed\n    reason: no reader uses legacy since v3\n',
    )
    const partly = await runCli(['contracts', 'diff', '--against', 'main', '--schemas', 'contracts'], { cwd })
    expect(partly.code).toBe(1)
    expect(partly.stdout).toMatch(/! breaking for consumers \(allowed\): property-removed/)
    expect(partly.stdout).toContain('no reader uses legacy since v3')
    expect(partly.stdout).toMatch(
      /✖ breaking for producers: constraint-tightened at contracts\/user\.json:\d+:\d+ \/properties\/id\/maxLength/,
    )
    writeFileSync(
      join(cwd, 'contracts/.wf-allow-breaking.yaml'),
      'allow:\n  - schema: user.json\n    reason: v4 is a major release\n',
    )
    const allowed = await runCli(['contracts', 'diff', '--against', 'main', '--schemas', 'contracts', '--json'], {
      cwd,
    })
    expect(allowed.code).toBe(0)
    expect(JSON.parse(allowed.stdout)).toMatchObject({ breaking: 0, allowed: 2 })
    writeFileSync(join(cwd, 'contracts/.wf-allow-breaking.yaml'), 'allow:\n  - schema: user.json\n')
    const invalid = await runCli(['contracts', 'diff', '--against', 'main', '--schemas', 'contracts'], { cwd })
    expect(invalid.code).toBe(2)
    expect(invalid.stderr).toMatch(/\.wf-allow-breaking\.yaml is invalid: \/allow\/0\/reason/)
  })

  it('counts only the side a schema guards when it declares x-wf-direction', async () => {
    const event = (properties: object, extra: object = {}) =>
      schema(properties, { 'x-wf-direction': 'output', ...extra })
    const request = (properties: object, extra: object = {}) =>
      schema(properties, { 'x-wf-direction': 'input', ...extra })
    const cwd = gitRepo({
      'contracts/event.json': event({ id: { type: 'string' } }),
      'contracts/request.json': request({ id: { type: 'string' } }),
    })
    // Narrowing an event this repository writes breaks only producers (this repository): not counted.
    writeFileSync(
      join(cwd, 'contracts/event.json'),
      event({ id: { type: 'string', maxLength: 8 } }, { required: ['id'] }),
    )
    // Widening a request this repository reads breaks only consumers (this repository): not counted.
    writeFileSync(join(cwd, 'contracts/request.json'), request({ id: { type: ['string', 'null'] } }))
    const quiet = await runCli(['contracts', 'diff', '--against', 'main', '--schemas', 'contracts', '--json'], { cwd })
    expect(quiet.code, quiet.stdout).toBe(0)
    expect(JSON.parse(quiet.stdout)).toMatchObject({ breaking: 0, notCounted: 3 })
    // Removing a property of the event breaks its consumers: counted.
    writeFileSync(join(cwd, 'contracts/event.json'), event({}))
    const loud = await runCli(['contracts', 'diff', '--against', 'main', '--schemas', 'contracts'], { cwd })
    expect(loud.code).toBe(1)
    expect(loud.stdout).toMatch(/✖ breaking for consumers: property-removed at contracts\/event\.json/)
    expect(loud.stdout).toMatch(/! breaking for consumers \(not counted\): type-widened at contracts\/request\.json/)
  })

  it('handles $ref cycles, removed and renamed schema files, and an unknown ref', async () => {
    const cwd = gitRepo(fixtureTree())
    git(cwd, 'mv', 'contracts/team.json', 'contracts/squad.json')
    writeFileSync(
      join(cwd, 'contracts/employee.json'),
      readFileSync(join(cwd, 'contracts/employee.json'), 'utf8').replace('"team.json"', '"squad.json"'),
    )
    const category = JSON.parse(readFileSync(join(cwd, 'contracts/category.json'), 'utf8'))
    category.properties.children.items = { $ref: '#/properties/parent' }
    writeFileSync(join(cwd, 'contracts/category.json'), JSON.stringify(category, null, 2))
    const result = await runCli(['contracts', 'diff', '--against', 'main', '--schemas', 'contracts', '--json'], { cwd })
    expect(hasStackTrace(result.stderr)).toBe(false)
    const diff = JSON.parse(result.stdout)
    const kinds = diff.changes.map((c: { kind: string; file: string }) => `${c.kind} ${c.file}`)
    expect(kinds).toContain('schema-renamed contracts/squad.json')
    expect(kinds).toContain('ref-changed contracts/category.json')
    // The reference follows the rename, so employee.json itself did not change.
    expect(diff.changes.filter((c: { file: string }) => c.file === 'contracts/employee.json')).toEqual([])
    const unknown = await runCli(['contracts', 'diff', '--against', 'no-such-ref', '--schemas', 'contracts'], { cwd })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown git ref `no-such-ref`')
  })
})

describe('wf contracts diff under GitHub Actions', () => {
  const schema = (properties: object) =>
    `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties }, null, 2)}\n`

  it('prints no line that starts a workflow command, whatever the property names', async () => {
    const cwd = gitRepo({ 'contracts/note.json': schema({ 'gone\n::error::x': { type: 'string' } }) })
    writeFileSync(join(cwd, 'contracts/note.json'), schema({ 'new\n::error::x': { type: 'string' } }))
    for (const reporter of ['github', 'text']) {
      const result = await runCli(
        ['contracts', 'diff', '--against', 'HEAD', '--schemas', 'contracts', '--reporter', reporter],
        { cwd },
      )
      expect(result.code).toBe(1)
      const commands = result.stdout.split('\n').filter((line) => /^\s*::/.test(line))
      expect(
        commands.every((line) => /^::(error|notice) title=contract change/.test(line)),
        commands.join('\n'),
      ).toBe(true)
    }
    const text = await runCli(
      ['contracts', 'diff', '--against', 'HEAD', '--schemas', 'contracts', '--reporter', 'text'],
      { cwd },
    )
    expect(text.stdout).toContain('/properties/new\n│ ::error::x')
  })
})
