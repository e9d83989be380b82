import { readFile, stat } from 'node:fs/promises'
import { relative } from 'node:path'
import type { PlanIssue } from '../lib/errors.js'
import { sha256 } from '../lib/files.js'
import { outsideRepoError, RepoBoundary } from '../lib/inside-repo.js'
import { toPosix } from '../lib/paths.js'
import { readCache, writeCache } from '../ledger/cache-files.js'
import type { YamlSource } from './locate.js'
import type { Plan } from './plan.generated.js'
import { fastYaml, planValidator } from './plan-validator.js'
import { loadYaml, yamlSync } from './yaml.js'
import { explainInvalid, syntaxIssues, yamlHint, firstLine } from './yaml-issues.js'
import { locateOffset } from './locate.js'

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
  constructor(
    readonly rel: string,
    readonly path: string,
    readonly text: string,
    readonly plan: Plan,
  ) {}
  private get source(): YamlSource {
    this.#source ??= parseSource(this.rel, this.text)
    return this.#source
  }
  get lines() {
    return this.source.lines
  }
  get doc() {
    return this.source.doc
  }
  get lineCounter() {
    return this.source.lineCounter
  }
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
async function parseFast(text: string): Promise<unknown> {
  if (ANCHOR_OR_ALIAS.test(text)) return undefined
  const { load, CORE_SCHEMA } = await fastYaml()
  try {
    return load(text, { schema: CORE_SCHEMA, json: false })
  } catch {
    return undefined
  }
}

/** Reads one plan file: refuses what is too big or not text, takes a cached parse, else parses and schema-checks it. */
export async function readPlanFile(
  root: string,
  path: string,
  issues: PlanIssue[],
  boundary = new RepoBoundary(root),
): Promise<PlanFile | undefined> {
  const rel = toPosix(relative(root, path)) || path
  const read = await readPlanText(path, rel, issues, boundary)
  if (!read) return undefined
  // A plan file read before (same bytes, same plan format) comes from .wf/cache as JSON.
  const digest = sha256(read.bytes)
  const cacheKey = sha256(rel).slice(0, 16)
  const cached = await readCachedPlan(root, cacheKey, digest)
  if (cached) return new LazyPlanFile(rel, path, read.text, cached)
  const fast = await parseFast(read.text)
  if (fast !== undefined && fast !== null && (await planValidator())(fast)) {
    if (jsonExact(fast)) await cachePlan(root, cacheKey, digest, fast)
    return new LazyPlanFile(rel, path, read.text, fast as Plan)
  }
  return readPositioned(rel, path, read.text, issues)
}

/** An issue about a whole plan file (no line to point at). */
function fileIssue(rel: string, message: string, hint: string): PlanIssue {
  return { code: 'WF_PLAN_INVALID', message, location: { file: rel }, hint }
}

/** The bytes and text of a plan file, or an issue when it is no file, too big, or not UTF-8 text. */
async function readPlanText(
  path: string,
  rel: string,
  issues: PlanIssue[],
  boundary: RepoBoundary,
): Promise<{ bytes: Buffer; text: string } | undefined> {
  const inside = boundary.covers(path)
  // A link out is refused before anything is read, so no excerpt can show an outside file's text.
  if (inside && !(await boundary.staysInside(path).catch(() => true))) {
    const refused = outsideRepoError(boundary.root, path, 'read')
    return void issues.push(fileIssue(rel, refused.message, refused.hint!))
  }
  const info = await stat(path)
  if (!info.isFile())
    return void issues.push(fileIssue(rel, `${rel} is not a file`, 'plan files are YAML files in phases/'))
  if (info.size > MAX_PLAN_BYTES) {
    const size = `${(info.size / 1024 / 1024).toFixed(1)} MiB`
    const message = `${rel} is ${size}; plan files may be at most ${MAX_PLAN_BYTES / 1024 / 1024} MiB`
    return void issues.push(fileIssue(rel, message, 'split the plan into several files in phases/'))
  }
  const bytes = inside ? await boundary.readFile(path) : await readFile(path)
  try {
    if (bytes.includes(0)) throw new Error('NUL byte')
    return { bytes, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
  } catch {
    const hint = 'plan files are YAML text; remove binary files from phases/'
    return void issues.push(fileIssue(rel, `${rel} is not a UTF-8 text file`, hint))
  }
}

async function readCachedPlan(root: string, cacheKey: string, digest: string): Promise<Plan | undefined> {
  const cached = await readCache<CachedPlan>(root, 'plans', cacheKey)
  if (
    cached?.format === PLAN_FORMAT &&
    cached.sha256 === digest &&
    typeof cached.plan === 'string' &&
    sha256(cached.plan) === cached.check
  )
    return JSON.parse(cached.plan) as Plan
  return undefined
}

async function cachePlan(root: string, cacheKey: string, digest: string, plan: unknown): Promise<void> {
  const json = JSON.stringify(plan)
  const entry: CachedPlan = { format: PLAN_FORMAT, sha256: digest, plan: json, check: sha256(json) }
  await writeCache(root, 'plans', cacheKey, entry, { ifLedgerExists: true })
}

/** The slow path: a positioned YAML document, so that every problem found names its line and column. */
async function readPositioned(
  rel: string,
  path: string,
  text: string,
  issues: PlanIssue[],
): Promise<PlanFile | undefined> {
  await loadYaml()
  let source: YamlSource
  try {
    source = parseSource(rel, text)
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    return void issues.push(
      fileIssue(rel, `${rel} nests collections too deeply to read`, yamlHint('RESOURCE_EXHAUSTION')),
    )
  }
  const { doc } = source
  if (doc.errors.length > 0) return void issues.push(...syntaxIssues(source))
  if (doc.contents === null) {
    const onlyComments = /^\s*#/m.test(text) && !/^\s*[^#\s]/m.test(text)
    const message = `${rel} ${onlyComments ? 'contains only comments' : 'is empty'}`
    const hint = 'a plan starts with `version: 1` and a list of `phases:`; run `wf init` for an example'
    return void issues.push(fileIssue(rel, message, hint))
  }
  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES })
  } catch (error) {
    return void issues.push(aliasIssue(source, text, error as Error))
  }
  if ((await planValidator())(data)) return { ...source, path, plan: data as Plan }
  issues.push(...(await explainInvalid(source, data)))
  return undefined
}

function aliasIssue(source: YamlSource, text: string, error: Error): PlanIssue {
  const anchor = text.search(/[&*][A-Za-z0-9_-]/)
  const { location, excerpt } =
    anchor >= 0
      ? locateOffset(source, anchor, anchor + 1)
      : { location: { file: source.rel, line: 1, col: 1 }, excerpt: source.lines[0] }
  return {
    code: 'WF_PLAN_INVALID',
    message: `${source.rel} expands YAML aliases too many times (${firstLine(error.message)})`,
    location,
    excerpt,
    hint: `use at most ${MAX_ALIASES} alias expansions; write the repeated parts out or use \`extends\``,
  }
}
