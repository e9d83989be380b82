import { describe, expect, it } from 'vitest'
import { compareSchemaSets } from '../../../src/contracts/diff/compare.js'
import { CHANGE_KINDS, type ChangeKind, type ContractChange, type Party } from '../../../src/contracts/diff/kinds.js'
import { parseSchemaEntry, type SchemaSet } from '../../../src/contracts/schema-set.js'

type Files = Record<string, object | boolean>

async function set(files: Files): Promise<SchemaSet> {
  const entries = await Promise.all(
    Object.entries(files).map(([rel, schema]) => parseSchemaEntry(`c/${rel}`, JSON.stringify(schema, null, 2))),
  )
  return { base: 'c', entries: entries.sort((a, b) => (a.rel < b.rel ? -1 : 1)) }
}

async function diff(before: Files, after: Files): Promise<ContractChange[]> {
  return compareSchemaSets(await set(before), await set(after))
}

const obj = (properties: object, extra: object = {}) => ({ type: 'object', properties, ...extra })
const C: Party[] = ['consumers']
const P: Party[] = ['producers']
const BOTH: Party[] = ['consumers', 'producers']
const NONE: Party[] = []

interface Row {
  kind: ChangeKind
  before: Files
  after: Files
  breaks: Party[]
  pointer: string
}

// One row per rule: the smallest change of that kind, whom it breaks, and where it is reported.
const table: Row[] = [
  {
    kind: 'schema-added',
    before: { 'a.json': {} },
    after: { 'a.json': {}, 'b.json': { type: 'string' } },
    breaks: NONE,
    pointer: '',
  },
  {
    kind: 'schema-removed',
    before: { 'a.json': {}, 'b.json': { type: 'string' } },
    after: { 'a.json': {} },
    breaks: BOTH,
    pointer: '',
  },
  {
    kind: 'schema-renamed',
    before: { 'a.json': { type: 'string', minLength: 2 } },
    after: { 'z.json': { type: 'string', minLength: 2 } },
    breaks: BOTH,
    pointer: '',
  },
  {
    kind: 'id-changed',
    before: { 'a.json': { $id: 'https://x.dev/a.json' } },
    after: { 'a.json': { $id: 'https://x.dev/a2.json' } },
    breaks: BOTH,
    pointer: '/$id',
  },
  {
    kind: 'definition-added',
    before: { 'a.json': { definitions: {} } },
    after: { 'a.json': { definitions: { d: { type: 'string' } } } },
    breaks: NONE,
    pointer: '/definitions/d',
  },
  {
    kind: 'definition-removed',
    before: { 'a.json': { $defs: { d: { type: 'string' } } } },
    after: { 'a.json': { $defs: {} } },
    breaks: BOTH,
    pointer: '/$defs/d',
  },
  {
    kind: 'property-added',
    before: { 'a.json': obj({ a: {} }) },
    after: { 'a.json': obj({ a: {}, b: { type: 'string' } }) },
    breaks: NONE,
    pointer: '/properties/b',
  },
  {
    kind: 'property-added-closed',
    before: { 'a.json': obj({ a: {} }, { additionalProperties: false }) },
    after: { 'a.json': obj({ a: {}, b: {} }, { additionalProperties: false }) },
    breaks: C,
    pointer: '/properties/b',
  },
  {
    kind: 'required-property-added',
    before: { 'a.json': obj({ a: {} }) },
    after: { 'a.json': obj({ a: {}, b: {} }, { required: ['b'] }) },
    breaks: P,
    pointer: '/properties/b',
  },
  {
    kind: 'property-removed',
    before: { 'a.json': obj({ a: {}, b: {} }) },
    after: { 'a.json': obj({ a: {} }) },
    breaks: C,
    pointer: '/properties/b',
  },
  {
    kind: 'property-removed-closed',
    before: { 'a.json': obj({ a: {}, b: {} }, { additionalProperties: false }) },
    after: { 'a.json': obj({ a: {} }, { additionalProperties: false }) },
    breaks: BOTH,
    pointer: '/properties/b',
  },
  {
    kind: 'required-added',
    before: { 'a.json': obj({ a: {}, b: {} }, { required: ['b'] }) },
    after: { 'a.json': obj({ a: {}, b: {} }, { required: ['b', 'a'] }) },
    breaks: P,
    pointer: '/required/1',
  },
  {
    kind: 'required-removed',
    before: { 'a.json': obj({ a: {} }, { required: ['a'] }) },
    after: { 'a.json': obj({ a: {} }) },
    breaks: C,
    pointer: '/required',
  },
  {
    kind: 'type-narrowed',
    before: { 'a.json': { type: ['string', 'null'] } },
    after: { 'a.json': { type: 'string' } },
    breaks: P,
    pointer: '/type',
  },
  {
    kind: 'type-narrowed',
    before: { 'a.json': { type: 'number' } },
    after: { 'a.json': { type: 'integer' } },
    breaks: P,
    pointer: '/type',
  },
  {
    kind: 'type-widened',
    before: { 'a.json': { type: 'integer' } },
    after: { 'a.json': { type: 'number' } },
    breaks: C,
    pointer: '/type',
  },
  {
    kind: 'type-changed',
    before: { 'a.json': obj({ n: { type: 'string' } }) },
    after: { 'a.json': obj({ n: { type: 'integer' } }) },
    breaks: BOTH,
    pointer: '/properties/n/type',
  },
  {
    kind: 'enum-value-added',
    before: { 'a.json': { enum: ['a', 'b'] } },
    after: { 'a.json': { enum: ['a', 'b', 'c'] } },
    breaks: C,
    pointer: '/enum/2',
  },
  {
    kind: 'enum-value-removed',
    before: { 'a.json': { enum: ['a', 'b'] } },
    after: { 'a.json': { enum: ['a'] } },
    breaks: P,
    pointer: '/enum',
  },
  {
    kind: 'enum-added',
    before: { 'a.json': { type: 'string' } },
    after: { 'a.json': { type: 'string', enum: ['a'] } },
    breaks: P,
    pointer: '/enum',
  },
  {
    kind: 'enum-removed',
    before: { 'a.json': { type: 'string', enum: ['a'] } },
    after: { 'a.json': { type: 'string' } },
    breaks: C,
    pointer: '/enum',
  },
  {
    kind: 'const-added',
    before: { 'a.json': { type: 'string' } },
    after: { 'a.json': { type: 'string', const: 'x' } },
    breaks: P,
    pointer: '/const',
  },
  {
    kind: 'const-removed',
    before: { 'a.json': { const: 'x' } },
    after: { 'a.json': {} },
    breaks: C,
    pointer: '/const',
  },
  {
    kind: 'const-changed',
    before: { 'a.json': { const: 'x' } },
    after: { 'a.json': { const: 'y' } },
    breaks: BOTH,
    pointer: '/const',
  },
  {
    kind: 'additional-properties-closed',
    before: { 'a.json': obj({}) },
    after: { 'a.json': obj({}, { additionalProperties: false }) },
    breaks: P,
    pointer: '/additionalProperties',
  },
  {
    kind: 'additional-properties-opened',
    before: { 'a.json': obj({}, { additionalProperties: false }) },
    after: { 'a.json': obj({}) },
    breaks: C,
    pointer: '/additionalProperties',
  },
  {
    kind: 'constraint-tightened',
    before: { 'a.json': { type: 'string', maxLength: 10 } },
    after: { 'a.json': { type: 'string', maxLength: 5 } },
    breaks: P,
    pointer: '/maxLength',
  },
  {
    kind: 'constraint-tightened',
    before: { 'a.json': { type: 'integer' } },
    after: { 'a.json': { type: 'integer', minimum: 0 } },
    breaks: P,
    pointer: '/minimum',
  },
  {
    kind: 'constraint-tightened',
    before: { 'a.json': { type: 'array' } },
    after: { 'a.json': { type: 'array', uniqueItems: true } },
    breaks: P,
    pointer: '/uniqueItems',
  },
  {
    kind: 'constraint-loosened',
    before: { 'a.json': { type: 'string', minLength: 3 } },
    after: { 'a.json': { type: 'string', minLength: 1 } },
    breaks: C,
    pointer: '/minLength',
  },
  {
    kind: 'constraint-loosened',
    before: { 'a.json': { type: 'array', maxItems: 3 } },
    after: { 'a.json': { type: 'array' } },
    breaks: C,
    pointer: '/maxItems',
  },
  {
    kind: 'pattern-added',
    before: { 'a.json': { type: 'string' } },
    after: { 'a.json': { type: 'string', pattern: '^a' } },
    breaks: P,
    pointer: '/pattern',
  },
  {
    kind: 'pattern-removed',
    before: { 'a.json': { type: 'string', pattern: '^a' } },
    after: { 'a.json': { type: 'string' } },
    breaks: C,
    pointer: '/pattern',
  },
  {
    kind: 'pattern-changed',
    before: { 'a.json': { type: 'string', pattern: '^a' } },
    after: { 'a.json': { type: 'string', pattern: '^b' } },
    breaks: BOTH,
    pointer: '/pattern',
  },
  {
    kind: 'format-added',
    before: { 'a.json': { type: 'string' } },
    after: { 'a.json': { type: 'string', format: 'email' } },
    breaks: P,
    pointer: '/format',
  },
  {
    kind: 'format-removed',
    before: { 'a.json': { type: 'string', format: 'email' } },
    after: { 'a.json': { type: 'string' } },
    breaks: C,
    pointer: '/format',
  },
  {
    kind: 'format-changed',
    before: { 'a.json': { type: 'string', format: 'email' } },
    after: { 'a.json': { type: 'string', format: 'uri' } },
    breaks: BOTH,
    pointer: '/format',
  },
  {
    kind: 'type-changed',
    before: { 'a.json': { type: 'array', items: { type: 'string' } } },
    after: { 'a.json': { type: 'array', items: { type: 'boolean' } } },
    breaks: BOTH,
    pointer: '/items/type',
  },
  {
    kind: 'branch-added',
    before: { 'a.json': { oneOf: [{ type: 'string' }, { type: 'null' }] } },
    after: { 'a.json': { oneOf: [{ type: 'string' }, { type: 'null' }, { type: 'boolean' }] } },
    breaks: C,
    pointer: '/oneOf/2',
  },
  {
    kind: 'branch-removed',
    before: { 'a.json': { anyOf: [{ type: 'string' }, { type: 'null' }, { type: 'boolean' }] } },
    after: { 'a.json': { anyOf: [{ type: 'string' }, { type: 'boolean' }] } },
    breaks: P,
    pointer: '/anyOf/1',
  },
  {
    kind: 'all-of-added',
    before: { 'a.json': { allOf: [] } },
    after: { 'a.json': { allOf: [{ required: ['a'] }] } },
    breaks: P,
    pointer: '/allOf/0',
  },
  {
    kind: 'all-of-removed',
    before: { 'a.json': { allOf: [{ required: ['a'] }] } },
    after: { 'a.json': {} },
    breaks: C,
    pointer: '/allOf/0',
  },
  {
    kind: 'ref-changed',
    before: {
      'a.json': obj({ x: { $ref: 'b.json' } }),
      'b.json': { type: 'string' },
      'c.json': { type: 'string', maxLength: 3 },
    },
    after: {
      'a.json': obj({ x: { $ref: 'c.json' } }),
      'b.json': { type: 'string' },
      'c.json': { type: 'string', maxLength: 3 },
    },
    breaks: P,
    pointer: '/properties/x/$ref',
  },
  {
    kind: 'ref-changed',
    before: { 'a.json': obj({ x: { type: 'string' } }), 'b.json': { type: 'string' } },
    after: { 'a.json': obj({ x: { $ref: 'b.json' } }), 'b.json': { type: 'string' } },
    breaks: NONE,
    pointer: '/properties/x/$ref',
  },
  {
    kind: 'default-added',
    before: { 'a.json': { type: 'string' } },
    after: { 'a.json': { type: 'string', default: 'a' } },
    breaks: NONE,
    pointer: '/default',
  },
  {
    kind: 'default-removed',
    before: { 'a.json': { type: 'string', default: 'a' } },
    after: { 'a.json': { type: 'string' } },
    breaks: C,
    pointer: '/default',
  },
  {
    kind: 'default-changed',
    before: { 'a.json': { type: 'string', default: 'a' } },
    after: { 'a.json': { type: 'string', default: 'b' } },
    breaks: C,
    pointer: '/default',
  },
  {
    kind: 'annotation-changed',
    before: { 'a.json': obj({ a: { description: 'old' } }) },
    after: { 'a.json': obj({ a: { description: 'new' } }) },
    breaks: NONE,
    pointer: '/properties/a/description',
  },
  {
    kind: 'annotation-changed',
    before: { 'a.json': { title: 'A' } },
    after: { 'a.json': { title: 'B' } },
    breaks: NONE,
    pointer: '/title',
  },
  {
    kind: 'dialect-changed',
    before: { 'a.json': { $schema: 'http://json-schema.org/draft-07/schema#' } },
    after: { 'a.json': { $schema: 'https://json-schema.org/draft/2020-12/schema' } },
    breaks: NONE,
    pointer: '/$schema',
  },
  {
    kind: 'keyword-changed',
    before: { 'a.json': { not: { type: 'null' } } },
    after: { 'a.json': { not: { type: 'string' } } },
    breaks: BOTH,
    pointer: '/not',
  },
]

describe('contracts diff rules', () => {
  it.each(table.map((row, i) => [`${row.kind} #${i}`, row] as const))('%s', async (_name, row) => {
    const changes = await diff(row.before, row.after)
    expect(changes.map((c) => c.kind)).toEqual([row.kind])
    const [change] = changes
    expect(change!.breaks).toEqual(row.breaks)
    expect(change!.pointer).toBe(row.pointer)
    expect(change!.why.length).toBeGreaterThan(10)
  })

  it('covers every kind in the rule table', () => {
    const covered = new Set(table.map((row) => row.kind))
    expect(Object.keys(CHANGE_KINDS).filter((k) => !covered.has(k as ChangeKind))).toEqual([])
    expect(covered.size).toBeGreaterThanOrEqual(15)
  })

  it('finds nothing when only formatting and key order change', async () => {
    expect(
      await diff(
        { 'a.json': { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } },
        { 'a.json': { required: ['a'], properties: { a: { type: 'string' } }, type: 'object' } },
      ),
    ).toEqual([])
  })

  it('says what changed before and after, and why', async () => {
    const [change] = await diff(
      { 'a.json': obj({ q: { type: 'integer', maximum: 999 } }) },
      { 'a.json': obj({ q: { type: 'integer', maximum: 99 } }) },
    )
    expect(change).toMatchObject({
      kind: 'constraint-tightened',
      before: 999,
      after: 99,
      pointer: '/properties/q/maximum',
      file: 'c/a.json',
      breaks: ['producers'],
    })
    expect(change!.why).toContain('maximum 999 → 99')
  })

  it('compares a changed definition once, where it is defined, not at each reference', async () => {
    const before = {
      'a.json': {
        definitions: { id: { type: 'string', maxLength: 10 } },
        ...obj({ x: { $ref: '#/definitions/id' }, y: { $ref: '#/definitions/id' } }),
      },
    }
    const after = {
      'a.json': {
        definitions: { id: { type: 'string', maxLength: 5 } },
        ...obj({ x: { $ref: '#/definitions/id' }, y: { $ref: '#/definitions/id' } }),
      },
    }
    const changes = await diff(before, after)
    expect(changes.map((c) => [c.kind, c.pointer])).toEqual([['constraint-tightened', '/definitions/id/maxLength']])
  })

  it('compares $ref targets kept outside definitions, where they are', async () => {
    const shared = (max: number) => ({
      'x-shared': { s: { type: 'string', maxLength: max } },
      ...obj({ v: { $ref: '#/x-shared/s' } }),
    })
    const tightened = await diff({ 'a.json': shared(10) }, { 'a.json': shared(5) })
    expect(tightened).toEqual([
      expect.objectContaining({
        kind: 'constraint-tightened',
        file: 'c/a.json',
        pointer: '/x-shared/s/maxLength',
        breaks: P,
      }),
    ])
    const nested = (type: string) =>
      obj({
        p: { $defs: { inner: { type } }, type: 'object', properties: { q: { $ref: '#/properties/p/$defs/inner' } } },
      })
    const retyped = await diff({ 'a.json': nested('string') }, { 'a.json': nested('integer') })
    expect(retyped.map((c) => [c.kind, c.pointer])).toEqual([['type-changed', '/properties/p/$defs/inner/type']])
    expect(await diff({ 'a.json': shared(10) }, { 'a.json': shared(10) })).toEqual([])
  })

  it('follows $ref cycles without looping', async () => {
    const tree = (extra: object) => ({
      type: 'object',
      properties: { children: { type: 'array', items: { $ref: '#' } }, parent: { $ref: '#' }, ...extra },
    })
    const node = (max: number) => ({
      definitions: {
        n: { type: 'object', properties: { next: { $ref: '#/definitions/n' }, v: { type: 'integer', maximum: max } } },
        m: { type: 'object', properties: { next: { $ref: '#/definitions/m' }, v: { type: 'integer' } } },
      },
      ...obj({ head: { $ref: '#/definitions/n' } }),
    })
    expect(await diff({ 'a.json': tree({}) }, { 'a.json': tree({ name: { type: 'string' } }) })).toMatchObject([
      { kind: 'property-added' },
    ])
    const retarget = await diff(
      { 'a.json': node(5) },
      { 'a.json': { ...node(5), ...obj({ head: { $ref: '#/definitions/m' } }) } },
    )
    expect(retarget.map((c) => c.kind)).toEqual(['ref-changed'])
    expect(retarget[0]!.breaks).toEqual(['consumers'])
    const crossFile = { 'a.json': obj({ b: { $ref: 'b.json' } }), 'b.json': obj({ a: { $ref: 'a.json' } }) }
    const crossFile2 = {
      'a.json': obj({ b: { $ref: 'b.json' } }),
      'b.json': obj({ a: { $ref: 'a.json' }, n: { type: 'string' } }),
    }
    expect((await diff(crossFile, crossFile2)).map((c) => c.kind)).toEqual(['property-added'])
  })

  it('compares the keywords beside a `$ref`, which ajv applies too', async () => {
    const with$ref = (max: number) => ({
      'a.json': { definitions: { s: { type: 'string' } }, ...obj({ x: { $ref: '#/definitions/s', maxLength: max } }) },
    })
    expect((await diff(with$ref(5), with$ref(3))).map((c) => [c.kind, c.breaks, c.pointer])).toEqual([
      ['constraint-tightened', P, '/properties/x/maxLength'],
    ])
    const rootRef = (max: number) => ({
      'a.json': {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $ref: '#/$defs/m',
        $defs: { m: { type: 'string', maxLength: max } },
      },
    })
    expect((await diff(rootRef(5), rootRef(3))).map((c) => c.pointer)).toEqual(['/$defs/m/maxLength'])
  })

  it('counts the keywords beside a `$ref` when the other side is an inline schema', async () => {
    const defs = { definitions: { s: { type: 'string', maxLength: 10 } } }
    const ref = (extra: object) => ({ 'a.json': { ...defs, ...obj({ x: { $ref: '#/definitions/s', ...extra } }) } })
    const inline = (schema: object) => ({ 'a.json': { ...defs, ...obj({ x: schema }) } })
    // `$ref` with maxLength 5 beside it accepts strings up to 5: inlining { maxLength: 10 } loosens it.
    const loosened = await diff(ref({ maxLength: 5 }), inline({ type: 'string', maxLength: 10 }))
    expect(loosened.map((c) => [c.kind, c.breaks])).toEqual([['ref-changed', C]])
    expect(loosened[0]!.why).toContain('maxLength 5 → 10')
    // The same bound inline: the same data, nothing breaks.
    expect(
      (await diff(ref({ maxLength: 5 }), inline({ type: 'string', maxLength: 5 }))).map((c) => [c.kind, c.breaks]),
    ).toEqual([['ref-changed', NONE]])
    // The stricter of the two bounds applies: a looser bound beside the `$ref` changes nothing.
    expect(
      (await diff(ref({ maxLength: 20 }), inline({ type: 'string', maxLength: 10 }))).map((c) => [c.kind, c.breaks]),
    ).toEqual([['ref-changed', NONE]])
    // And the other way: an inline schema replaced by a `$ref` that requires more.
    const tightened = await diff(
      { 'a.json': { definitions: { o: { type: 'object' } }, ...obj({ x: { type: 'object' } }) } },
      {
        'a.json': {
          definitions: { o: { type: 'object' } },
          ...obj({ x: { $ref: '#/definitions/o', required: ['id'] } }),
        },
      },
    )
    expect(tightened.map((c) => [c.kind, c.breaks])).toEqual([['ref-changed', P]])
    // `type` beside a `$ref` narrows what the target allows; it does not replace it.
    const ids = { definitions: { Id: { type: 'string' } } }
    const before = { 'a.json': { ...ids, ...obj({ id: { $ref: '#/definitions/Id', type: ['string', 'integer'] } }) } }
    const after = { 'a.json': { ...ids, ...obj({ id: { type: ['string', 'integer'] } }) } }
    expect((await diff(before, after)).map((c) => [c.kind, c.breaks])).toEqual([['ref-changed', C]])
    expect((await diff(after, before)).map((c) => [c.kind, c.breaks])).toEqual([['ref-changed', P]])
    // A keyword both give differently applies twice: a second pattern beside the `$ref` narrows too.
    const patterned = (schema: object) => ({
      'a.json': { definitions: { Code: { type: 'string', pattern: '^[a-z]+$' } }, ...obj({ code: schema }) },
    })
    expect(
      (
        await diff(
          patterned({ $ref: '#/definitions/Code', pattern: '^.{3}$' }),
          patterned({ type: 'string', pattern: '^[a-z]+$' }),
        )
      ).map((c) => c.breaks.length > 0),
    ).toEqual([true])
  })

  it('counts `oneOf`/`anyOf` added as narrowing and removed as widening', async () => {
    const alternatives = { anyOf: [{ maxLength: 3 }, { pattern: '^a' }] }
    expect(
      (await diff({ 'a.json': { type: 'string' } }, { 'a.json': { type: 'string', ...alternatives } })).map((c) => [
        c.kind,
        c.breaks,
        c.pointer,
      ]),
    ).toEqual([['constraint-tightened', P, '/anyOf']])
    expect(
      (await diff({ 'a.json': { type: 'string', oneOf: alternatives.anyOf } }, { 'a.json': { type: 'string' } })).map(
        (c) => [c.kind, c.breaks, c.pointer],
      ),
    ).toEqual([['constraint-loosened', C, '/oneOf']])
  })

  it('counts a required property added to a closed object as breaking consumers too', async () => {
    const changes = await diff(
      { 'a.json': obj({ a: {} }, { additionalProperties: false }) },
      { 'a.json': obj({ a: {}, b: {} }, { additionalProperties: false, required: ['b'] }) },
    )
    expect(changes.map((c) => [c.kind, c.breaks])).toEqual([['required-property-added', BOTH]])
  })

  it('names an alternative edited in place precisely', async () => {
    const changes = await diff(
      { 'a.json': { oneOf: [{ type: 'string', maxLength: 3 }, { type: 'null' }] } },
      { 'a.json': { oneOf: [{ type: 'string', maxLength: 9 }, { type: 'null' }] } },
    )
    expect(changes.map((c) => [c.kind, c.pointer])).toEqual([['constraint-loosened', '/oneOf/0/maxLength']])
  })
})
