// Finding and reading a set of JSON Schemas (JSON or YAML), from the work tree or from a git ref.
import { RepoBoundary } from '../lib/inside-repo.js'
import { posix } from 'node:path'
import { WfError } from '../lib/errors.js'
import { matchFiles } from '../lib/files.js'

/** One schema file of a contracts set. */
export interface SchemaEntry {
  /** Repository-relative path with `/`. */
  rel: string
  text: string
  schema: Record<string, unknown> | boolean
  /** The URI the schema is known by: its own `$id`, else a stable one derived from its path. */
  id: string
}

/** A set of schemas read from one `contracts:` directory or glob. */
export interface SchemaSet {
  /** The directory the set is rooted at (output paths mirror the files below it). */
  base: string
  entries: SchemaEntry[]
}

const GLOB_CHARS = /[*?[\]{}!]/
const SCHEMA_EXT = /\.(json|ya?ml)$/i
/** Files beside schemas that are not schemas: examples, counter-examples and the allowance file. */
export const NOT_A_SCHEMA = /(\.(counter-)?example(s)?\.(json|ya?ml)$)|(^|\/)\.wf-allow-breaking\.(json|ya?ml)$/i

/** The stable URI of a schema file without an `$id` of its own. */
export const pathId = (rel: string) => `https://wf.invalid/${rel}`

/** The directory part of a `contracts:` value (the folder itself, or a glob's fixed prefix). */
export function contractsBase(spec: string): string {
  const clean = spec.replace(/^\.\//, '').replace(/\/+$/, '')
  if (!GLOB_CHARS.test(clean)) return clean
  const parts = clean.split('/')
  const fixed: string[] = []
  for (const part of parts) {
    if (GLOB_CHARS.test(part)) break
    fixed.push(part)
  }
  return fixed.join('/') || '.'
}

/** The glob a `contracts:` value stands for. */
export function contractsGlob(spec: string): string {
  const clean = spec.replace(/^\.\//, '').replace(/\/+$/, '')
  return GLOB_CHARS.test(clean) ? clean : `${clean}/**/*`
}

/** Whether a repository-relative path is a schema of the set. */
export function isSchemaPath(rel: string): boolean {
  return SCHEMA_EXT.test(rel) && !NOT_A_SCHEMA.test(rel)
}

/** Lists the schema files of a `contracts:` value in the work tree. */
export async function listSchemaFiles(root: string, spec: string): Promise<string[]> {
  checkSpec(spec)
  return (await matchFiles(root, [contractsGlob(spec)])).filter(isSchemaPath)
}

/** Reads the schemas of a `contracts:` value from the work tree. */
export async function readSchemaSet(root: string, spec: string): Promise<SchemaSet> {
  const files = await listSchemaFiles(root, spec)
  const boundary = new RepoBoundary(root)
  const entries = await Promise.all(
    files.map(async (rel) => parseSchemaEntry(rel, await boundary.readFile(rel, 'utf8'))),
  )
  return { base: contractsBase(spec), entries }
}

/** Reads the schemas of a `contracts:` value as they were at a git ref. */
export async function readSchemaSetAt(root: string, spec: string, ref: string): Promise<SchemaSet> {
  checkSpec(spec)
  const { gitClient } = await import('../lib/git.js')
  const git = await gitClient(root)
  if (!git)
    throw new WfError('WF_NOT_A_REPO', `${root} is not a git repository, so there is no ${ref} to compare with`, {
      hint: 'run wf contracts diff inside a git work tree',
    })
  try {
    await git.raw(['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`])
  } catch {
    throw new WfError('WF_USAGE', `unknown git ref \`${ref}\``, {
      hint: 'pass a branch, tag or commit that exists (for a CI checkout, fetch it first: git fetch origin main)',
    })
  }
  const base = contractsBase(spec)
  const listing = await git.raw([
    'ls-tree',
    '-r',
    '-z',
    '--name-only',
    '--end-of-options',
    ref,
    '--',
    base === '.' ? '.' : base,
  ])
  const { default: picomatch } = await import('picomatch')
  const isMatch = picomatch(contractsGlob(spec), { dot: true })
  const files = listing
    .split('\0')
    .filter((rel) => rel && isMatch(rel) && isSchemaPath(rel))
    .sort()
  const entries = await Promise.all(
    files.map(async (rel) => parseSchemaEntry(rel, await git.show(['--end-of-options', `${ref}:${rel}`]), ref)),
  )
  return { base, entries }
}

function checkSpec(spec: string): void {
  const clean = posix.normalize(spec.replace(/\\/g, '/'))
  if (posix.isAbsolute(clean) || clean === '..' || clean.startsWith('../')) {
    throw new WfError('WF_USAGE', `contracts path \`${spec}\` is outside the repository`, {
      hint: 'name a directory or glob relative to the repository root',
    })
  }
}

/** Parses one schema file; a file that is not JSON/YAML or not an object is an error naming its line. */
export async function parseSchemaEntry(rel: string, text: string, ref?: string): Promise<SchemaEntry> {
  const where = ref ? `${rel} (at ${ref})` : rel
  let schema: unknown
  try {
    if (/\.json$/i.test(rel)) schema = JSON.parse(text.replace(/^\uFEFF/, ''))
    else {
      const { CORE_SCHEMA, load } = await import('js-yaml')
      schema = load(text, { schema: CORE_SCHEMA, filename: rel })
    }
  } catch (error) {
    const { line, col } = await syntaxPosition(text)
    throw new WfError(
      'WF_USAGE',
      `${where}:${line}:${col} does not parse as ${/\.json$/i.test(rel) ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
      { hint: 'fix the syntax of the schema file' },
    )
  }
  if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
    throw new WfError(
      'WF_USAGE',
      `${where}:1:1 is not a JSON Schema: it holds ${Array.isArray(schema) ? 'a list' : schema === null ? 'nothing' : `a ${typeof schema}`}`,
      { hint: 'a schema file holds one object (or true/false)' },
    )
  }
  const declared = typeof schema === 'object' ? (schema as { $id?: unknown }).$id : undefined
  const own =
    typeof declared === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(declared) ? declared.replace(/#$/, '') : undefined
  return { rel, text, schema: schema as SchemaEntry['schema'], id: own ?? pathId(rel) }
}

async function syntaxPosition(text: string): Promise<{ line: number; col: number }> {
  const { LineCounter, parseDocument } = await import('yaml')
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false })
  const error = doc.errors[0]
  return error ? lineCounter.linePos(error.pos[0]) : { line: 1, col: 1 }
}
