import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers.js'

type Schema = { [key: string]: unknown; properties?: Record<string, Schema>; description?: string; $ref?: string }

const schema = JSON.parse(readFileSync(join(repoRoot, 'contracts', 'plan.schema.json'), 'utf8')) as Schema
const definitions = schema.definitions as Record<string, Schema>

/** A property says what it is itself, or refers to a definition that does (editors show that one). */
function described(property: Schema): boolean {
  if (property.description) return true
  const ref = property.$ref?.match(/^#\/definitions\/(.+)$/)?.[1]
  return Boolean(ref && definitions[ref]?.description)
}

/** Paths of the properties without a description, anywhere in the schema. */
function undescribed(node: unknown, path: string, beside?: Schema, found: string[] = []): string[] {
  if (node === null || typeof node !== 'object') return found
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) undescribed(item, `${path}/${i}`, beside, found)
    return found
  }
  const schemaNode = node as Schema
  for (const [name, property] of Object.entries(schemaNode.properties ?? {})) {
    // A branch of `oneOf`/`anyOf` may restate, with an empty schema, a property its object defines.
    const restated = Object.keys(property).length === 0 && beside?.properties?.[name] !== undefined
    if (!restated && !described(property)) found.push(`${path}/properties/${name}`)
  }
  for (const [key, value] of Object.entries(schemaNode))
    undescribed(value, `${path}/${key}`, key === 'oneOf' || key === 'anyOf' ? schemaNode : undefined, found)
  return found
}

describe('contracts/plan.schema.json', () => {
  it('loads in ajv strict mode', () => {
    const warnings: unknown[] = []
    const logger = { log: () => {}, warn: (...args: unknown[]) => warnings.push(args), error: () => {} }
    const ajv = new Ajv({ strict: true, logger })
    expect(() => ajv.compile(schema)).not.toThrow()
    expect(warnings).toEqual([])
  })

  it('describes every property', () => {
    expect(undescribed(schema, '#')).toEqual([])
    // The walk does find an undescribed property, however deep.
    const copy = structuredClone(schema)
    delete (copy.definitions as Record<string, Schema>).condition!.properties!.all!.description
    expect(undescribed(copy, '#')).toEqual(['#/definitions/condition/properties/all'])
  })
})
