// JSON Schemas → TypeScript types (json-schema-to-typescript) and ajv standalone validators.
import { posix } from 'node:path'
import { WfError } from '../lib/errors.js'
import type { OutputFile } from '../generate/outputs.js'
import { compileSet, type Dialect } from './compile-set.js'
import { importSpecifier, modulePathFor, pascalName, typeNameFor } from './names.js'
import { escapePointer, indexEntries, pointerSegments, resolveRef, walkSchema, type RefTarget } from './refs.js'
import { reindent } from './reindent.js'
import { readSchemaSet, type SchemaEntry, type SchemaSet } from './schema-set.js'
import { standaloneModule } from './standalone.js'

export interface GenerateContractsOptions {
  /** A directory or glob of schemas, repository-relative. */
  contracts: string
  /** The output directory, repository-relative. */
  out: string
  /** Also emit ajv standalone validators (`isName(x)`). */
  validators?: boolean
}

export type ContractOutput = OutputFile & { source: string }

const NAME_KEY = 'x-wf-name'
/** Modules wf writes beside the schemas' own: `index.ts` and `validators[-DIALECT].js|.d.ts`. */
const RESERVED_MODULES = /^(index|validators(-draft-07|-2019-09|-2020-12)?)$/i

/** Every file `wf contracts generate` would write for one contracts task: pure (reads schemas, writes nothing), deterministic. */
export async function generateContracts(root: string, options: GenerateContractsOptions): Promise<ContractOutput[]> {
  const set = await readSchemaSet(root, options.contracts)
  if (set.entries.length === 0)
    throw new WfError('WF_USAGE', `no JSON Schema matches \`${options.contracts}\``, {
      hint: 'point `contracts:` at a folder or glob of .json/.yaml schema files',
    })
  return renderContracts(set, options)
}

/** The generated files for an already read schema set. */
export async function renderContracts(set: SchemaSet, options: GenerateContractsOptions): Promise<ContractOutput[]> {
  const compiled = await compileSet(set, options.validators ? { source: true } : { compile: false })
  const out = options.out.replace(/^\.\//, '').replace(/\/+$/, '')
  const naming = nameTypes(set)
  const { compile } = await import('json-schema-to-typescript')
  const files: ContractOutput[] = []
  const exported = new Map<string, string>()
  for (const entry of set.entries) {
    const module = naming.modules.get(entry.rel)!
    const { schema, imports } = prepareForTypes(entry, naming)
    let body: string
    try {
      body = await compile(schema as never, naming.roots.get(entry.rel)!, {
        bannerComment: '',
        format: false,
        unreachableDefinitions: true,
        strictIndexSignatures: true,
        cwd: posix.dirname(entry.rel),
        $refOptions: { resolve: { file: false, http: false } } as never,
        customName: (node) => naming.nameOf(node as Record<string, unknown>),
      })
    } catch (error) {
      throw new WfError(
        'WF_USAGE',
        `cannot generate types from ${entry.rel}: ${(error as Error).message.split('\n')[0]}`,
        { hint: 'simplify the schema construct named, or report it with the schema attached' },
      )
    }
    for (const name of exportedNames(body)) {
      const other = exported.get(name)
      if (other && other !== entry.rel)
        throw new WfError('WF_USAGE', `${entry.rel} and ${other} both declare a type named ${name}`, {
          hint: 'give one of the subschemas a different `title`',
        })
      exported.set(name, entry.rel)
    }
    const importLines = [...imports.entries()]
      .map(
        ([target, names]) =>
          [
            importSpecifier(module, target),
            [...names].filter((n) => new RegExp(`\\b${n}\\b`).test(body)).sort(),
          ] as const,
      )
      .filter(([, names]) => names.length > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([spec, names]) => `import type { ${names.join(', ')} } from '${spec}'`)
    const content = header(entry.rel) + (importLines.length ? `${importLines.join('\n')}\n\n` : '\n') + reindent(body)
    files.push({ path: `${out}/${module}.ts`, content, source: entry.rel })
  }
  const source = set.base
  const barrel = set.entries.map(
    (entry) => `export * from '${importSpecifier('index', naming.modules.get(entry.rel)!)}'`,
  )
  if (options.validators) {
    const groups = new Map<Dialect, SchemaEntry[]>()
    for (const entry of set.entries) {
      if (typeof entry.schema === 'boolean') continue
      const dialect = compiled.dialects.get(entry.rel)!
      groups.set(dialect, [...(groups.get(dialect) ?? []), entry])
    }
    const dialects = [...groups.keys()].sort()
    for (const dialect of dialects) {
      const module = dialects.length === 1 ? 'validators' : `validators-${dialect}`
      const entries = groups.get(dialect)!
      const guards = entries.map((entry) => ({
        name: `is${naming.roots.get(entry.rel)!}`,
        type: naming.roots.get(entry.rel)!,
        id: entry.id,
        module: naming.modules.get(entry.rel)!,
      }))
      const code = await standaloneModule(compiled.instances.get(dialect)!, guards)
      files.push({ path: `${out}/${module}.js`, content: header(source) + code, source })
      files.push({ path: `${out}/${module}.d.ts`, content: header(source) + guardDeclarations(module, guards), source })
      barrel.push(`export { ${guards.map((g) => g.name).join(', ')} } from './${module}.js'`)
    }
  }
  files.push({ path: `${out}/index.ts`, content: `${header(source)}\n${barrel.join('\n')}\n`, source })
  return files
}

function header(source: string): string {
  return `// Generated by wf from ${source}. Do not edit: change the schema and run \`wf contracts generate\`.\n`
}

function exportedNames(code: string): string[] {
  return [...code.matchAll(/^export (?:declare )?(?:interface|type|enum|const enum|const) (\w+)/gm)].map((m) => m[1]!)
}

function guardDeclarations(module: string, guards: Array<{ name: string; type: string; module: string }>): string {
  const imports = new Map<string, string[]>()
  for (const guard of guards) imports.set(guard.module, [...(imports.get(guard.module) ?? []), guard.type])
  return [
    ...[...imports.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([target, names]) => `import type { ${names.sort().join(', ')} } from '${importSpecifier(module, target)}'`),
    '',
    '/** Why the last value checked was rejected (ajv error objects). */',
    'export interface ContractError {',
    '  instancePath: string',
    '  schemaPath: string',
    '  keyword: string',
    '  params: Record<string, unknown>',
    '  message?: string',
    '}',
    '',
    '/** A type guard compiled from a schema; `errors` says why the last value was rejected. */',
    'export interface ContractGuard<T> {',
    '  (data: unknown): data is T',
    '  errors?: ContractError[] | null',
    '}',
    '',
    ...guards.map((g) => `export declare const ${g.name}: ContractGuard<${g.type}>`),
    '',
  ].join('\n')
}

/** Type names for every file, definition and cross-file `$ref` target, unique across the whole set. */
interface Naming {
  roots: Map<string, string>
  modules: Map<string, string>
  /** `rel#pointer` → type name, for named subschemas. */
  named: Map<string, string>
  index: Map<string, SchemaEntry>
  nameOf(node: Record<string, unknown>): string | undefined
}

function nameTypes(set: SchemaSet): Naming {
  const used = new Set<string>()
  const unique = (wanted: string, prefix: string) => {
    let name = used.has(wanted) ? `${prefix}${wanted}` : wanted
    for (let i = 2; used.has(name); i++) name = `${prefix}${wanted}${i}`
    used.add(name)
    return name
  }
  const roots = new Map<string, string>()
  const modules = new Map<string, string>()
  const byModule = new Map<string, string>()
  for (const entry of set.entries) {
    const module = modulePathFor(entry.rel, set.base)
    const clash = byModule.get(module.toLowerCase())
    if (clash)
      throw new WfError('WF_USAGE', `${entry.rel} and ${clash} would both generate ${module}.ts`, {
        hint: 'rename one of the schema files',
      })
    if (RESERVED_MODULES.test(module))
      throw new WfError(
        'WF_USAGE',
        `${entry.rel} would generate ${module}.ts, which wf writes itself (the index or the validators)`,
        { hint: 'rename the schema file' },
      )
    byModule.set(module.toLowerCase(), entry.rel)
    modules.set(entry.rel, module)
    roots.set(entry.rel, unique(typeNameFor(entry.rel), pascalName(posix.dirname(entry.rel).split('/').pop() ?? '')))
  }
  const named = new Map<string, string>()
  for (const entry of set.entries) {
    if (typeof entry.schema !== 'object') continue
    for (const key of ['definitions', '$defs'] as const) {
      const defs = entry.schema[key]
      if (!defs || typeof defs !== 'object') continue
      for (const [name, def] of Object.entries(defs as Record<string, unknown>)) {
        const title =
          def && typeof def === 'object' && typeof (def as { title?: unknown }).title === 'string'
            ? (def as { title: string }).title
            : name
        named.set(`${entry.rel}#/${key}/${escapePointer(name)}`, unique(pascalName(title), roots.get(entry.rel)!))
      }
    }
  }
  // Other files' subschemas that a `$ref` points into get a name of their own, so they are declared once.
  const index = indexEntries(set.entries)
  for (const entry of set.entries) {
    walkSchema(entry.schema, (node) => {
      if (typeof node.$ref !== 'string') return
      const target = resolveRef(entry, node.$ref, index)
      if (!target || target.pointer === '' || named.has(keyOf(target))) return
      const segments = pointerSegments(target.pointer)
      named.set(
        keyOf(target),
        unique(pascalName(segments[segments.length - 1] ?? 'Type'), roots.get(target.entry.rel)!),
      )
    })
  }
  const titles = new WeakMap<object, string>()
  return {
    roots,
    modules,
    named,
    index,
    nameOf(node) {
      const tagged = node[NAME_KEY]
      if (typeof tagged === 'string') return tagged
      if (typeof node.title !== 'string') return undefined
      let name = titles.get(node)
      if (!name) {
        name = unique(pascalName(node.title), 'Inline')
        titles.set(node, name)
      }
      return name
    },
  }
}

const keyOf = (target: RefTarget) => `${target.entry.rel}#${target.pointer}`

/** A copy of the schema for json-schema-to-typescript: names tagged, and `$ref`s to other files replaced by the imported type. */
function prepareForTypes(entry: SchemaEntry, naming: Naming): { schema: unknown; imports: Map<string, Set<string>> } {
  const imports = new Map<string, Set<string>>()
  if (typeof entry.schema === 'boolean') return { schema: entry.schema ? {} : { not: {} }, imports }
  const schema = structuredClone(entry.schema) as Record<string, unknown>
  delete schema.$id
  schema[NAME_KEY] = naming.roots.get(entry.rel)
  for (const [key, name] of naming.named) {
    const [rel, pointer] = key.split('#') as [string, string]
    if (rel !== entry.rel) continue
    let node: unknown = schema
    for (const segment of pointerSegments(pointer))
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined
    if (node && typeof node === 'object') (node as Record<string, unknown>)[NAME_KEY] = name
  }
  walkSchema(schema, (node) => {
    if (typeof node.$ref !== 'string') return
    const target = resolveRef(entry, node.$ref, naming.index)
    if (!target) return
    if (target.entry.rel === entry.rel) {
      node.$ref = `#${target.pointer}`
      return
    }
    const name = target.pointer === '' ? naming.roots.get(target.entry.rel)! : naming.named.get(keyOf(target))!
    const module = naming.modules.get(target.entry.rel)!
    imports.set(module, (imports.get(module) ?? new Set()).add(name))
    for (const key of Object.keys(node)) if (key !== 'description' && key !== NAME_KEY) delete node[key]
    node.tsType = name
  })
  return { schema, imports }
}
