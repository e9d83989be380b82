import type { Target } from './locate.js'
import { suggest } from '../lib/suggest.js'

// The plan validator (ajv, generated) decides whether a plan is valid. When it is not, this
// walker re-reads the value against the same schema to say *why* in words a person can act on:
// it picks the intended branch of a `oneOf` (by kind key or by type) instead of listing every
// branch's failure, as raw ajv errors do.

type Schema = {
  $ref?: string
  type?: string | string[]
  const?: unknown
  enum?: unknown[]
  description?: string
  title?: string
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  minItems?: number
  minProperties?: number
  maxProperties?: number
  required?: string[]
  properties?: Record<string, Schema>
  additionalProperties?: boolean | Schema
  propertyNames?: Schema
  items?: Schema
  oneOf?: Schema[]
  anyOf?: Schema[]
  definitions?: Record<string, Schema>
}

/** One explained schema violation, at a data path. */
export interface SchemaFinding {
  path: (string | number)[]
  target: Target
  message: string
  expected?: string
  hint?: string
}

type Path = (string | number)[]

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (Number.isInteger(value)) return 'integer'
  return typeof value
}

const typeWords: Record<string, string> = {
  string: 'a string',
  array: 'a list',
  object: 'a mapping',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'nothing (null)',
}

function typeMatches(type: string, value: unknown): boolean {
  const actual = jsonType(value)
  return type === actual || (type === 'number' && actual === 'integer')
}

function typesOf(schema: Schema): string[] | undefined {
  if (schema.type) return Array.isArray(schema.type) ? schema.type : [schema.type]
  if ('const' in schema) return [jsonType(schema.const)]
  return undefined
}

function describeValue(value: unknown): string {
  const type = jsonType(value)
  if (type === 'string') return `the string ${JSON.stringify(String(value).slice(0, 40))}`
  if (type === 'integer' || type === 'number' || type === 'boolean' || type === 'null') return String(value)
  return typeWords[type] ?? type
}

/** Explains why `value` does not match `root`; empty when the walker finds nothing wrong. */
export function explainSchemaErrors(root: Schema, value: unknown): SchemaFinding[] {
  return new Explainer(root, value).walk(root, value, [])
}

/** Walks a value against the plan schema, naming each problem after where it is in the plan. */
class Explainer {
  constructor(
    private readonly root: Schema,
    private readonly value: unknown,
  ) {}

  private deref(schema: Schema): Schema {
    let current = schema
    while (current.$ref) {
      const name = current.$ref.replace('#/definitions/', '')
      const target = this.root.definitions?.[name]
      if (!target) throw new Error(`unresolved $ref ${current.$ref}`)
      current = target
    }
    return current
  }

  private subject(path: Path): string {
    const last = path[path.length - 1]
    const parent = path.slice(0, -1)
    if (path.length === 0) return 'the plan'
    const grand = parent[parent.length - 1]
    if (typeof last === 'number') {
      if (grand === 'phases') {
        const id = (this.value as { phases?: { id?: unknown }[] }).phases?.[last]?.id
        return typeof id === 'string' ? `phase \`${id}\`` : `phase #${last + 1}`
      }
      if (grand === 'tasks' || grand === 'gates')
        return `${grand.slice(0, -1)} #${last + 1} of ${this.subject(parent.slice(0, -1))}`
      return `item #${last + 1} of ${this.subject(parent)}`
    }
    return parent.length === 0 ? `\`${last}\`` : `\`${last}\` in ${this.subject(parent)}`
  }

  /** The findings of `data` against `schemaIn` and everything below it. */
  walk(schemaIn: Schema, data: unknown, path: Path): SchemaFinding[] {
    const schema = this.deref(schemaIn)
    const expected = schema.description
    const mismatch = this.valueMismatch(schema, data, path)
    if (mismatch) return [mismatch]
    const findings: SchemaFinding[] = []
    if (typeof data === 'string') findings.push(...this.stringFindings(schema, data, path))
    if (typeof data === 'number') findings.push(...this.numberFindings(schema, data, path))
    if (Array.isArray(data)) {
      if (schema.minItems !== undefined && data.length < schema.minItems)
        findings.push({ path, target: 'value', message: `${this.subject(path)} must not be an empty list`, expected })
      if (schema.items)
        data.forEach((item, i) => {
          findings.push(...this.walk(schema.items!, item, [...path, i]))
        })
    }
    if (jsonType(data) === 'object') {
      findings.push(...this.walkObject(schema, data as Record<string, unknown>, path))
    }
    if (schema.oneOf) findings.push(...this.walkBranches(schema.oneOf, 'oneOf', data, path, expected))
    if (schema.anyOf) findings.push(...this.walkBranches(schema.anyOf, 'anyOf', data, path, expected))
    return findings
  }

  /** The wrong type, a value other than the `const`, or one outside the `enum`: nothing below is worth explaining. */
  private valueMismatch(schema: Schema, data: unknown, path: Path): SchemaFinding | undefined {
    const expected = schema.description
    const types = schema.type ? (Array.isArray(schema.type) ? schema.type : [schema.type]) : undefined
    if (types && !types.some((t) => typeMatches(t, data))) {
      return {
        path,
        target: 'value',
        message: `${this.subject(path)} must be ${types.map((t) => typeWords[t] ?? t).join(' or ')}, not ${describeValue(data)}`,
        expected,
      }
    }
    if ('const' in schema && data !== schema.const) {
      return {
        path,
        target: 'value',
        message: `${this.subject(path)} must be ${JSON.stringify(schema.const)}, not ${describeValue(data)}`,
        expected,
      }
    }
    if (schema.enum && !schema.enum.includes(data)) {
      const close = typeof data === 'string' ? suggest(data, schema.enum.map(String)) : undefined
      return {
        path,
        target: 'value',
        message: `${this.subject(path)} must be one of ${schema.enum.map((e) => `\`${e}\``).join(', ')}, not ${describeValue(data)}`,
        expected,
        hint: close ? `did you mean \`${close}\`?` : undefined,
      }
    }
    return undefined
  }

  private stringFindings(schema: Schema, data: string, path: Path): SchemaFinding[] {
    const expected = schema.description
    const findings: SchemaFinding[] = []
    if (schema.minLength !== undefined && data.length < schema.minLength)
      findings.push({ path, target: 'value', message: `${this.subject(path)} must not be empty`, expected })
    if (schema.maxLength !== undefined && data.length > schema.maxLength)
      findings.push({
        path,
        target: 'value',
        message: `${this.subject(path)} is longer than ${schema.maxLength} characters`,
        expected,
      })
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(data)) {
      findings.push({
        path,
        target: 'value',
        message: `${this.subject(path)} has an invalid value ${JSON.stringify(data)}`,
        expected: expected ?? `a string matching /${schema.pattern}/`,
      })
    }
    return findings
  }

  private numberFindings(schema: Schema, data: number, path: Path): SchemaFinding[] {
    const expected = schema.description
    const findings: SchemaFinding[] = []
    if (schema.minimum !== undefined && data < schema.minimum)
      findings.push({
        path,
        target: 'value',
        message: `${this.subject(path)} must be at least ${schema.minimum}, not ${data}`,
        expected,
      })
    if (schema.maximum !== undefined && data > schema.maximum)
      findings.push({
        path,
        target: 'value',
        message: `${this.subject(path)} must be at most ${schema.maximum}, not ${data}`,
        expected,
      })
    if (schema.exclusiveMinimum !== undefined && data <= schema.exclusiveMinimum)
      findings.push({
        path,
        target: 'value',
        message: `${this.subject(path)} must be more than ${schema.exclusiveMinimum}, not ${data}`,
        expected,
      })
    return findings
  }

  private walkObject(schema: Schema, data: Record<string, unknown>, path: Path): SchemaFinding[] {
    const findings: SchemaFinding[] = []
    const keys = Object.keys(data)
    const known = Object.keys(schema.properties ?? {})
    for (const key of schema.required ?? []) {
      if (!(key in data) && schema.properties?.[key]) {
        findings.push({
          path,
          target: 'value',
          message: `${this.subject(path)} is missing \`${key}\``,
          expected: this.deref(schema.properties[key]).description,
        })
      }
    }
    for (const key of keys) {
      const propertySchema = schema.properties?.[key]
      if (propertySchema) {
        findings.push(...this.walk(propertySchema, data[key], [...path, key]))
        continue
      }
      if (schema.propertyNames?.pattern && !new RegExp(schema.propertyNames.pattern, 'u').test(key)) {
        findings.push({
          path: [...path, key],
          target: 'key',
          message: `${this.subject([...path, key])} is not a valid name`,
          expected: `a name matching /${schema.propertyNames.pattern}/`,
        })
        continue
      }
      if (schema.additionalProperties === false) {
        const close = suggest(key, known)
        findings.push({
          path: [...path, key],
          target: 'key',
          message: `unknown key \`${key}\` in ${this.subject(path)}`,
          expected: `one of ${known.map((k) => `\`${k}\``).join(', ')}`,
          hint: close ? `did you mean \`${close}\`?` : undefined,
        })
      } else if (typeof schema.additionalProperties === 'object') {
        findings.push(...this.walk(schema.additionalProperties, data[key], [...path, key]))
      }
    }
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) {
      findings.push({
        path,
        target: 'value',
        message: `${this.subject(path)} must not be empty`,
        expected:
          schema.description ?? (known.length ? `one of ${known.map((k) => `\`${k}\``).join(', ')}` : undefined),
      })
    }
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) {
      findings.push({
        path,
        target: 'value',
        message: `${this.subject(path)} has ${keys.length} keys (${keys.map((k) => `\`${k}\``).join(', ')}) but takes ${schema.maxProperties}`,
        expected: schema.description,
        hint: 'combine conditions with `all:` or `any:`',
      })
    }
    return findings
  }

  private walkBranches(
    branchesIn: Schema[],
    keyword: 'oneOf' | 'anyOf',
    data: unknown,
    path: Path,
    expected?: string,
  ): SchemaFinding[] {
    const branches = branchesIn.map((b) => this.deref(b))
    // Kind unions (tasks, gates): each branch is an object keyed by one distinct required key.
    const kindKeys = branches.map((b) =>
      b.type === 'object' && b.additionalProperties === false ? b.required?.[0] : undefined,
    )
    if (kindKeys.every((k) => k !== undefined) && new Set(kindKeys).size === branches.length) {
      return this.walkKinds(branches, kindKeys as string[], data, path, expected)
    }
    // Branches that only say which keys are required (`text` or `regex`); they list those keys under
    // `properties` with empty schemas, as ajv's strict mode wants every required key defined beside it.
    const onlyRequired = (b: Schema) =>
      !typesOf(b) &&
      b.required &&
      Object.values(b.properties ?? {}).every((p) => typeof p === 'object' && Object.keys(p).length === 0)
    if (branches.every(onlyRequired)) {
      const sets = branches.map((b) => b.required!)
      const record = (jsonType(data) === 'object' ? data : {}) as Record<string, unknown>
      const met = sets.filter((keys) => keys.every((k) => k in record))
      const names = sets.map((keys) => keys.map((k) => `\`${k}\``).join(' + ')).join(', ')
      if (met.length === 0)
        return [
          {
            path,
            target: 'value',
            message: `${this.subject(path)} needs ${keyword === 'oneOf' ? 'one' : 'at least one'} of ${names}`,
            expected,
          },
        ]
      if (keyword === 'oneOf' && met.length > 1)
        return [{ path, target: 'value', message: `${this.subject(path)} takes only one of ${names}`, expected }]
      return []
    }
    const candidates = branches.filter((b) => {
      const types = typesOf(b)
      return !types || types.some((t) => typeMatches(t, data))
    })
    if (candidates.length === 0) {
      const words = [
        ...new Set(
          branches.flatMap((b) =>
            (typesOf(b) ?? []).map((t) => ('const' in b ? `\`${JSON.stringify(b.const)}\`` : (typeWords[t] ?? t))),
          ),
        ),
      ]
      return [
        {
          path,
          target: 'value',
          message: `${this.subject(path)} must be ${words.join(' or ')}, not ${describeValue(data)}`,
          expected,
        },
      ]
    }
    let best: SchemaFinding[] | undefined
    for (const candidate of candidates) {
      const found = this.walk(candidate, data, path)
      if (found.length === 0) return []
      if (!best || found.length < best.length) best = found
    }
    // A finding about the value itself is best explained by the description of the whole union (a duration's
    // description names both spellings; the string branch alone would only show its pattern).
    return (best ?? []).map((f) => (!expected || f.path.length !== path.length ? f : { ...f, expected }))
  }

  private walkKinds(
    branches: Schema[],
    kindKeys: string[],
    data: unknown,
    path: Path,
    expected?: string,
  ): SchemaFinding[] {
    const what = this.subject(path)
    const list = kindKeys.map((k) => `\`${k}\``).join(', ')
    if (jsonType(data) !== 'object') {
      return [
        {
          path,
          target: 'value',
          message: `${what} must be a mapping with one of ${list}, not ${describeValue(data)}`,
          expected,
        },
      ]
    }
    const record = data as Record<string, unknown>
    const present = kindKeys.filter((k) => k in record)
    if (present.length === 1) return this.walk(branches[kindKeys.indexOf(present[0]!)]!, data, path)
    if (present.length > 1) {
      return [
        {
          path,
          target: 'value',
          message: `${what} has ${present.length} kind keys (${present.map((k) => `\`${k}\``).join(', ')}); each takes exactly one`,
          expected,
          hint: 'split it into separate entries, one per kind',
        },
      ]
    }
    const allOptions = new Set(branches.flatMap((b) => Object.keys(b.properties ?? {})))
    const unknown = Object.keys(record).filter((k) => !allOptions.has(k))
    if (unknown.length === 0)
      return [{ path, target: 'value', message: `${what} has no kind key: expected one of ${list}` }]
    return unknown.map((key) => {
      const close = suggest(key, kindKeys) ?? suggest(key, allOptions)
      return {
        path: [...path, key],
        target: 'key' as const,
        message: `unknown key \`${key}\` in ${what}, which needs one of ${list}`,
        hint: close ? `did you mean \`${close}\`?` : undefined,
      }
    })
  }
}
