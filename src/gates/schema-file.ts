import { WfError } from '../lib/errors.js'
import type { RepoBoundary } from '../lib/inside-repo.js'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { schemaRegexEngine } from '../lib/patterns.js'
import { locate, type YamlSource } from '../plan/locate.js'
import { fastYaml } from '../plan/plan-validator.js'
import { loadYaml } from '../plan/yaml.js'

/** A JSON Schema file that cannot be used: unreadable, not JSON/YAML, or not a valid schema. */
export class SchemaFileError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message)
    this.name = 'SchemaFileError'
  }
}

/** A schema file's content and text (positions are worked out only for error messages). */
export interface SchemaFile {
  schema: object | boolean
  rel: string
  text: string
}

const KNOWN_DIALECTS = [
  'http://json-schema.org/draft-07/schema#',
  'https://json-schema.org/draft/2019-09/schema',
  'https://json-schema.org/draft/2020-12/schema',
]
const SCHEMA_HINT = 'the schema must be a JSON Schema (draft-07, 2019-09 or 2020-12) written as JSON or YAML'

/** Reads a JSON Schema written as JSON or YAML at repository path `rel`, never through a link out of the repository. */
export async function readSchemaFile(boundary: RepoBoundary, rel: string): Promise<SchemaFile> {
  let text: string
  try {
    text = await boundary.readFile(rel, 'utf8')
  } catch (error) {
    if (error instanceof WfError) throw new SchemaFileError(error.message, error.hint ?? '')
    throw new SchemaFileError(
      `cannot read schema ${rel}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'check the `schema` path; it is relative to the repository root',
    )
  }
  const schema = (await parseFast(text)) ?? (await parsePositioned(rel, text)).doc.toJS()
  if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
    throw new SchemaFileError(
      `schema ${rel} is not a JSON Schema: it holds ${Array.isArray(schema) ? 'a list' : schema === null ? 'nothing' : `a ${typeof schema}`}, not an object`,
      SCHEMA_HINT,
    )
  }
  return { schema, rel, text }
}

/** js-yaml's reading of a schema (fast); undefined when it fails, to be explained by the positioned parser. */
async function parseFast(text: string): Promise<unknown> {
  const { load, CORE_SCHEMA } = await fastYaml()
  try {
    return load(text, { schema: CORE_SCHEMA }) ?? undefined
  } catch {
    return undefined
  }
}

/** The positioned parse of a schema file; throws SchemaFileError located at its first syntax error. */
async function parsePositioned(rel: string, text: string): Promise<YamlSource> {
  const { LineCounter, parseDocument } = await loadYaml()
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false })
  const error = doc.errors[0]
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0])
    throw new SchemaFileError(
      `schema ${rel} is not valid JSON or YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')} at ${rel}:${line}:${col}`,
      SCHEMA_HINT,
    )
  }
  return { rel, lines: text.split(/\r?\n/), doc, lineCounter }
}

/** The ajv class for a schema's `$schema` dialect (draft-07 when it names none). */
async function ajvFor(schema: object | boolean) {
  const dialect = typeof schema === 'object' ? String((schema as { $schema?: unknown }).$schema ?? '') : ''
  if (dialect.includes('2020-12')) return (await import('ajv/dist/2020.js')).Ajv2020
  if (dialect.includes('2019-09')) return (await import('ajv/dist/2019.js')).Ajv2019
  return (await import('ajv')).Ajv
}

/** Compiles a JSON Schema with ajv (all errors, formats, not strict); throws SchemaFileError when it is invalid. */
export async function compileSchema(file: SchemaFile): Promise<ValidateFunction> {
  const { schema, rel } = file
  const AjvClass = await ajvFor(schema)
  const { default: addFormats } = (await import('ajv-formats')) as unknown as {
    default: (ajv: InstanceType<typeof AjvClass>) => void
  }
  const ajv = new AjvClass({
    allErrors: true,
    strict: false,
    logger: false,
    validateSchema: false,
    code: { regExp: await schemaRegexEngine() },
  })
  addFormats(ajv)
  const dialect = typeof schema === 'object' && '$schema' in schema ? schema.$schema : undefined
  if (typeof dialect === 'string' && !ajv.getSchema(dialect)) {
    const { location } = locate(await parsePositioned(rel, file.text), ['$schema'])
    throw new SchemaFileError(
      `schema ${rel} declares \`$schema: ${dialect}\` at ${rel}:${location.line}:${location.col}, a dialect wf cannot check`,
      `use one of ${KNOWN_DIALECTS.join(', ')}, or leave \`$schema\` out for draft-07`,
    )
  }
  if (!ajv.validateSchema(schema))
    throw new SchemaFileError(
      `schema ${rel} is not a valid JSON Schema: ${explainMetaErrors(await parsePositioned(rel, file.text), ajv.errors ?? [])}`,
      SCHEMA_HINT,
    )
  try {
    return ajv.compile(schema)
  } catch (error) {
    throw new SchemaFileError(`schema ${rel} cannot be compiled: ${(error as Error).message}`, SCHEMA_HINT)
  }
}

/** The most specific meta-schema error (the deepest path), located in the schema file. */
function explainMetaErrors(source: YamlSource, errors: ErrorObject[]): string {
  const deepest = errors.reduce<ErrorObject | undefined>(
    (best, e) => (!best || e.instancePath.split('/').length > best.instancePath.split('/').length ? e : best),
    undefined,
  )
  if (!deepest) return 'it does not match its meta-schema'
  const path = deepest.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
  const { location } = locate(source, path)
  const allowed = (deepest.params as { allowedValues?: unknown[] }).allowedValues
  return `${deepest.instancePath || '/'} ${deepest.message ?? 'is invalid'}${allowed ? ` (${allowed.map((v) => JSON.stringify(v)).join(', ')})` : ''} at ${source.rel}:${location.line}:${location.col}`
}
