// `wf contracts check`: generated output is current, examples validate, counter-examples do not.
import { readFile } from 'node:fs/promises'
import { join, posix } from 'node:path'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { matchFiles } from '../engine/files.js'
import { firstDifferentLine } from '../generate/outputs.js'
import { compileSet, type CompiledSet } from './compile-set.js'
import { renderContracts, type GenerateContractsOptions } from './generate.js'
import { locatePointer } from './locate-pointer.js'
import { walkSchema } from './refs.js'
import { contractsGlob, readSchemaSet, type SchemaEntry, type SchemaSet } from './schema-set.js'

/** One reason `wf contracts check` fails, located. */
export interface ContractsProblem {
  kind: 'missing' | 'stale' | 'example' | 'counter-example' | 'orphan-example'
  file: string
  line: number
  col: number
  message: string
}

export interface ContractsCheckResult {
  schemas: number
  outputs: number
  examples: number
  problems: ContractsProblem[]
}

/** Checks one contracts task: its outputs against what wf would write now, and its examples against its schemas. */
export async function checkContracts(root: string, options: GenerateContractsOptions): Promise<ContractsCheckResult> {
  const set = await readSchemaSet(root, options.contracts)
  const problems: ContractsProblem[] = []
  const outputs = set.entries.length > 0 ? await renderContracts(set, options) : []
  for (const file of outputs) {
    const current = await readFile(join(root, file.path), 'utf8').catch(() => undefined)
    if (current === undefined) problems.push({ kind: 'missing', file: file.path, line: 1, col: 1, message: `${file.path} is missing; run \`wf contracts generate\`` })
    else if (current !== file.content) problems.push({ kind: 'stale', file: file.path, line: firstDifferentLine(current, file.content), col: 1, message: `${file.path} is stale (it differs from what ${file.source} generates now); run \`wf contracts generate\`` })
  }
  const compiled = await compileSet(set, { allErrors: true })
  const examples = await checkExamples(root, options.contracts, set, compiled)
  problems.push(...examples.problems)
  return { schemas: set.entries.length, outputs: outputs.length, examples: examples.count, problems }
}

const EXAMPLE_FILE = /\.(counter-)?example\.(json|ya?ml)$/i

/** The schema an example file belongs to: the one whose file name (without extension) its name starts with, the longest such. */
export function schemaOfExample(example: string, entries: readonly SchemaEntry[]): SchemaEntry | undefined {
  const dir = posix.dirname(example)
  const name = posix.basename(example)
  let best: SchemaEntry | undefined
  for (const entry of entries) {
    if (posix.dirname(entry.rel) !== dir) continue
    const stems = [posix.basename(entry.rel).replace(/\.(json|ya?ml)$/i, ''), posix.basename(entry.rel).replace(/\.(json|ya?ml)$/i, '').replace(/\.schema$/i, '')]
    if (stems.some((stem) => name.startsWith(`${stem}.`)) && (!best || entry.rel.length > best.rel.length)) best = entry
  }
  return best
}

async function checkExamples(root: string, spec: string, set: SchemaSet, compiled: CompiledSet): Promise<{ count: number; problems: ContractsProblem[] }> {
  const problems: ContractsProblem[] = []
  let count = 0
  const ajvOf = (entry: SchemaEntry) => compiled.instances.get(compiled.dialects.get(entry.rel)!)!
  // The `examples` keyword, at every level of every schema.
  for (const entry of set.entries) {
    const found: Array<{ pointer: string; examples: unknown[] }> = []
    walkSchema(entry.schema, (node, pointer) => { if (Array.isArray(node.examples)) found.push({ pointer, examples: node.examples }) })
    for (const { pointer, examples } of found) {
      const validate = pointer === '' ? compiled.validators.get(entry.rel) : ajvOf(entry).getSchema(`${entry.id}#${pointer}`)
      if (!validate) continue
      for (let i = 0; i < examples.length; i++) {
        count++
        if (validate(examples[i])) continue
        const at = `${pointer}/examples/${i}`
        for (const error of firstErrors(validate)) {
          const where = `${at}${error.instancePath}`
          problems.push({ kind: 'example', file: entry.rel, ...(await locatePointer(entry, where)), message: `example ${at} does not match its schema: ${describeError(error)}` })
        }
      }
    }
  }
  // Example and counter-example files beside the schemas.
  const files = (await matchFiles(root, [contractsGlob(spec)])).filter((f) => EXAMPLE_FILE.test(f))
  for (const rel of files) {
    const counter = /\.counter-example\./i.test(rel)
    const entry = schemaOfExample(rel, set.entries)
    if (!entry) {
      problems.push({ kind: 'orphan-example', file: rel, line: 1, col: 1, message: `${rel} belongs to no schema: name it after its schema file (NAME.example.json beside NAME.json)` })
      continue
    }
    const text = await readFile(join(root, rel), 'utf8')
    let data: unknown
    try {
      data = /\.json$/i.test(rel) ? JSON.parse(text) : (await import('js-yaml')).load(text, { schema: (await import('js-yaml')).CORE_SCHEMA })
    } catch (error) {
      problems.push({ kind: counter ? 'counter-example' : 'example', file: rel, line: 1, col: 1, message: `${rel} does not parse: ${(error as Error).message.split('\n')[0]}` })
      continue
    }
    count++
    const validate = compiled.validators.get(entry.rel)!
    const valid = validate(data)
    if (counter && valid) problems.push({ kind: 'counter-example', file: rel, line: 1, col: 1, message: `counter-example ${rel} is accepted by ${entry.rel}, which should reject it` })
    if (!counter && !valid) {
      for (const error of firstErrors(validate)) {
        problems.push({ kind: 'example', file: rel, ...(await locatePointer({ rel, text }, error.instancePath)), message: `${error.instancePath || '/'} ${describeError(error)} (schema ${entry.rel}${error.schemaPath})` })
      }
    }
  }
  return { count, problems }
}

function firstErrors(validate: ValidateFunction): ErrorObject[] {
  return (validate.errors ?? []).slice(0, 5)
}

function describeError(error: ErrorObject): string {
  const params = error.params as { allowedValues?: unknown[]; additionalProperty?: string }
  if (params.allowedValues) return `${error.message}: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
  if (params.additionalProperty) return `${error.message}: \`${params.additionalProperty}\``
  return error.message ?? 'is invalid'
}
