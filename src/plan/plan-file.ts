import { readFile, stat } from 'node:fs/promises'
import { relative } from 'node:path'
import { CORE_SCHEMA, load as loadFastYaml } from 'js-yaml'
import type { PlanIssue } from '../lib/errors.js'
import { sha256 } from '../lib/files.js'
import { toPosix } from '../lib/paths.js'
import { readCache, writeCache } from '../ledger/cache-files.js'
import type { YamlSource } from './locate.js'
import type { Plan } from './plan.generated.js'
import validatePlanSchema from './validate-plan.generated.js'
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
function parseFast(text: string): unknown {
  if (ANCHOR_OR_ALIAS.test(text)) return undefined
  try {
    return loadFastYaml(text, { schema: CORE_SCHEMA, json: false })
  } catch {
    return undefined
  }
}

/** Reads one plan file: refuses what is too big or not text, takes a cached parse, else parses and schema-checks it. */
export async function readPlanFile(root: string, path: string, issues: PlanIssue[]): Promise<PlanFile | undefined> {
  const rel = toPosix(relative(root, path)) || path
  const whole = (message: string, hint: string) =>
    issues.push({ code: 'WF_PLAN_INVALID', message, location: { file: rel }, hint })
  const info = await stat(path)
  if (!info.isFile()) return void whole(`${rel} is not a file`, 'plan files are YAML files in phases/')
  if (info.size > MAX_PLAN_BYTES) {
    return void whole(
      `${rel} is ${(info.size / 1024 / 1024).toFixed(1)} MiB; plan files may be at most ${MAX_PLAN_BYTES / 1024 / 1024} MiB`,
      'split the plan into several files in phases/',
    )
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
  if (
    cached?.format === PLAN_FORMAT &&
    cached.sha256 === digest &&
    typeof cached.plan === 'string' &&
    sha256(cached.plan) === cached.check
  ) {
    return new LazyPlanFile(rel, path, text, JSON.parse(cached.plan) as Plan)
  }
  const fast = parseFast(text)
  if (fast !== undefined && fast !== null && validatePlanSchema(fast)) {
    if (jsonExact(fast)) {
      const json = JSON.stringify(fast)
      await writeCache(
        root,
        'plans',
        cacheKey,
        { format: PLAN_FORMAT, sha256: digest, plan: json, check: sha256(json) } satisfies CachedPlan,
        { ifLedgerExists: true },
      )
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
    return void whole(
      `${rel} ${onlyComments ? 'contains only comments' : 'is empty'}`,
      'a plan starts with `version: 1` and a list of `phases:`; run `wf init` for an example',
    )
  }
  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES })
  } catch (error) {
    const anchor = text.search(/[&*][A-Za-z0-9_-]/)
    const { location, excerpt } =
      anchor >= 0
        ? locateOffset(source, anchor, anchor + 1)
        : { location: { file: rel, line: 1, col: 1 }, excerpt: source.lines[0] }
    issues.push({
      code: 'WF_PLAN_INVALID',
      message: `${rel} expands YAML aliases too many times (${firstLine((error as Error).message)})`,
      location,
      excerpt,
      hint: `use at most ${MAX_ALIASES} alias expansions; write the repeated parts out or use \`extends\``,
    })
    return undefined
  }
  if (validatePlanSchema(data)) return { ...source, path, plan: data as Plan }
  issues.push(...(await explainInvalid(source, data)))
  return undefined
}
