import { describe, expect, it } from 'vitest'
import { testdir } from '../helpers.js'
import { expectInvalid, planWith, runGates } from './run-gates.js'

describe('json-schema gate', () => {
  const appSchema = JSON.stringify(
    {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      required: ['name', 'port'],
      additionalProperties: false,
      properties: {
        name: { type: 'string' },
        port: { type: 'integer', minimum: 1 },
        admin: { type: 'string', format: 'email' },
      },
    },
    null,
    2,
  )
  const pairSchema = [
    '$schema: https://json-schema.org/draft/2020-12/schema',
    'type: object',
    'properties:',
    '  pair:',
    '    type: array',
    '    prefixItems: [{ type: string }, { type: integer }]',
    '    items: false',
    '',
  ].join('\n')
  const gates = [
    '      - json-schema: { schema: schemas/app.schema.json, files: "config/*.{json,yaml}" }',
    '      - json-schema: { schema: schemas/pair.schema.yaml, files: data/pair.json }',
    '',
  ].join('\n')

  it('passes for valid YAML and JSON files, with formats and a 2020-12 schema', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith(gates),
      'schemas/app.schema.json': appSchema,
      'schemas/pair.schema.yaml': pairSchema,
      'config/app.yaml': '# app settings\nname: shop\nport: 8080\nadmin: ops@example.com\n',
      'config/worker.json': '{\n  "name": "worker",\n  "port": 9000\n}\n',
      'data/pair.json': '{ "pair": ["a", 1] }\n',
    })
    const { code, gates: results } = await runGates(cwd)
    expect(results.map((g) => [g.status, g.message])).toEqual([
      ['passed', '2 files match schemas/app.schema.json'],
      ['passed', 'data/pair.json matches schemas/pair.schema.yaml'],
    ])
    expect(code).toBe(0)
  })

  it('matches a schema `pattern` in linear time (a nested quantifier does not hang the gate); lookahead still works', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith('      - json-schema: { schema: s.json, files: "data/*.json" }\n'),
      's.json': JSON.stringify({
        type: 'object',
        properties: {
          name: { type: 'string', pattern: '^(a+)+$' },
          code: { type: 'string', pattern: '^(?!x)[a-z]+$' },
        },
      }),
      'data/bad.json': JSON.stringify({ name: `${'a'.repeat(40)}!`, code: 'xyz' }),
      'data/good.json': JSON.stringify({ name: 'aaaa', code: 'abc' }),
    })
    const { gates: results } = await runGates(cwd)
    expect(results[0]!.status).toBe('failed')
    expect(results[0]!.message).toMatch(/data\/bad\.json:1:\d+ \/name must match pattern "\^\(a\+\)\+\$"/)
    expect(results[0]!.message).toMatch(/data\/bad\.json:1:\d+ \/code must match pattern/)
    expect(results[0]!.message).not.toMatch(/good\.json/)
  })

  it('locates every error at file:line:col of the offending value', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith(gates),
      'schemas/app.schema.json': appSchema,
      'schemas/pair.schema.yaml': pairSchema,
      'config/app.yaml': '# app settings\nname: shop\nadmin: not-an-email\nport: "8080"\n',
      'config/broken.yaml': 'name: shop\nname: again\nport: 1\n',
      'config/trailing.json': '{\n  "name": "x",\n  "port": 1,\n}\n',
      'config/worker.json': '{\n  "name": "worker",\n  "port": 9000,\n  "debug": true\n}\n',
      'data/pair.json': '{\n  "pair": ["a", "b"]\n}\n',
    })
    const { code, gates: results } = await runGates(cwd)
    expect(code).toBe(1)
    expect(results[0]!.status).toBe('failed')
    expect(results[0]!.locations).toEqual([
      { file: 'config/app.yaml', line: 4, col: 7, message: '/port must be integer' },
      { file: 'config/app.yaml', line: 3, col: 8, message: '/admin must match format "email"' },
      { file: 'config/broken.yaml', line: 2, col: 1, message: 'does not parse: Map keys must be unique' },
      {
        file: 'config/trailing.json',
        line: 4,
        col: 1,
        message: 'does not parse as JSON: Expected double-quoted property name',
      },
      { file: 'config/worker.json', line: 4, col: 3, message: '/ must NOT have additional properties: `debug`' },
    ])
    expect(results[0]!.message).toMatch(/^config\/app\.yaml:4:7 \/port must be integer; config\/app\.yaml:3:8 /)
    expect(results[1]!.locations).toEqual([
      { file: 'data/pair.json', line: 2, col: 17, message: '/pair/1 must be integer' },
    ])
    expect(results[1]!.message).toBe('data/pair.json:2:17 /pair/1 must be integer')
  })

  it('rejects a schema file that does not parse or is not a JSON Schema at plan time', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith(
        '      - json-schema:\n          schema: schemas/bad.json\n          files: config/app.json\n',
      ),
      'schemas/bad.json': '{\n  "type": "object",\n  "properties": { "port": { "type": "integr" } }\n}\n',
    })
    await expectInvalid(
      cwd,
      'phases/p.yaml:6:19',
      'schema schemas/bad.json is not a valid JSON Schema: /properties/port/type must be equal to one of the allowed values',
    )
    const broken = testdir({
      'phases/p.yaml': planWith('      - json-schema: { schema: schemas/broken.yaml, files: config/app.json }\n'),
      'schemas/broken.yaml': 'type: object\nproperties: [a,\n',
    })
    await expectInvalid(broken, 'phases/p.yaml:5:32', 'schema schemas/broken.yaml is not valid JSON or YAML')
  })
})
