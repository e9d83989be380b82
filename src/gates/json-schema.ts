import { existsSync, statSync } from 'node:fs'
import { posix, resolve } from 'node:path'
import { RepoBoundary } from '../lib/inside-repo.js'
import { isInside } from '../lib/paths.js'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { candidateFiles, sha256, toList } from '../lib/files.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { readCache, writeCache } from '../ledger/cache-files.js'
import type { ResultLocation } from '../ledger/ledger.js'
import { locate, type YamlSource } from '../plan/locate.js'
import type { JsonSchemaGate } from '../plan/plan.generated.js'
import { loadYaml } from '../plan/yaml.js'
import type { GateKind } from './gate-kind.js'
import { compileSchema, readSchemaFile, SchemaFileError } from './schema-file.js'

const SHOWN = 10

/** `json-schema:` — every matching JSON or YAML file is valid against a JSON Schema. */
export const jsonSchemaGate: GateKind<JsonSchemaGate> = {
  describe: (gate) => `${toList(gate['json-schema'].files).join(', ')} match ${gate['json-schema'].schema}`,
  inputs: (gate) => [gate['json-schema'].schema, ...toList(gate['json-schema'].files)],
  perFile: true,
  paths: (gate) => [
    { at: ['json-schema', 'schema'], value: gate['json-schema'].schema, mustExist: 'file', what: 'schema' },
    ...toList(gate['json-schema'].files).map((data, i) => ({
      at: ['json-schema', 'files', ...(Array.isArray(gate['json-schema'].files) ? [i] : [])],
      value: data,
      mustExist: false as const,
      what: 'data file',
    })),
  ],
  // Compiling a schema is costly: `wf run` trusts a schema text this wf found valid before
  // (.wf/cache); `wf validate` (deep) compiles it every time.
  async checkOptions(gate, { root, deep }) {
    const schema = gate['json-schema'].schema
    const full = resolve(root, schema)
    if (!isInside(root, full) || !existsSync(full) || !statSync(full).isFile()) return []
    try {
      const file = await readSchemaFile(new RepoBoundary(root), schema)
      const key = sha256(`${WF_VERSION}\0${file.text}`)
      if (!deep && (await readCache(root, 'schemas', key))) return []
      await compileSchema(file)
      await writeCache(root, 'schemas', key, true, { ifLedgerExists: true })
      return []
    } catch (error) {
      if (!(error instanceof SchemaFileError)) throw error
      return [{ at: ['json-schema', 'schema'], message: error.message, hint: error.hint }]
    }
  },
  async check(gate, { root, only, workspace }) {
    const spec = gate['json-schema']
    const schemaChanged = only?.includes(posix.normalize(spec.schema))
    const files = await candidateFiles(root, toList(spec.files), schemaChanged ? undefined : only)
    if (files.length === 0)
      return only
        ? { status: 'passed', message: 'no staged file to check' }
        : { status: 'failed', message: `no file matches ${toList(spec.files).join(', ')}` }
    let validate: ValidateFunction
    try {
      validate = await compileSchema(await readSchemaFile(workspace.boundary, spec.schema))
    } catch (error) {
      if (!(error instanceof SchemaFileError)) throw error
      return {
        status: 'failed',
        message: `${error.message}; ${error.hint}`,
        locations: [{ file: spec.schema, message: error.message }],
      }
    }
    const problems: ResultLocation[] = []
    for (const file of files) {
      const parsed = await parseDataFile(workspace.boundary, file)
      if ('problem' in parsed) {
        problems.push(parsed.problem)
        continue
      }
      for (const { source, data } of parsed.documents) {
        if (!validate(data)) problems.push(...(validate.errors ?? []).map((error) => errorLocation(source, error)))
      }
    }
    if (problems.length === 0)
      return {
        status: 'passed',
        message: `${files.length === 1 ? files[0] : `${files.length} files`} match${files.length === 1 ? 'es' : ''} ${spec.schema}`,
      }
    const lines = problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`)
    const more = lines.length > SHOWN ? `; and ${lines.length - SHOWN} more` : ''
    return { status: 'failed', message: lines.slice(0, SHOWN).join('; ') + more, locations: problems }
  },
}

interface DataDocument {
  source: YamlSource
  data: unknown
}

/** Parses a JSON or YAML data file (every document of a multi-document YAML file), or says where it does not parse. */
async function parseDataFile(
  boundary: RepoBoundary,
  rel: string,
): Promise<{ documents: DataDocument[] } | { problem: ResultLocation }> {
  const text = await boundary.readFile(rel, 'utf8')
  const { LineCounter, parseAllDocuments, parseDocument } = await loadYaml()
  const lineCounter = new LineCounter()
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false })
  const docs = Array.isArray(parsed) ? parsed : []
  const lines = text.split(/\r?\n/)
  const at = (offset: number, message: string) => ({ problem: { file: rel, ...lineCounter.linePos(offset), message } })
  const yamlError = docs.flatMap((doc) => doc.errors)[0]
  const jsonError = /\.json$/i.test(rel) ? strictJsonError(text) : undefined
  if (jsonError) return at(jsonError.offset ?? yamlError?.pos[0] ?? 0, `does not parse as JSON: ${jsonError.message}`)
  if (yamlError)
    return at(
      yamlError.pos[0],
      `does not parse: ${yamlError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
    )
  const documents: DataDocument[] = []
  for (const doc of docs) {
    const source = { rel, lines, doc, lineCounter }
    try {
      documents.push({ source, data: doc.toJS({ maxAliasCount: 100 }) })
    } catch (error) {
      return { problem: { file: rel, line: 1, col: 1, message: `does not parse: ${(error as Error).message}` } }
    }
  }
  if (documents.length === 0)
    documents.push({ source: { rel, lines, doc: parseDocument(''), lineCounter }, data: null })
  return { documents }
}

/** Why JSON.parse rejects a `.json` file (YAML accepts more, such as trailing commas), with the offset when it says one. */
function strictJsonError(text: string): { message: string; offset?: number } | undefined {
  const bom = text.startsWith('\uFEFF') ? 1 : 0
  try {
    JSON.parse(text.slice(bom))
    return undefined
  } catch (error) {
    const message = (error as Error).message
    const position = / at position (\d+)/.exec(message)?.[1]
    return {
      message: message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/s, ''),
      ...(position ? { offset: Number(position) + bom } : {}),
    }
  }
}

/** Where an ajv error points in the data file, with its instance path and message. */
function errorLocation(source: YamlSource, error: ErrorObject): ResultLocation {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
  const property =
    (error.params as { additionalProperty?: string; unevaluatedProperty?: string }).additionalProperty ??
    (error.params as { unevaluatedProperty?: string }).unevaluatedProperty
  const { location } = property === undefined ? locate(source, path) : locate(source, [...path, property], 'key')
  return {
    file: source.rel,
    line: location.line ?? 1,
    col: location.col ?? 1,
    message: `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${detail(error, property)}`,
  }
}

function detail(error: ErrorObject, property: string | undefined): string {
  if (property !== undefined) return `: \`${property}\``
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues
  if (error.keyword === 'enum' && allowed) return `: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`
  return ''
}
