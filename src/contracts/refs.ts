// `$ref` resolution across the files of a schema set, and JSON pointers.
import type { SchemaEntry } from './schema-set.js'
import { pathId } from './schema-set.js'

/** Where a `$ref` leads: a file of the set and a JSON pointer inside it. */
export interface RefTarget {
  entry: SchemaEntry
  /** JSON pointer inside the target file (`''` is its root). */
  pointer: string
}

/** Escapes one JSON pointer segment. */
export const escapePointer = (segment: string | number) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1')

/** The segments of a JSON pointer. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return []
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((s) => uriDecode(s).replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** A `$ref` fragment is URI-encoded; a pointer wf builds from a key such as `off%` is not. */
function uriDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** The value at a JSON pointer, or undefined. */
export function atPointer(root: unknown, pointer: string): unknown {
  let node = root
  for (const segment of pointerSegments(pointer)) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[segment]
  }
  return node
}

/** Finds the files of a set by URI: their `$id` and their path-derived URI. */
export function indexEntries(entries: readonly SchemaEntry[]): Map<string, SchemaEntry> {
  const index = new Map<string, SchemaEntry>()
  for (const entry of entries) {
    index.set(pathId(entry.rel), entry)
    index.set(entry.id, entry)
  }
  return index
}

/**
 * Resolves a `$ref` written in `from`: against the file's `$id` first, then against its path.
 * Returns undefined when no file of the set (or no node in it) matches.
 */
export function resolveRef(from: SchemaEntry, ref: string, index: Map<string, SchemaEntry>): RefTarget | undefined {
  const hash = ref.indexOf('#')
  const uri = hash === -1 ? ref : ref.slice(0, hash)
  const fragment = hash === -1 ? '' : ref.slice(hash + 1)
  if (fragment !== '' && !fragment.startsWith('/')) return undefined // anchors are left to ajv
  let entry: SchemaEntry | undefined
  if (uri === '') entry = from
  else {
    for (const base of [from.id, pathId(from.rel)]) {
      let target: string
      try {
        target = new URL(uri, base).href.replace(/#$/, '')
      } catch {
        continue
      }
      entry = index.get(target)
      if (entry) break
    }
  }
  if (!entry) return undefined
  if (fragment && atPointer(entry.schema, fragment) === undefined) return undefined
  return { entry, pointer: fragment }
}

/** Calls `visit` for every subschema of a schema with its JSON pointer (keywords that hold schemas only). */
export function walkSchema(
  schema: unknown,
  visit: (node: Record<string, unknown>, pointer: string) => void,
  pointer = '',
): void {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return
  const node = schema as Record<string, unknown>
  visit(node, pointer)
  for (const [key, value] of Object.entries(node)) {
    const at = `${pointer}/${escapePointer(key)}`
    if (SCHEMA_MAPS.has(key) && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [name, sub] of Object.entries(value)) walkSchema(sub, visit, `${at}/${escapePointer(name)}`)
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      value.forEach((sub, i) => {
        walkSchema(sub, visit, `${at}/${i}`)
      })
    } else if (SCHEMA_VALUES.has(key)) {
      if (Array.isArray(value))
        value.forEach((sub, i) => {
          walkSchema(sub, visit, `${at}/${i}`)
        })
      else walkSchema(value, visit, at)
    }
  }
}

const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas'])
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems'])
const SCHEMA_VALUES = new Set([
  'items',
  'additionalProperties',
  'additionalItems',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
])
