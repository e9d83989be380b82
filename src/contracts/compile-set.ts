// Strict meta-validation and compilation of a schema set with ajv (one instance per dialect).
import type { AnySchemaObject, ValidateFunction } from 'ajv'
import { WfError } from '../lib/errors.js'
import { locatePointer } from './locate-pointer.js'
import { escapePointer, indexEntries, resolveRef, walkSchema } from './refs.js'
import type { SchemaEntry, SchemaSet } from './schema-set.js'

export type Dialect = 'draft-07' | '2019-09' | '2020-12'
type AjvInstance = import('ajv').default

/** One problem with a schema, located in its file. */
export interface SchemaProblem {
  file: string
  pointer: string
  line: number
  col: number
  message: string
}

/** Invalid schemas (exit 2): every problem with file, line, column and JSON pointer. */
export class InvalidSchemasError extends WfError {
  constructor(readonly problems: SchemaProblem[]) {
    super(
      'WF_USAGE',
      `${problems.length === 1 ? 'a schema is invalid' : `the schemas have ${problems.length} problems`}:\n${problems.map((p) => `  ${p.file}:${p.line}:${p.col} ${p.pointer || '/'}: ${p.message}`).join('\n')}`,
      {
        hint: 'fix the schema at the place named; wf checks schemas with ajv in strict mode (unknown keywords and formats are errors; name extensions `x-…`)',
      },
    )
  }
}

/** A compiled set: each file's dialect, ajv instances, and a validator per file. */
export interface CompiledSet {
  dialects: Map<string, Dialect>
  instances: Map<Dialect, AjvInstance>
  validators: Map<string, ValidateFunction>
}

export interface CompileSetOptions {
  /** Keep the generated code, for ajv standalone output. */
  source?: boolean
  allErrors?: boolean
  /**
   * `false`: meta-validate and run the strict checks on keywords, formats and patterns without
   * compiling validators (what type generation needs; much faster). Default: compile.
   */
  compile?: boolean
}

/** The dialect a schema declares with `$schema` (draft-07 when it names none); undefined for one wf does not know. */
export function dialectOf(schema: SchemaEntry['schema']): Dialect | undefined {
  const declared = typeof schema === 'object' ? schema.$schema : undefined
  if (declared === undefined) return 'draft-07'
  if (typeof declared !== 'string') return undefined
  if (/json-schema\.org\/draft-07\/schema#?$/.test(declared)) return 'draft-07'
  if (/json-schema\.org\/draft\/2019-09\/schema#?$/.test(declared)) return '2019-09'
  if (/json-schema\.org\/draft\/2020-12\/schema#?$/.test(declared)) return '2020-12'
  return undefined
}

/** The schema as ajv should see it: `$id` set, and every `$ref` to another file rewritten to that file's URI. */
export function forAjv(entry: SchemaEntry, index: Map<string, SchemaEntry>): AnySchemaObject | boolean {
  if (typeof entry.schema === 'boolean') return entry.schema
  const copy = structuredClone(entry.schema) as AnySchemaObject
  walkSchema(copy, (node) => {
    if (typeof node.$ref !== 'string' || node.$ref.startsWith('#')) return
    const target = resolveRef(entry, node.$ref, index)
    if (target && target.entry !== entry) node.$ref = `${target.entry.id}#${target.pointer}`
    else if (target) node.$ref = `#${target.pointer}`
  })
  copy.$id = entry.id
  return copy
}

/** Every `$ref` that leads nowhere, located. */
async function brokenRefs(set: SchemaSet, index: Map<string, SchemaEntry>): Promise<SchemaProblem[]> {
  const problems: SchemaProblem[] = []
  for (const entry of set.entries) {
    const found: Array<{ pointer: string; ref: string }> = []
    walkSchema(entry.schema, (node, pointer) => {
      if (typeof node.$ref !== 'string') return
      if (node.$ref.includes('#') && !node.$ref.split('#')[1]!.startsWith('/') && node.$ref.split('#')[1] !== '') return
      if (!resolveRef(entry, node.$ref, index)) found.push({ pointer: `${pointer}/$ref`, ref: node.$ref })
    })
    for (const { pointer, ref } of found) {
      problems.push({
        file: entry.rel,
        pointer,
        ...(await locatePointer(entry, pointer)),
        message: `$ref \`${ref}\` leads to no schema of the set (refs are resolved against the file's $id, then its path)`,
      })
    }
  }
  return problems
}

async function newAjv(dialect: Dialect, options: CompileSetOptions, extensions: string[]): Promise<AjvInstance> {
  const base = {
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
    allErrors: options.allErrors ?? false,
    logger: false as const,
    validateSchema: false,
    inlineRefs: false,
    unicode: false,
  }
  const { _ } = await import('ajv')
  // Formats that are functions (date, uri…) are referenced from ajv-formats in standalone code; regex formats are inlined.
  const code = options.source
    ? { code: { source: true, esm: true, lines: false, formats: _`require("ajv-formats/dist/formats").fullFormats` } }
    : {}
  let ajv: AjvInstance
  if (dialect === '2020-12')
    ajv = new (await import('ajv/dist/2020.js')).Ajv2020({ ...base, ...code }) as unknown as AjvInstance
  else if (dialect === '2019-09')
    ajv = new (await import('ajv/dist/2019.js')).Ajv2019({ ...base, ...code }) as unknown as AjvInstance
  else ajv = new (await import('ajv')).Ajv({ ...base, ...code })
  const { default: addFormats } = (await import('ajv-formats')) as unknown as { default: (ajv: AjvInstance) => void }
  addFormats(ajv)
  // Extension keywords (`x-…`) and json-schema-to-typescript's own (`tsType`, `tsEnumNames`) are allowed.
  for (const keyword of ['tsType', 'tsEnumNames', ...extensions]) if (!ajv.getKeyword(keyword)) ajv.addKeyword(keyword)
  return ajv
}

/** Meta-validates every schema of the set in strict mode and compiles it; throws InvalidSchemasError listing every problem. */
export async function compileSet(set: SchemaSet, options: CompileSetOptions = {}): Promise<CompiledSet> {
  const index = indexEntries(set.entries)
  const problems: SchemaProblem[] = []
  const dialects = new Map<string, Dialect>()
  for (const entry of set.entries) {
    const dialect = dialectOf(entry.schema)
    if (dialect) dialects.set(entry.rel, dialect)
    else
      problems.push({
        file: entry.rel,
        pointer: '/$schema',
        ...(await locatePointer(entry, '/$schema')),
        message: `\`$schema\` names a dialect wf does not know; use http://json-schema.org/draft-07/schema#, https://json-schema.org/draft/2019-09/schema or https://json-schema.org/draft/2020-12/schema`,
      })
  }
  problems.push(...(await brokenRefs(set, index)))
  const ids = new Map<string, SchemaEntry>()
  for (const entry of set.entries) {
    const other = ids.get(entry.id)
    if (other)
      problems.push({
        file: entry.rel,
        pointer: '/$id',
        ...(await locatePointer(entry, '/$id')),
        message: `\`$id\` ${entry.id} is also the $id of ${other.rel}`,
      })
    ids.set(entry.id, entry)
  }
  if (problems.length > 0) throw new InvalidSchemasError(problems)

  const extensions = new Set<string>()
  for (const entry of set.entries)
    walkSchema(entry.schema, (node) => {
      for (const key of Object.keys(node)) if (key.startsWith('x-')) extensions.add(key)
    })
  const prepared = set.entries.map((entry) => ({ entry, schema: forAjv(entry, index) }))
  const instances = new Map<Dialect, AjvInstance>()
  for (const dialect of new Set(dialects.values())) {
    const ajv = await newAjv(dialect, options, [...extensions].sort())
    for (const { schema } of prepared) if (typeof schema === 'object') ajv.addSchema(schema)
    instances.set(dialect, ajv)
  }
  const validators = new Map<string, ValidateFunction>()
  for (const { entry, schema } of prepared) {
    const ajv = instances.get(dialects.get(entry.rel)!)!
    if (!ajv.validateSchema(schema)) {
      for (const error of ajv.errors ?? []) {
        const pointer = error.instancePath
        const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues
        problems.push({
          file: entry.rel,
          pointer,
          ...(await locatePointer(entry, pointer)),
          message: `${error.message ?? 'is invalid'}${allowed ? ` (${allowed.map((v) => JSON.stringify(v)).join(', ')})` : ''}`,
        })
      }
      continue
    }
    if (options.compile === false) {
      for (const problem of strictProblems(entry, ajv))
        problems.push({ ...problem, ...(await locatePointer(entry, problem.pointer, true)) })
      continue
    }
    try {
      validators.set(entry.rel, typeof schema === 'boolean' ? ajv.compile(schema) : ajv.getSchema(entry.id)!)
    } catch (error) {
      const message = (error as Error).message
      const pointer = strictPointer(entry, message)
      problems.push({
        file: entry.rel,
        pointer,
        ...(await locatePointer(entry, pointer, true)),
        message: message.replace(/^strict mode: /, 'strict mode: '),
      })
    }
  }
  if (problems.length > 0) throw new InvalidSchemasError(dedupe(problems))
  return { dialects, instances, validators }
}

/** What ajv's strict mode rejects when compiling, found without compiling: unknown keywords and formats, patterns that are not regular expressions, `then`/`else` without `if`. */
function strictProblems(
  entry: SchemaEntry,
  ajv: AjvInstance,
): Array<{ file: string; pointer: string; message: string }> {
  const found: Array<{ file: string; pointer: string; message: string }> = []
  const at = (pointer: string, key: string, message: string) =>
    found.push({ file: entry.rel, pointer: `${pointer}/${escapePointer(key)}`, message })
  walkSchema(entry.schema, (node, pointer) => {
    for (const key of Object.keys(node))
      if (!ajv.getKeyword(key) && !ajv.RULES.keywords[key]) at(pointer, key, `strict mode: unknown keyword: "${key}"`)
    if (typeof node.format === 'string' && !ajv.formats[node.format])
      at(
        pointer,
        'format',
        `unknown format "${node.format}" (known: the formats of ajv-formats, such as date-time, email, uri, uuid)`,
      )
    if (typeof node.pattern === 'string') {
      try {
        new RegExp(node.pattern, 'u')
      } catch (error) {
        at(pointer, 'pattern', `pattern is not a valid regular expression: ${(error as Error).message}`)
      }
    }
    for (const key of ['then', 'else'])
      if (key in node && !('if' in node)) at(pointer, key, `strict mode: "${key}" without "if" is ignored`)
  })
  return found
}

/** Where a strict-mode error points: the first node holding the keyword it names, else the path ajv gives. */
function strictPointer(entry: SchemaEntry, message: string): string {
  const keyword = /unknown keyword: "([^"]+)"/.exec(message)?.[1] ?? /"([^"]+)" is ignored/.exec(message)?.[1]
  const format = /unknown format "([^"]+)"/.exec(message)?.[1]
  let found: string | undefined
  walkSchema(entry.schema, (node, pointer) => {
    if (found !== undefined) return
    if (keyword && keyword in node) found = `${pointer}/${escapePointer(keyword)}`
    else if (format && node.format === format) found = `${pointer}/format`
  })
  if (found !== undefined) return found
  const path = /at path "#([^"]*)"/.exec(message)?.[1]
  return path ?? ''
}

function dedupe(problems: SchemaProblem[]): SchemaProblem[] {
  const seen = new Set<string>()
  return problems.filter((p) => {
    const key = `${p.file}\0${p.pointer}\0${p.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
