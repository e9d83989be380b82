import { describe, expect, it } from 'vitest'
import { importSpecifier, modulePathFor, typeNameFor } from '../../src/contracts/names.js'
import { reindent } from '../../src/contracts/reindent.js'
import { contractsBase, contractsGlob, isSchemaPath } from '../../src/contracts/schema-set.js'
import { schemaOfExample } from '../../src/app/check-contracts.js'
import { parseSchemaEntry } from '../../src/contracts/schema-set.js'

describe('contract names', () => {
  it.each([
    ['contracts/order.json', 'Order', 'order'],
    ['contracts/OrderIntent@1.2.json', 'OrderIntentV1_2', 'OrderIntent-v1_2'],
    ['contracts/line-item.schema.yaml', 'LineItem', 'line-item'],
    ['contracts/events/order_created@2.yml', 'OrderCreatedV2', 'events/order_created-v2'],
    ['contracts/3d-model.json', 'T3dModel', '3d-model'],
    ['contracts/a b+c.json', 'ABC', 'a-b-c'],
  ])('%s → type %s in %s.ts', (rel, type, module) => {
    expect(typeNameFor(rel)).toBe(type)
    expect(modulePathFor(rel, 'contracts')).toBe(module)
    expect(type).toMatch(/^[A-Za-z_$][\w$]*$/)
  })

  it.each(['index.json', 'validators.yaml', 'validators-2020-12.json'])(
    'refuses %s, whose module wf writes itself',
    async (file) => {
      const { renderContracts } = await import('../../src/contracts/generate.js')
      const set = { base: 'c', entries: [await parseSchemaEntry(`c/${file}`, '{ "type": "string" }')] }
      await expect(renderContracts(set, { contracts: 'c', out: 'gen', validators: true })).rejects.toThrow(
        /which wf writes itself/,
      )
    },
  )

  it.each([
    ['index', 'order', './order.js'],
    ['events/order', 'common/money', '../common/money.js'],
    ['events/order', 'events/line', './line.js'],
  ])('imports %s → %s as %s', (from, to, spec) => expect(importSpecifier(from, to)).toBe(spec))
})

describe('schema sets', () => {
  it.each([
    ['contracts', 'contracts', 'contracts/**/*'],
    ['./contracts/', 'contracts', 'contracts/**/*'],
    ['contracts/events/*.json', 'contracts/events', 'contracts/events/*.json'],
    ['**/*.schema.json', '.', '**/*.schema.json'],
  ])('%s is rooted at %s and means %s', (spec, base, glob) => {
    expect(contractsBase(spec)).toBe(base)
    expect(contractsGlob(spec)).toBe(glob)
  })

  it.each([
    ['c/order.json', true],
    ['c/order.yaml', true],
    ['c/order.yml', true],
    ['c/order.example.json', false],
    ['c/order.counter-example.yaml', false],
    ['c/.wf-allow-breaking.yaml', false],
    ['c/readme.md', false],
  ])('%s is a schema: %s', (rel, expected) => expect(isSchemaPath(rel)).toBe(expected))

  it('matches example files to the schema they are named after, the longest name winning', async () => {
    const entries = await Promise.all(
      ['c/order.json', 'c/order-line.json', 'c/OrderIntent@1.2.json', 'c/x.schema.json'].map((rel) =>
        parseSchemaEntry(rel, '{}'),
      ),
    )
    expect(schemaOfExample('c/order.example.json', entries)?.rel).toBe('c/order.json')
    expect(schemaOfExample('c/order-line.big.example.json', entries)?.rel).toBe('c/order-line.json')
    expect(schemaOfExample('c/OrderIntent@1.2.counter-example.json', entries)?.rel).toBe('c/OrderIntent@1.2.json')
    expect(schemaOfExample('c/x.example.yaml', entries)?.rel).toBe('c/x.schema.json')
    expect(schemaOfExample('c/other.example.json', entries)).toBeUndefined()
    expect(schemaOfExample('d/order.example.json', entries)).toBeUndefined()
  })

  it('reports a schema file that does not parse with its line and column', async () => {
    await expect(parseSchemaEntry('c/a.json', '{\n  "type": "object",\n  "x": \n}\n')).rejects.toThrow(
      /c\/a\.json:\d+:\d+ does not parse as JSON/,
    )
    await expect(parseSchemaEntry('c/a.yaml', '- 1\n- 2\n')).rejects.toThrow(
      /c\/a\.yaml:1:1 is not a JSON Schema: it holds a list/,
    )
  })
})

describe('JSON pointers', () => {
  it('reads a `$ref` fragment (URI-encoded) and a pointer built from keys such as `off%` (not encoded)', async () => {
    const { pointerSegments } = await import('../../src/contracts/refs.js')
    expect(pointerSegments('/definitions/a%20b')).toEqual(['definitions', 'a b'])
    expect(pointerSegments('/properties/off%/type')).toEqual(['properties', 'off%', 'type'])
    expect(pointerSegments('/a~1b/c~0d')).toEqual(['a/b', 'c~d'])
  })
})

describe('reindent', () => {
  it('indents by bracket depth, ignoring brackets in strings and comments', () => {
    const raw =
      'export interface A {\n/**\n * Has { in a comment\n */\nb?: ("x{" | "y")\nc: {\nd: string[]\n}\n[k: string]: unknown\n}\n\n\nexport type B = (A | {\ne?: 1\n})\n'
    expect(reindent(raw)).toBe(
      'export interface A {\n  /**\n   * Has { in a comment\n   */\n  b?: ("x{" | "y")\n  c: {\n    d: string[]\n  }\n  [k: string]: unknown\n}\n\nexport type B = (A | {\n    e?: 1\n})\n',
    )
  })
})

describe('allowance file', () => {
  const cases: Array<[string, string, boolean]> = [
    [
      'full entry',
      'allow:\n  - schema: customer.json\n    pointer: /properties/legacyId\n    change: property-removed\n    reason: readers moved in v3\n',
      true,
    ],
    ['schema and reason only', 'allow:\n  - schema: a.json\n    reason: major release\n', true],
    ['no reason', 'allow:\n  - schema: a.json\n', false],
    ['unknown key', 'allow:\n  - schema: a.json\n    reason: r\n    until: 2027-01-01\n', false],
    ['pointer without slash', 'allow:\n  - schema: a.json\n    reason: r\n    pointer: properties/a\n', false],
    ['not a list', 'allow: a.json\n', false],
  ]

  it.each(cases)('%s: the schema and wf agree (valid: %s)', async (_name, text, valid) => {
    const { readFileSync } = await import('node:fs')
    const { load } = await import('js-yaml')
    const { Ajv } = await import('ajv')
    const { readAllowances } = await import('../../src/contracts/diff/allowances.js')
    const { repoRoot, testdir } = await import('../helpers.js')
    const schema = JSON.parse(readFileSync(`${repoRoot}/contracts/allow-breaking.schema.json`, 'utf8'))
    expect(new Ajv({ strict: true }).validate(schema, load(text))).toBe(valid)
    const dir = testdir({ 'c/.wf-allow-breaking.yaml': text })
    if (valid) expect((await readAllowances(dir, 'c')).allowances.length).toBe(1)
    else await expect(readAllowances(dir, 'c')).rejects.toThrow(/c\/\.wf-allow-breaking\.yaml is invalid/)
  })
})
