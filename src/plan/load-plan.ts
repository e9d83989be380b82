import { existsSync, readdirSync, statSync } from 'node:fs'
import { readFile, readdir, stat } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { CORE_SCHEMA, load as loadFastYaml } from 'js-yaml'
import type { Document, Node, YAMLError } from 'yaml'
import { WfError, type PlanIssue } from '../errors.js'
import { readCache, writeCache } from '../ledger/cache-files.js'
import { packageRoot } from '../package-root.js'
import { sha256, toList } from '../engine/files.js'
import { builtinTemplates } from '../generate/library.js'
import { explainSchemaErrors } from './explain-schema-errors.js'
import { locate, locateOffset, type Target, type YamlSource } from './locate.js'
import type { Plan } from './plan.generated.js'
import { suggest } from './suggest.js'
import validatePlanSchema from './validate-plan.generated.js'
import { loadYaml, yamlSync } from './yaml.js'

/** Plan files larger than this are refused rather than parsed. */
export const MAX_PLAN_BYTES = 1024 * 1024
/** YAML alias expansions allowed per file (more suggests an alias bomb). */
export const MAX_ALIASES = 100


/** A plan file that parsed and matched the schema. */
export interface PlanFile extends YamlSource {
  path: string
  plan: Plan
}

/**
 * A valid plan file read on the fast path: positions (the `yaml` Document) are computed only
 * when something asks for one, such as an error message or a phase's source line.
 */
class LazyPlanFile implements PlanFile {
  #source?: YamlSource
  constructor(readonly rel: string, readonly path: string, readonly text: string, readonly plan: Plan) {}
  private get source(): YamlSource {
    return (this.#source ??= parseSource(this.rel, this.text))
  }
  get lines() { return this.source.lines }
  get doc() { return this.source.doc }
  get lineCounter() { return this.source.lineCounter }
}

function parseSource(rel: string, text: string): YamlSource {
  const { LineCounter, parseDocument } = yamlSync()
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false })
  return { rel, lines: text.split(/\r?\n/), doc, lineCounter }
}

// Anchors and aliases are left to the slow path, which bounds alias expansion.
const ANCHOR_OR_ALIAS = /(?:^|[\s[{,:-])[&*][^\s,\]}]/m

interface CachedPlan {
  format: string
  /** sha256 of the plan file's bytes. */
  sha256: string
  /** The validated plan as JSON text, and its sha256 (a cache entry damaged since is not used). */
  plan: string
  check: string
}

declare const __WF_PLAN_FORMAT__: string | undefined
/** What a cached plan must have been read with: set at build time from the plan schema and the YAML parser. */
const PLAN_FORMAT = typeof __WF_PLAN_FORMAT__ === 'string' ? __WF_PLAN_FORMAT__ : 'unbuilt'

/** Whether JSON holds the value exactly: YAML's .inf and .nan it does not. */
function jsonExact(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(jsonExact)
  if (value !== null && typeof value === 'object') return Object.values(value).every(jsonExact)
  return true
}

/** Parses with js-yaml (several times faster than building a positioned Document); undefined when unsure. */
function parseFast(text: string): unknown {
  if (ANCHOR_OR_ALIAS.test(text)) return undefined
  try {
    return loadFastYaml(text, { schema: CORE_SCHEMA, json: false })
  } catch {
    return undefined
  }
}

/** Every plan file read for one repository, with the problems found while reading them. */
export interface LoadedPlan {
  root: string
  files: PlanFile[]
  issues: PlanIssue[]
}

export interface LoadPlanOptions {
  /** Where to start looking for the repository root (default: process.cwd()). */
  cwd?: string
  /** One plan file to load instead of every `phases/*.y{a,}ml`. */
  plan?: string
  /** Also compile the JSON Schemas that gates name (costly: `wf validate` does it; gates check again when they run). */
  deep?: boolean
}

const toPosix = (p: string) => p.split(sep).join('/')

/** The repository root: the nearest folder at or above `cwd` holding `phases/` or `.git`. */
export function findRoot(cwd: string): string {
  let dir = resolve(cwd)
  for (;;) {
    if (existsSync(join(dir, 'phases')) || existsSync(join(dir, '.git'))) return dir
    const parent = dirname(dir)
    if (parent === dir) return resolve(cwd)
    dir = parent
  }
}

/** True when `target` is `root` or inside it. */
export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

async function entryFiles(root: string, cwd: string, plan?: string): Promise<string[]> {
  if (plan) {
    const file = resolve(cwd, plan)
    if (!existsSync(file)) throw new WfError('WF_PLAN_NOT_FOUND', `plan file ${plan} does not exist`, { hint: 'check the path given to --plan' })
    return [file]
  }
  const dir = join(root, 'phases')
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    throw new WfError('WF_PLAN_NOT_FOUND', `no phases/ folder in ${root}`, { hint: 'run `wf init` to create a starter plan, or pass --plan FILE' })
  }
  const files = names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => join(dir, n))
  if (files.length === 0) {
    throw new WfError('WF_PLAN_NOT_FOUND', `no plan files (*.yaml, *.yml) in ${toPosix(relative(cwd, dir)) || dir}`, { hint: 'run `wf init` to create a starter plan' })
  }
  return files
}

/** Reads, parses and schema-checks every plan file, following `include`; never throws for bad plans. */
export async function loadPlan(options: LoadPlanOptions = {}): Promise<LoadedPlan> {
  const cwd = resolve(options.cwd ?? process.cwd())
  const root = findRoot(cwd)
  const issues: PlanIssue[] = []
  const files: PlanFile[] = []
  const seen = new Set<string>()

  const loadFile = async (path: string, chain: string[]): Promise<void> => {
    seen.add(path)
    const file = await readPlanFile(root, path, issues)
    if (!file) return
    files.push(file)
    for (const [index, target] of (file.plan.include ?? []).entries()) {
      const includePath = resolve(dirname(path), target)
      const at = (message: string, hint?: string) => issues.push(issueAt(file, ['include', index], 'WF_PLAN_INVALID', message, { hint }))
      if (!isInside(root, includePath)) { at(`include \`${target}\` is outside the repository`, 'include only plan files inside the repository'); continue }
      if (chain.includes(includePath)) {
        const loop = [...chain.slice(chain.indexOf(includePath)), includePath].map((p) => toPosix(relative(root, p))).join(' → ')
        at(`include loop: ${loop}`, `remove the include of \`${target}\` from ${file.rel}`)
        continue
      }
      if (!existsSync(includePath)) {
        const close = suggestSibling(includePath)
        at(`included file \`${target}\` does not exist`, close ? `did you mean \`${close}\`?` : 'check the path; it is relative to the including file')
        continue
      }
      if (!seen.has(includePath)) await loadFile(includePath, [...chain, includePath])
    }
  }

  for (const path of await entryFiles(root, cwd, options.plan)) {
    if (!seen.has(path)) await loadFile(path, [path])
  }
  for (const file of files) checkPaths(root, file, issues)
  for (const file of files) await checkGateOptions(root, file, issues, options.deep === true)
  return { root, files, issues }
}

function suggestSibling(path: string): string | undefined {
  try {
    return suggest(path.slice(dirname(path).length + 1), readdirSync(dirname(path)))
  } catch {
    return undefined
  }
}

/** Builds a plan issue located at a data path of a file. */
export function issueAt(
  file: YamlSource,
  path: readonly (string | number)[],
  code: string,
  message: string,
  extra: { target?: Target; expected?: string; hint?: string } = {},
): PlanIssue {
  const { location, excerpt } = locate(file, path, extra.target)
  return { code, message, location, excerpt, expected: extra.expected, hint: extra.hint }
}

async function readPlanFile(root: string, path: string, issues: PlanIssue[]): Promise<PlanFile | undefined> {
  const rel = toPosix(relative(root, path)) || path
  const whole = (message: string, hint: string) => issues.push({ code: 'WF_PLAN_INVALID', message, location: { file: rel }, hint })
  const info = await stat(path)
  if (!info.isFile()) return void whole(`${rel} is not a file`, 'plan files are YAML files in phases/')
  if (info.size > MAX_PLAN_BYTES) {
    return void whole(`${rel} is ${(info.size / 1024 / 1024).toFixed(1)} MiB; plan files may be at most ${MAX_PLAN_BYTES / 1024 / 1024} MiB`, 'split the plan into several files in phases/')
  }
  const bytes = await readFile(path)
  let text: string
  try {
    if (bytes.includes(0)) throw new Error('NUL byte')
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return void whole(`${rel} is not a UTF-8 text file`, 'plan files are YAML text; remove binary files from phases/')
  }
  // A plan file read before (same bytes, same plan format) comes from .wf/cache as JSON.
  const digest = sha256(bytes)
  const cacheKey = sha256(rel).slice(0, 16)
  const cached = await readCache<CachedPlan>(root, 'plans', cacheKey)
  if (cached?.format === PLAN_FORMAT && cached.sha256 === digest && typeof cached.plan === 'string' && sha256(cached.plan) === cached.check) {
    return new LazyPlanFile(rel, path, text, JSON.parse(cached.plan) as Plan)
  }
  const fast = parseFast(text)
  if (fast !== undefined && fast !== null && validatePlanSchema(fast)) {
    if (jsonExact(fast)) {
      const json = JSON.stringify(fast)
      await writeCache(root, 'plans', cacheKey, { format: PLAN_FORMAT, sha256: digest, plan: json, check: sha256(json) } satisfies CachedPlan, { ifLedgerExists: true })
    }
    return new LazyPlanFile(rel, path, text, fast as Plan)
  }
  await loadYaml()
  let source: YamlSource
  try {
    source = parseSource(rel, text)
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    return void whole(`${rel} nests collections too deeply to read`, yamlHint('RESOURCE_EXHAUSTION'))
  }
  const { doc } = source
  if (doc.errors.length > 0) {
    issues.push(...syntaxIssues(source))
    return undefined
  }
  if (doc.contents === null) {
    const onlyComments = /^\s*#/m.test(text) && !/^\s*[^#\s]/m.test(text)
    return void whole(`${rel} ${onlyComments ? 'contains only comments' : 'is empty'}`, 'a plan starts with `version: 1` and a list of `phases:`; run `wf init` for an example')
  }
  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES })
  } catch (error) {
    const anchor = text.search(/[&*][A-Za-z0-9_-]/)
    const { location, excerpt } = anchor >= 0 ? locateOffset(source, anchor, anchor + 1) : { location: { file: rel, line: 1, col: 1 }, excerpt: source.lines[0] }
    issues.push({
      code: 'WF_PLAN_INVALID',
      message: `${rel} expands YAML aliases too many times (${firstLine((error as Error).message)})`,
      location, excerpt,
      hint: `use at most ${MAX_ALIASES} alias expansions; write the repeated parts out or use \`extends\``,
    })
    return undefined
  }
  if (validatePlanSchema(data)) return { ...source, path, plan: data as Plan }
  issues.push(...(await explainInvalid(source, data)))
  return undefined
}

/** One issue per line with a YAML syntax error: later errors on a line mostly follow from the first. */
function syntaxIssues(source: YamlSource): PlanIssue[] {
  const issues: PlanIssue[] = []
  const used = new Set<Node>()
  let lastLine: number | undefined
  for (const error of source.doc.errors) {
    const opening = unclosedOpening(source.doc, error, used)
    if (opening) used.add(opening.node)
    const [start, end] = opening ? [opening.node.range![0], opening.node.range![0] + 1] : error.pos
    const { location, excerpt } = locateOffset(source, start, end)
    if (location.line === lastLine) continue
    lastLine = location.line
    const message = error.code === 'RESOURCE_EXHAUSTION' ? 'collections nest too deeply to read' : `YAML syntax error: ${firstLine(error.message)}`
    issues.push({ code: 'WF_PLAN_SYNTAX', message, location, excerpt, hint: opening?.hint ?? yamlHint(error.code) })
  }
  return issues
}

// Constructs the parser reports as unterminated: how to name each, what closes it, which nodes are one.
const UNCLOSED: Record<string, { what: string; close: string; opens: (node: unknown) => boolean }> = {
  '"': { what: 'quoted string', close: '"', opens: (node) => yamlSync().isScalar(node) && node.type === 'QUOTE_DOUBLE' },
  "'": { what: 'quoted string', close: "'", opens: (node) => yamlSync().isScalar(node) && node.type === 'QUOTE_SINGLE' },
  sequence: { what: '`[`', close: ']', opens: (node) => yamlSync().isSeq(node) && node.flow === true },
  map: { what: '`{`', close: '}', opens: (node) => yamlSync().isMap(node) && node.flow === true },
}

/**
 * The quoted string or flow collection that a "missing closing quote/bracket" error is about.
 * The parser reports those where it gave up, often the end of the file; the opening is what to fix.
 */
function unclosedOpening(doc: Document, error: YAMLError, used: Set<Node>): { node: Node; hint: string } | undefined {
  const kind = /^Missing closing (["'])quote/.exec(error.message)?.[1] ?? /^Flow (sequence|map) in block collection/.exec(error.message)?.[1]
  const unclosed = kind === undefined ? undefined : UNCLOSED[kind]
  if (!unclosed) return undefined
  let found: Node | undefined
  const { visit, isNode } = yamlSync()
  visit(doc, (_, node) => {
    if (isNode(node) && unclosed.opens(node) && node.range?.[1] === error.pos[0] && !used.has(node)) {
      found = node
      return visit.BREAK
    }
  })
  return found && { node: found, hint: `the ${unclosed.what} opened here is never closed; add the missing \`${unclosed.close}\`` }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}

function yamlHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY': return 'each key may appear once in a mapping; remove or rename the repeated key'
    case 'BAD_INDENT':
    case 'MISSING_CHAR': return 'check the indentation: nested keys are indented under their parent with spaces'
    case 'TAB_AS_INDENT': return 'indent with spaces, not tabs'
    case 'RESOURCE_EXHAUSTION': return 'a plan needs only a few levels of nesting; flatten the deeply nested value'
    case 'BLOCK_AS_IMPLICIT_KEY': return 'check the indentation of this line; a value that contains `: ` must be quoted'
    default: return 'fix the YAML syntax at this position'
  }
}

let planSchema: unknown
/** Explains schema violations (the slow path: only for invalid plans). */
async function explainInvalid(source: YamlSource, data: unknown): Promise<PlanIssue[]> {
  planSchema ??= JSON.parse(await readFile(join(packageRoot, 'contracts', 'plan.schema.json'), 'utf8'))
  const findings = explainSchemaErrors(planSchema as object, data)
  if (findings.length === 0) {
    const errors = (validatePlanSchema as unknown as { errors?: { instancePath: string; message?: string }[] }).errors ?? []
    return errors.map((e) => issueAt(source, e.instancePath.split('/').slice(1), 'WF_PLAN_INVALID', `${e.instancePath || 'plan'} ${e.message ?? 'is invalid'}`))
  }
  return findings.map((f) => {
    const hint = f.hint ?? (f.path.length === 0 && f.message.includes('`version`') ? 'add `version: 1` at the top of the file' : undefined)
    return issueAt(source, f.path, 'WF_PLAN_INVALID', f.message, { target: f.target, expected: f.expected, hint })
  })
}

/** Names usable as `builtin:NAME` in template tasks. */
function builtinTemplateNames(): string[] {
  try {
    return [...builtinTemplates().keys()].sort()
  } catch {
    return []
  }
}

const GLOB_CHARS = /[*?[\]{}!]/

/** Checks every path a plan names: inside the repository, and present where it must already exist. */
function checkPaths(root: string, file: PlanFile, issues: PlanIssue[]): void {
  // Plans repeat paths (one template for many outputs): each distinct one is checked once.
  const seen = new Map<string, { message: string; hint: string } | null>()
  const check = (path: (string | number)[], value: string, mustExist: 'file' | 'any' | false, what: string) => {
    const key = `${mustExist}\0${what}\0${value}`
    let found = seen.get(key)
    if (found === undefined) seen.set(key, (found = pathProblem(value, mustExist, what) ?? null))
    if (found) issues.push(issueAt(file, path, 'WF_PLAN_PATH', found.message, { hint: found.hint }))
  }
  const pathProblem = (value: string, mustExist: 'file' | 'any' | false, what: string): { message: string; hint: string } | undefined => {
    const problem = (message: string, hint: string) => ({ message, hint })
    if (isAbsolute(value) || /^[A-Za-z]:[\\/]/.test(value)) return problem(`${what} \`${value}\` is an absolute path`, 'use a path relative to the repository root')
    // A relative path with no `..` in it stays inside; others are resolved to find out.
    if (!mustExist && !/(?:^|[\\/])\.\.(?:[\\/]|$)/.test(value)) return
    const full = resolve(root, value)
    if (!isInside(root, full)) return problem(`${what} \`${value}\` leaves the repository`, 'use a path inside the repository (no `..` above its root)')
    if (!mustExist) return
    const staticPart = GLOB_CHARS.test(value) ? value.slice(0, value.search(GLOB_CHARS)).replace(/[^/]*$/, '') : value
    const checked = resolve(root, staticPart || '.')
    if (!existsSync(checked) || (mustExist === 'file' && !statSync(checked).isFile())) {
      const close = suggestSibling(checked)
      return problem(`${what} \`${value}\` does not exist`, close ? `did you mean \`${toPosix(relative(root, join(dirname(checked), close)))}\`?` : `create ${staticPart || value} or fix the path`)
    }
  }
  for (const [p, phase] of (file.plan.phases ?? []).entries()) {
    const at = (...rest: (string | number)[]) => ['phases', p, ...rest]
    for (const [i, input] of (phase.inputs ?? []).entries()) check(at('inputs', i), input, false, 'input')
    for (const [t, task] of (phase.tasks ?? []).entries()) {
      if ('template' in task) {
        if (task.template.startsWith('builtin:')) {
          const name = task.template.slice('builtin:'.length)
          const known = builtinTemplateNames()
          if (!known.includes(name)) {
            const close = suggest(name, known)
            issues.push(issueAt(file, at('tasks', t, 'template'), 'WF_PLAN_PATH', `unknown built-in template \`${task.template}\``, {
              expected: known.length ? `one of ${known.map((k) => `builtin:${k}`).join(', ')}` : 'a template file in the repository',
              hint: close ? `did you mean \`builtin:${close}\`?` : 'name a template file in the repository instead, e.g. `templates/NAME.njk`',
            }))
          }
        } else check(at('tasks', t, 'template'), task.template, 'file', 'template')
        check(at('tasks', t, 'to'), task.to, false, 'output path')
      } else if ('contracts' in task) {
        check(at('tasks', t, 'contracts'), task.contracts, 'any', 'contracts')
        check(at('tasks', t, 'out'), task.out, false, 'output path')
      } else if (task.cwd !== undefined) check(at('tasks', t, 'cwd'), task.cwd, 'any', 'working directory')
    }
    for (const [g, gate] of (phase.gates ?? []).entries()) {
      if ('json-schema' in gate) {
        check(at('gates', g, 'json-schema', 'schema'), gate['json-schema'].schema, 'file', 'schema')
        for (const [i, data] of toList(gate['json-schema'].files).entries()) check(at('gates', g, 'json-schema', 'files', ...(Array.isArray(gate['json-schema'].files) ? [i] : [])), data, false, 'data file')
      } else if ('coverage' in gate) check(at('gates', g, 'coverage', gate.coverage.summary !== undefined ? 'summary' : 'lcov'), gate.coverage.summary ?? gate.coverage.lcov!, false, 'coverage report')
      else if ('plugin' in gate) check(at('gates', g, 'plugin'), gate.plugin, 'file', 'plugin module')
      else if ('command' in gate && gate.cwd !== undefined) check(at('gates', g, 'cwd'), gate.cwd, 'any', 'working directory')
      else if ('forbid' in gate && gate.forbid.allowlist !== undefined) check(at('gates', g, 'forbid', 'allowlist'), gate.forbid.allowlist, 'file', 'allow-list')
    }
  }
}

/**
 * Checks gate options a schema cannot: `git.branch` is a glob picomatch accepts, `forbid`
 * patterns are regular expressions, and a `json-schema` schema file parses and compiles. Files
 * checkPaths rejects are left to it.
 */
async function checkGateOptions(root: string, file: PlanFile, issues: PlanIssue[], deep: boolean): Promise<void> {
  const found: { path: (string | number)[]; message: string; hint: string }[] = []
  for (const [p, phase] of (file.plan.phases ?? []).entries()) {
    for (const [g, gate] of (phase.gates ?? []).entries()) {
      const at = ['phases', p, 'gates', g]
      if ('git' in gate && gate.git.branch !== undefined) {
        const problem = await globProblem(gate.git.branch)
        if (problem) found.push({ path: [...at, 'git', 'branch'], message: `branch glob \`${gate.git.branch}\` is invalid: ${problem}`, hint: 'fix the glob, e.g. `release/*` or `{main,develop}`; escape a literal bracket with `\\`' })
      } else if ('json-schema' in gate && deep) {
        const schema = gate['json-schema'].schema
        const full = resolve(root, schema)
        if (!isInside(root, full) || !existsSync(full) || !statSync(full).isFile()) continue
        const { compileSchema, readSchemaFile, SchemaFileError } = await import('../gates/schema-file.js')
        try {
          await compileSchema(await readSchemaFile(full, schema))
        } catch (error) {
          if (!(error instanceof SchemaFileError)) throw error
          found.push({ path: [...at, 'json-schema', 'schema'], message: error.message, hint: error.hint })
        }
      } else if ('forbid' in gate) {
        const { patternProblem } = await import('../gates/forbid.js')
        for (const [i, pattern] of gate.forbid.patterns.entries()) {
          const problem = patternProblem(pattern)
          if (problem) found.push({ path: [...at, 'forbid', 'patterns', i], message: `pattern \`${pattern}\` is not a valid regular expression: ${problem}`, hint: 'escape characters meant literally with `\\` (such as `\\(`, `\\[`, `\\*`); `secrets` names the built-in detectors' })
        }
      } else if ('file-contains' in gate && gate['file-contains'].regex !== undefined) {
        const problem = regexProblem(gate['file-contains'].regex, gate['file-contains'].flags)
        if (problem) found.push({ path: [...at, 'file-contains', 'regex'], message: `regex \`${gate['file-contains'].regex}\` is not a valid regular expression: ${problem}`, hint: 'escape characters meant literally with `\\`, or use `text:` for a literal string' })
      } else if ('command' in gate && gate.stdout !== undefined) {
        const problem = regexProblem(gate.stdout)
        if (problem) found.push({ path: [...at, 'stdout'], message: `stdout pattern \`${gate.stdout}\` is not a valid regular expression: ${problem}`, hint: 'escape characters meant literally with `\\`' })
      }
    }
  }
  if (found.length > 0) await loadYaml()
  for (const f of found) issues.push(issueAt(file, f.path, 'WF_PLAN_INVALID', f.message, { hint: f.hint }))
}

/** Why JavaScript rejects a regular expression, or undefined. */
function regexProblem(source: string, flags = ''): string | undefined {
  try {
    new RegExp(source, flags)
    return undefined
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, '')
  }
}

/** Why picomatch rejects a glob (unbalanced brackets, braces or parentheses), or undefined. */
async function globProblem(glob: string): Promise<string | undefined> {
  const { default: picomatch } = await import('picomatch')
  try {
    picomatch.makeRe(glob, { strictBrackets: true, debug: true })
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}
