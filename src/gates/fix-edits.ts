import type { Document, Node, Pair, YAMLMap } from 'yaml'
import { WfError } from '../lib/errors.js'
import { toList } from '../lib/files.js'
import type { FixEdit } from '../plan/plan.generated.js'
import { loadYaml } from '../plan/yaml.js'
import { findFiles } from './file-options.js'
import { planRegex } from './plan-regex.js'
import type { EditContext, FixChange, PlanEdit } from './fix-kind.js'

type YamlModule = typeof import('yaml')

const WORKFLOWS = '.github/workflows/*.{yml,yaml}'
const DEFAULT_PERMISSIONS = { contents: 'read' }
// How far into a file an existing header is looked for (a shebang and a line or two above it are allowed).
const HEADER_SLACK = 400
// A year, or a span or list of them, where a header says `{{ year }}`: last year's header still counts.
const YEARS = String.raw`\d{4}(?:\s*[-\u2013,]\s*\d{4})*`

/** Works out the changes of the four structured edits (workflow-permissions, set-keys, append-lines, prepend-header); reads through the repository boundary and writes nothing. */
export const planEdit: PlanEdit = async (edit, context) => {
  switch (edit.kind) {
    case 'workflow-permissions':
      return workflowPermissions(edit, context)
    case 'set-keys':
      return setKeys(edit, context)
    case 'append-lines':
      return appendLines(edit, context)
    case 'prepend-header':
      return prependHeader(edit, context)
  }
}

/** A file's text, or undefined when it does not exist. */
async function readText(context: EditContext, path: string): Promise<string | undefined> {
  try {
    return await context.workspace.boundary.readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

function required<K extends 'file' | 'in' | 'set' | 'lines' | 'text'>(edit: FixEdit, key: K): NonNullable<FixEdit[K]> {
  const value = edit[key]
  if (value === undefined)
    throw new WfError('WF_PLAN_INVALID', `a \`${edit.kind}\` edit needs \`${key}\``, {
      hint: `add \`${key}:\` to the fix's \`edit\``,
    })
  return value as NonNullable<FixEdit[K]>
}

async function editedFiles(context: EditContext, patterns: string[], exclude: FixEdit['exclude']): Promise<string[]> {
  const options = { exclude: exclude ? toList(exclude) : [] }
  const found = await Promise.all(patterns.map((p) => findFiles(context.root, p, options)))
  return [...new Set(found.flat())].sort()
}

const newline = (text: string) => (text.includes('\r\n') ? '\r\n' : '\n')

// --- workflow-permissions ---

async function workflowPermissions(edit: FixEdit, context: EditContext): Promise<FixChange[]> {
  const yaml = await loadYaml()
  const permissions = edit.permissions ?? DEFAULT_PERMISSIONS
  const changes: FixChange[] = []
  for (const path of await editedFiles(context, toList(edit.in ?? WORKFLOWS), edit.exclude)) {
    const before = await readText(context, path)
    if (before === undefined) continue
    const after = withPermissions(yaml, before, permissions)
    if (after !== undefined) changes.push({ path, before, after })
  }
  return changes
}

const keyIs = (yaml: YamlModule, pair: Pair, name: string) =>
  yaml.isScalar(pair.key) && (pair.key.value === name || (name === 'on' && pair.key.value === true))

/** The workflow with a top-level `permissions:` block after its `on:` block, or undefined when it needs none (or does not parse: the gate reports that). */
function withPermissions(yaml: YamlModule, text: string, permissions: Record<string, unknown>): string | undefined {
  const doc = yaml.parseDocument(text, { uniqueKeys: false })
  if (doc.errors.length > 0 || !yaml.isMap(doc.contents)) return undefined
  const root = doc.contents
  if (root.items.some((p) => keyIs(yaml, p, 'permissions'))) return undefined
  const jobsPair = root.items.find((p) => keyIs(yaml, p, 'jobs'))
  const jobs = yaml.isMap(jobsPair?.value) ? jobsPair.value.items.filter((p) => yaml.isMap(p.value)) : []
  if (jobs.length > 0 && jobs.every((job) => (job.value as YAMLMap).items.some((p) => keyIs(yaml, p, 'permissions'))))
    return undefined

  const eol = newline(text)
  const column = lineColumn(text, (root.items[0]!.key as Node).range![0])
  const indent = jobsIndent(text, jobsPair) ?? 2
  const pad = ' '.repeat(column)
  const block = [
    `${pad}permissions:`,
    ...Object.entries(permissions).map(([scope, level]) => `${pad}${' '.repeat(indent)}${scope}: ${level}`),
  ]
  const on = root.items.find((p) => keyIs(yaml, p, 'on'))
  let at: number
  if (on) {
    // After the last line of the `on:` value; comment lines below it belong to the next key.
    const start = (on.key as Node).range![0]
    const end = (on.value as Node | null)?.range?.[1] ?? (on.key as Node).range![1]
    at = lineEnd(text, Math.max(end - 1, start))
    while (at > lineEnd(text, start) && /^\s*(?:#[^\n]*)?\s*$/.test(text.slice(lineStart(text, at - 1), at)))
      at = lineStart(text, at - 1)
  } else if (jobsPair) at = lineStart(text, commentStart(text, (jobsPair.key as Node).range![0]))
  else at = text.length
  const head = text.slice(0, at)
  const tail = text.slice(at)
  const lead = head === '' || head.endsWith('\n') ? '' : eol
  const after = `${head}${lead}${block.join(eol)}${eol}${tail}`
  // Whatever the file's layout, the result must still be the same workflow plus the block.
  const check = yaml.parseDocument(after, { uniqueKeys: false })
  if (check.errors.length === 0 && sameWorkflowPlus(yaml, doc, check, permissions)) return after
  // A layout lines cannot be inserted into (a flow mapping at the top): the document writes it, comments kept.
  const pair = doc.createPair('permissions', permissions) as (typeof root.items)[number]
  root.items.splice(on ? root.items.indexOf(on) + 1 : 0, 0, pair)
  return doc.toString()
}

function sameWorkflowPlus(yaml: YamlModule, before: Document, after: Document, permissions: object): boolean {
  const a = before.toJS() as Record<string, unknown>
  const b = after.toJS() as Record<string, unknown>
  const { permissions: added, ...rest } = b
  return yaml.stringify(rest) === yaml.stringify(a) && JSON.stringify(added) === JSON.stringify(permissions)
}

/** Spaces per level the workflow uses (from its first job), if it has jobs. */
function jobsIndent(text: string, jobs: Pair | undefined): number | undefined {
  const map = jobs?.value as YAMLMap | undefined
  const first = map?.items?.[0]?.key as Node | undefined
  if (!first?.range || !jobs) return undefined
  const step = lineColumn(text, first.range[0]) - lineColumn(text, (jobs.key as Node).range![0])
  return step > 0 ? step : undefined
}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1
const lineColumn = (text: string, offset: number) => offset - lineStart(text, offset)

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset)
  return end < 0 ? text.length : end + 1
}

/** The offset of the comment lines right above `offset` (they belong to the key below them). */
function commentStart(text: string, offset: number): number {
  let start = lineStart(text, offset)
  while (start > 0) {
    const previous = lineStart(text, start - 1)
    if (!/^\s*#/.test(text.slice(previous, start))) break
    start = previous
  }
  return start
}

// --- set-keys ---

async function setKeys(edit: FixEdit, context: EditContext): Promise<FixChange[]> {
  const path = required(edit, 'file')
  const set = required(edit, 'set')
  const before = await readText(context, path)
  const json = /\.json$/i.test(path) || (!/\.ya?ml$/i.test(path) && before !== undefined && isJson(before))
  const after = json ? setJsonKeys(path, before, set) : await setYamlKeys(path, before, set)
  return after === undefined || after === before ? [] : [{ path, ...(before === undefined ? {} : { before }), after }]
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

const dotted = (key: string) => key.split('.')

function notAnObject(path: string, key: string): WfError {
  return new WfError('WF_USAGE', `cannot set \`${key}\` in ${path}: a part of it holds a value that is not an object`, {
    hint: `edit ${path} by hand, or set a key that does not cross an existing value`,
  })
}

/** The JSON file with the missing keys added at the end of their objects, in its own indentation. */
function setJsonKeys(path: string, before: string | undefined, set: Record<string, unknown>): string | undefined {
  let data: unknown
  try {
    data = before === undefined ? {} : JSON.parse(before)
  } catch (error) {
    throw new WfError('WF_USAGE', `cannot set keys in ${path}: it is not valid JSON (${(error as Error).message})`, {
      hint: `fix the JSON syntax of ${path} first`,
    })
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw notAnObject(path, Object.keys(set)[0]!)
  let changed = false
  for (const [key, value] of Object.entries(set)) {
    let at = data as Record<string, unknown>
    const parts = dotted(key)
    for (const part of parts.slice(0, -1)) {
      at[part] ??= {}
      const next = at[part]
      if (typeof next !== 'object' || next === null || Array.isArray(next)) throw notAnObject(path, key)
      at = next as Record<string, unknown>
    }
    const last = parts.at(-1)!
    if (last in at) continue
    at[last] = value
    changed = true
  }
  if (!changed) return before
  const indent = before === undefined ? 2 : (/^[ \t]+(?=")/m.exec(before)?.[0] ?? '  ')
  const eol = before === undefined ? '\n' : newline(before)
  const text = JSON.stringify(data, null, indent).replace(/\n/g, eol)
  return before === undefined || /\r?\n$/.test(before) ? `${text}${eol}` : text
}

/** The YAML file with the missing keys added through its document, so comments and layout stay. */
async function setYamlKeys(path: string, before: string | undefined, set: Record<string, unknown>): Promise<string> {
  const yaml = await loadYaml()
  const doc = yaml.parseDocument(before ?? '')
  if (doc.errors.length > 0)
    throw new WfError(
      'WF_USAGE',
      `cannot set keys in ${path}: it does not parse (${doc.errors[0]!.message.split('\n')[0]})`,
      {
        hint: `fix the YAML syntax of ${path} first`,
      },
    )
  if (doc.contents === null) doc.contents = doc.createNode({}) as never
  if (!yaml.isMap(doc.contents)) throw notAnObject(path, Object.keys(set)[0]!)
  let changed = false
  for (const [key, value] of Object.entries(set)) {
    const parts = dotted(key)
    for (let i = 1; i < parts.length; i++) {
      const parent = doc.getIn(parts.slice(0, i), true)
      if (parent !== undefined && !yaml.isMap(parent)) throw notAnObject(path, key)
    }
    if (doc.hasIn(parts)) continue
    doc.setIn(parts, value)
    changed = true
  }
  return changed ? doc.toString() : (before ?? '')
}

// --- append-lines ---

async function appendLines(edit: FixEdit, context: EditContext): Promise<FixChange[]> {
  const path = required(edit, 'file')
  const lines = required(edit, 'lines')
  const before = await readText(context, path)
  const present = new Set((before ?? '').split(/\r?\n/).map((l) => l.trim()))
  const missing = [...new Set(lines)].filter((l) => !present.has(l.trim()))
  if (missing.length === 0) return []
  const eol = before === undefined ? '\n' : newline(before)
  const head = before === undefined || before === '' || before.endsWith('\n') ? (before ?? '') : `${before}${eol}`
  return [{ path, ...(before === undefined ? {} : { before }), after: `${head}${missing.join(eol)}${eol}` }]
}

// --- prepend-header ---

// Only `{{ name }}` and `{{ name.key }}` are filled in (no filters or code: the text comes from the plan).
const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*\}\}/g

async function prependHeader(edit: FixEdit, context: EditContext): Promise<FixChange[]> {
  const text = required(edit, 'text')
  const files = await editedFiles(context, toList(required(edit, 'in')), edit.exclude)
  // Filled in only when some file needs it: a plan without the vars it names is fine while every file has a header.
  let header: string | undefined
  if (files.length === 0) return []
  const present = edit.present ? await planRegex(edit.present, 'i') : headerPattern(text, context.vars)
  const changes: FixChange[] = []
  for (const path of files) {
    const before = await readText(context, path)
    if (before === undefined) continue
    const shebang = before.startsWith('#!') ? lineEnd(before, 0) : 0
    const body = before.slice(shebang)
    if (edit.present ? present.test(before) : present.test(body.slice(0, text.length + HEADER_SLACK))) continue
    header ??= fillHeader(text, { ...context.vars, year: new Date().getFullYear() })
    const eol = newline(before)
    const block = header.replace(/\r?\n/g, eol).replace(/(?:\r?\n)*$/, eol)
    const head = before.slice(0, shebang)
    changes.push({ path, before, after: `${head}${head && !head.endsWith('\n') ? eol : ''}${block}${body}` })
  }
  return changes
}

function lookup(vars: Record<string, unknown>, name: string): unknown {
  let value: unknown = vars
  for (const part of name.split('.')) value = (value as Record<string, unknown> | undefined)?.[part]
  return value
}

function fillHeader(text: string, vars: Record<string, unknown>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = lookup(vars, name)
    if (value === undefined || value === null || typeof value === 'object')
      throw new WfError(
        'WF_USAGE',
        `the header of a \`prepend-header\` fix uses \`${name}\`, which the plan does not set`,
        {
          hint: `set it in the plan: \`vars: { ${name.split('.')[0]}: ... }\``,
        },
      )
    return String(value)
  })
}

/** A pattern that finds the header already in a file, whatever year it names. */
function headerPattern(text: string, vars: Record<string, unknown>): RegExp {
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const parts = text.trim().split(/\{\{\s*year\s*\}\}/)
  const source = parts
    .map((part) => literal(fillHeader(part, vars)).replace(/[ \t]*\r?\n[ \t]*/g, String.raw`[ \t]*\r?\n[ \t]*`))
    .join(YEARS)
  return new RegExp(source)
}
