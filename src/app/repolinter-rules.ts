import { linearRegexProblem } from '../lib/patterns.js'
import type { Condition, Gate, Phase } from '../plan/plan.generated.js'

/** One Repolinter rule as read from a ruleset, v2 or the older format. */
export interface RepolinterRule {
  name: string
  level: 'error' | 'warning' | 'off'
  type: string
  options: Record<string, unknown>
  where: string[]
  fix?: string
  policyUrl?: string
}

/** What became of one rule: the gates it became (and the phase holding them), or why it could not. */
export interface RuleTranslation {
  name: string
  type: string
  level: RepolinterRule['level']
  status: 'translated' | 'off' | 'untranslated'
  phase?: string
  gates?: string[]
  reason?: string
  notes: string[]
}

/** A ruleset translated: the phases of the plan, JSON Schemas to write beside it, and what became of each rule. */
export interface RepolinterTranslation {
  phases: Phase[]
  schemas: Record<string, unknown>
  rules: RuleTranslation[]
}

/** Where a translation writes a json-schema-passes rule's inline schema (a path from the repository root). */
export type SchemaPath = (rule: string) => string

type Options = Record<string, unknown>
type Built = { gates: Gate[]; notes: string[]; schema?: { path: string; schema: unknown } } | { reason: string }

// Linguist names languages by source files; these are the extensions it reads for each (vendored and generated files aside).
const LANGUAGE_EXTENSIONS: Record<string, string[]> = {
  javascript: ['js', 'mjs', 'cjs', 'jsx'],
  typescript: ['ts', 'tsx', 'mts', 'cts'],
  python: ['py'],
  java: ['java'],
  ruby: ['rb'],
  go: ['go'],
  rust: ['rs'],
  'objective-c': ['m'],
  'objective-c++': ['mm'],
  swift: ['swift'],
  erlang: ['erl', 'hrl'],
  elixir: ['ex', 'exs'],
  php: ['php'],
  'c#': ['cs'],
  kotlin: ['kt', 'kts'],
  scala: ['scala'],
  groovy: ['groovy'],
  shell: ['sh', 'bash'],
  c: ['c'],
  'c++': ['cpp', 'cc', 'cxx', 'hpp', 'hh'],
  perl: ['pl', 'pm'],
  dart: ['dart'],
  lua: ['lua'],
  haskell: ['hs'],
  clojure: ['clj', 'cljs', 'cljc'],
  r: ['r', 'R'],
  powershell: ['ps1'],
  html: ['html', 'htm'],
  css: ['css'],
  vue: ['vue'],
}

// Repolinter's packagers axiom: the manifest at the repository root that shows each packager.
const PACKAGER_FILES: Record<string, string[]> = {
  maven: ['pom.xml'],
  maven1: ['project.xml'],
  npm: ['package.json'],
  pypi: ['setup.py'],
  nuget: ['*.nuspec'],
  cocoapod: ['*.podspec'],
  cargo: ['Cargo.toml'],
  rubygem: ['*.gemspec'],
  cran: ['DESCRIPTION'],
  cpan: ['Makefile.PL', 'Build.PL'],
  pear: ['package.xml'],
  ivy: ['ivy.xml'],
  gradle: ['build.gradle'],
}

const DEFAULT_AXIOMS: Record<string, string> = {
  language: 'linguist',
  license: 'licensee',
  packager: 'packagers',
  packagers: 'packagers',
}

const BADGE_REGEX =
  'https://(?:bestpractices\\.coreinfrastructure\\.org|www\\.bestpractices\\.dev)(/\\w+)?/projects/\\d+'

/** Translates Repolinter rules into wf phases: one phase per distinct `where` (wf conditions belong to phases), each rule one gate or more named after it. */
export async function translateRepolinter(
  rules: RepolinterRule[],
  axioms: Record<string, string> | undefined,
  schemaPath: SchemaPath,
): Promise<RepolinterTranslation> {
  const aliases = axioms
    ? Object.fromEntries(Object.entries(axioms).map(([type, alias]) => [alias, type]))
    : DEFAULT_AXIOMS
  const phases = new Map<string, Phase>()
  const schemas: Record<string, unknown> = {}
  const results: RuleTranslation[] = []
  for (const rule of rules) {
    const base = { name: rule.name, type: rule.type, level: rule.level, notes: [] as string[] }
    if (rule.level === 'off') {
      results.push({ ...base, status: 'off', reason: 'level off: Repolinter does not run it' })
      continue
    }
    const when = whereCondition(rule.where, aliases)
    const built = 'reason' in when ? when : await translateRule(rule, schemaPath)
    if ('reason' in built) {
      results.push({ ...base, status: 'untranslated', reason: built.reason })
      continue
    }
    const condition = when as { condition?: Condition; notes: string[] }
    const phase = phaseFor(phases, rule.where, condition.condition)
    phase.gates!.push(...built.gates)
    if (built.schema) schemas[built.schema.path] = built.schema.schema
    const notes = [...condition.notes, ...built.notes]
    if (rule.fix) notes.push(`fix \`${rule.fix}\` is not translated: wf reports, it does not change the repository`)
    results.push({
      ...base,
      status: 'translated',
      phase: phase.id,
      gates: built.gates.map((g) => Object.keys(g).find((k) => !['name', 'severity', 'hint'].includes(k))!),
      notes,
    })
  }
  return { phases: [...phases.values()], schemas, rules: results }
}

function phaseFor(phases: Map<string, Phase>, where: string[], when: Condition | undefined): Phase {
  const key = JSON.stringify([...where].sort())
  let phase = phases.get(key)
  if (!phase) {
    const suffix = [...where]
      .sort()
      .map((w) => w.toLowerCase().replace(/[^a-z0-9]+/g, '-'))
      .join('-')
      .replace(/^-+|-+$/g, '')
    phase = {
      id: `repolinter${suffix ? `-${suffix}` : ''}`.slice(0, 64).replace(/-+$/, ''),
      name: where.length ? `Repolinter rules where ${where.join(', ')}` : 'Repolinter rules',
      description: `Translated from Repolinter by wf import repolinter${where.length ? `; runs only where ${where.join(' and ')}` : ''}.`,
      category: 'community',
      tags: ['repolinter'],
      ...(when ? { when } : {}),
      gates: [],
    }
    phases.set(key, phase)
  }
  return phase
}

/** A rule's `where` (every entry must hold) as a wf condition, or why it cannot be one. */
function whereCondition(
  where: string[],
  aliases: Record<string, string>,
): { condition?: Condition; notes: string[] } | { reason: string } {
  const parts: Condition[] = []
  const notes: string[] = []
  for (const entry of where) {
    const at = entry.search(/[=<>]/)
    const [alias, operator, value] =
      at < 0
        ? [entry, '', '']
        : [entry.slice(0, at), entry.slice(at).match(/^[<>]?=?/)![0], entry.slice(at).replace(/^[<>]?=?/, '')]
    const axiom = aliases[alias]
    if (!axiom) return { reason: `where \`${entry}\`: no axiom is named \`${alias}\` (see \`axioms\`)` }
    if (operator !== '=') return { reason: `where \`${entry}\`: wf has no condition on the ${axiom} axiom's count` }
    if (value === '*') return { reason: `where \`${entry}\`: wf has no condition for "any ${alias} detected"` }
    if (axiom === 'linguist') {
      const extensions = LANGUAGE_EXTENSIONS[value.toLowerCase()]
      if (!extensions) return { reason: `where \`${entry}\`: wf does not know the source files of ${value}` }
      parts.push({ file: `**/*.${extensions.length === 1 ? extensions[0] : `{${extensions.join(',')}}`}` })
      notes.push(
        `language=${value}: wf looks for ${extensions.map((e) => `*.${e}`).join(', ')} outside node_modules; linguist also leaves out vendored and generated files`,
      )
    } else if (axiom === 'packagers') {
      const files = PACKAGER_FILES[value.toLowerCase()]
      if (!files) return { reason: `where \`${entry}\`: Repolinter's packagers axiom has no packager \`${value}\`` }
      parts.push(files.length === 1 ? { file: files[0]! } : ({ any: files.map((file) => ({ file })) } as Condition))
    } else if (axiom === 'licensee') {
      // The `license` condition fact names the repository's SPDX license.
      parts.push({ license: value } as Condition)
    } else {
      return { reason: `where \`${entry}\`: wf has no condition for the ${axiom} axiom` }
    }
  }
  if (parts.length === 0) return { notes }
  return { condition: parts.length === 1 ? parts[0] : ({ all: parts } as Condition), notes }
}

const list = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? [value]
      : []

/** Repolinter's glob list split into wf's globs and `exclude` (its `!` globs). */
function globs(value: unknown): { paths: string[]; exclude: string[] } {
  const all = list(value).map((g) => g.replace(/^\.\//, ''))
  return {
    paths: all.filter((g) => !g.startsWith('!')),
    exclude: all.filter((g) => g.startsWith('!')).map((g) => g.slice(1).replace(/^\.\//, '')),
  }
}

/** `{a,b}` alternatives spelled out (nested ones too), so several globs can be joined into one. */
export function expandBraces(glob: string): string[] {
  let depth = 0
  let open = -1
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === '\\') i++
    else if (c === '{' && depth++ === 0) open = i
    else if (c === '}' && depth > 0 && --depth === 0) {
      const alternatives: string[] = []
      let start = open + 1
      let inner = 0
      for (let j = open + 1; j < i; j++) {
        if (glob[j] === '{') inner++
        else if (glob[j] === '}') inner--
        else if (glob[j] === ',' && inner === 0) {
          alternatives.push(glob.slice(start, j))
          start = j + 1
        }
      }
      alternatives.push(glob.slice(start, i))
      if (alternatives.length === 1) return [glob]
      const rest = glob.slice(i + 1)
      return alternatives.flatMap((a) => expandBraces(`${glob.slice(0, open)}${a}${rest}`))
    }
  }
  return [glob]
}

/** One glob matching what any of `patterns` matches: shared leading and trailing folders stay outside the braces. */
export function anyOf(patterns: string[]): string {
  const flat = [...new Set(patterns.flatMap(expandBraces))]
  if (flat.length === 1) return flat[0]!
  const split = flat.map((p) => p.split('/'))
  const shortest = Math.min(...split.map((s) => s.length))
  let head = 0
  while (head < shortest - 1 && split.every((s) => s[head] === split[0]![head])) head++
  let tail = 0
  while (
    tail < shortest - 1 - head &&
    split.every((s) => s[s.length - 1 - tail] === split[0]![split[0]!.length - 1 - tail])
  )
    tail++
  const middle = split.map((s) => s.slice(head, s.length - tail).join('/'))
  return [...split[0]!.slice(0, head), `{${middle.join(',')}}`, ...split[0]!.slice(split[0]!.length - tail)].join('/')
}

const withDirs = (paths: string[], dirs: boolean) =>
  dirs ? paths.flatMap((p) => [p, `${p.replace(/\/$/, '')}/**`]) : paths

/** JavaScript regex flags as wf's (`i`, `m`, `s`; `g` and `d` change nothing for a search, `u` is implied), or why not. */
function regexFlags(flags: unknown): { flags: string } | { reason: string } {
  const text = typeof flags === 'string' ? flags : ''
  const other = text.replace(/[gimsud]/g, '')
  if (other) return { reason: `regex flag \`${other}\` has no RE2 equivalent` }
  return { flags: [...new Set(text.replace(/[gud]/g, ''))].join('') }
}

async function regexReason(what: string, source: string, flags: string): Promise<string | undefined> {
  const problem = await linearRegexProblem(source, flags)
  return problem
    ? `${what} /${source}/: ${problem.problem}; wf runs regexes in linear time (RE2), a JavaScript-only regex cannot run`
    : undefined
}

function gate(rule: RepolinterRule, kind: string, value: unknown, hint: string): Gate {
  const message = typeof rule.options['fail-message'] === 'string' ? (rule.options['fail-message'] as string) : hint
  return {
    name: rule.name,
    [kind]: value,
    ...(rule.level === 'warning' ? { severity: 'warning' } : {}),
    hint: rule.policyUrl ? `${message} (policy: ${rule.policyUrl})` : message,
  } as unknown as Gate
}

const fileValue = (paths: string[], nocase: boolean, exclude: string[]) => ({
  paths: paths.length === 1 ? paths[0]! : paths,
  nocase,
  ...(exclude.length ? { exclude } : {}),
})

const noFiles = (option: string): Built => ({
  reason: `option \`${option}\` names no file globs`,
})

async function translateRule(rule: RepolinterRule, schemaPath: SchemaPath): Promise<Built> {
  const o: Options = rule.options
  const nocase = o.nocase === true
  switch (rule.type) {
    case 'file-existence':
    case 'directory-existence':
    case 'apache-notice':
      return existenceGate(rule, o, nocase)
    case 'file-not-exists':
    case 'file-type-exclusion':
      return absenceGate(rule, o, nocase)
    case 'file-contents':
    case 'file-not-contents':
      return contentsGate(rule, o, nocase)
    case 'file-starts-with':
      return startsWithGates(rule, o, nocase)
    case 'json-schema-passes':
      return jsonSchemaGate(rule, o, nocase, schemaPath)
    default:
      return otherRule(rule, o)
  }
}

function existenceGate(rule: RepolinterRule, o: Options, nocase: boolean): Built {
  const source = rule.type === 'apache-notice' ? ['NOTICE*'] : list(o.globsAny)
  const { paths, exclude } = globs(source)
  if (paths.length === 0) return noFiles('globsAny')
  const dirOnly = rule.type === 'directory-existence'
  const wanted = dirOnly ? paths.map((p) => `${p.replace(/\/$/, '')}/**`) : withDirs(paths, o.dirs === true)
  const notes = dirOnly || o.dirs === true ? ['a folder counts when it holds a file (git keeps no empty folders)'] : []
  return {
    gates: [
      gate(
        rule,
        'files-exist',
        fileValue([anyOf(wanted)], nocase, exclude),
        `add ${dirOnly ? 'a folder' : 'a file'} matching ${paths.join(' or ')}`,
      ),
    ],
    notes,
  }
}

function absenceGate(rule: RepolinterRule, o: Options, nocase: boolean): Built {
  const { paths, exclude } = globs(rule.type === 'file-type-exclusion' ? o.type : o.globsAll)
  if (paths.length === 0) return noFiles(rule.type === 'file-type-exclusion' ? 'type' : 'globsAll')
  return {
    gates: [
      gate(
        rule,
        'files-absent',
        fileValue(withDirs(paths, o.dirs === true), nocase, exclude),
        `remove the files matching ${paths.join(', ')}${rule.type === 'file-type-exclusion' ? ' (or build them in CI instead of committing them)' : ''}`,
      ),
    ],
    notes: [],
  }
}

function jsonSchemaGate(rule: RepolinterRule, o: Options, nocase: boolean, schemaPath: SchemaPath): Built {
  if (typeof o.glob !== 'string') return { reason: 'option `glob` is not a glob' }
  if (typeof o.schema !== 'object' || o.schema === null)
    return { reason: 'option `schema` is not a JSON Schema object' }
  const path = schemaPath(rule.name)
  const notes = ['every file matching the glob is validated, not only the first']
  if (o['succeed-on-non-existent'] === true)
    notes.push('`succeed-on-non-existent` is not translated: wf fails when no file matches')
  if (nocase) notes.push('`nocase` is not applied: the glob matches names as written')
  const hint =
    typeof o['human-readable-message'] === 'string'
      ? (o['human-readable-message'] as string)
      : `make ${o.glob} valid against ${path}`
  return {
    gates: [gate(rule, 'json-schema', { schema: path, files: o.glob }, hint)],
    notes,
    schema: { path, schema: o.schema },
  }
}

/** `large-file`: no file over `size` bytes, as `large-files` judges it. */
function largeFileRule(rule: RepolinterRule, o: Options): Built {
  const { paths, exclude } = globs(o.globsAll)
  if (typeof o.size !== 'number' || o.size < 1) return { reason: 'option `size` is not a number of bytes' }
  return {
    gates: [
      gate(
        rule,
        'large-files',
        { max: o.size, ...(paths.length ? { in: paths } : {}), ...(exclude.length ? { exclude } : {}) },
        `remove files over ${o.size} bytes or track them with Git LFS`,
      ),
    ],
    notes:
      o['fail-on-non-existent'] === true
        ? ['`fail-on-non-existent` is not translated: wf passes when no file matches']
        : [],
  }
}

/** `file-no-broken-links`: relative links of Markdown files resolve, as `markdown-links` judges them without anchors. */
function brokenLinksRule(rule: RepolinterRule, o: Options): Built {
  const { paths, exclude } = globs(o.globsAll)
  if (paths.length === 0) return noFiles('globsAll')
  if (paths.some((p) => !/\.(md|markdown)\}?$/i.test(p) && !/\*$/.test(p)))
    return { reason: 'wf checks links in Markdown only; these globs name other markup' }
  return {
    gates: [
      gate(
        rule,
        'markdown-links',
        { in: paths, ...(exclude.length ? { exclude } : {}), anchors: false },
        'fix or remove the links to files that do not exist',
      ),
    ],
    notes: [
      'web links are not fetched: wf checks relative links to files of the repository',
      ...(o['succeed-on-non-existent'] === true
        ? []
        : ['wf passes when no file matches; Repolinter fails unless `succeed-on-non-existent` is set']),
      ...(o['pass-external-relative-links'] === true
        ? ['`pass-external-relative-links` is not translated: wf fails a relative link that leaves the repository']
        : []),
    ],
  }
}

/** Rules over sizes, licenses, badges, links and git, and those wf cannot translate. */
function otherRule(rule: RepolinterRule, o: Options): Built {
  switch (rule.type) {
    case 'large-file':
      return largeFileRule(rule, o)
    case 'license-detectable-by-licensee':
      return {
        gates: [gate(rule, 'license', true, 'add a LICENSE file with the full, unmodified text of an SPDX license')],
        notes: ['wf identifies the license text itself (SPDX data) instead of running licensee'],
      }
    case 'best-practices-badge-present': {
      if (typeof o.minPercentage === 'number' && o.minPercentage > 0)
        return { reason: 'option `minPercentage` needs the Best Practices API (network); wf gates work offline' }
      return {
        gates: [
          gate(
            rule,
            'file-contains',
            { in: 'README*', nocase: true, regex: BADGE_REGEX, flags: 'i' },
            'add the OpenSSF Best Practices badge (https://www.bestpractices.dev) to the README',
          ),
        ],
        notes: ['the badge link may also point at www.bestpractices.dev, where the programme moved'],
      }
    }
    case 'file-no-broken-links':
      return brokenLinksRule(rule, o)
    case 'git-working-tree':
      return {
        gates: [gate(rule, 'command', 'git rev-parse --is-inside-work-tree', 'keep the project in a git repository')],
        notes:
          o.allowSubDir === true ? ['`allowSubDir` is not needed: git finds the repository from any folder in it'] : [],
      }
    case 'git-grep-commits':
      return { reason: 'it searches the content of every commit in the history; wf gates judge the working tree' }
    case 'git-grep-log':
      return { reason: 'it searches every commit message in the history; wf gates judge the working tree' }
    case 'git-list-tree':
      return {
        reason:
          'it searches the paths of every commit in the history; wf gates judge the working tree (files-absent checks the current paths)',
      }
    case 'file-hash':
      return { reason: "wf has no gate that compares a file's hash" }
    case 'file-hashes-not-exist':
      return { reason: "wf has no gate that compares files' hashes against a list" }
    default:
      return { reason: `unknown rule type \`${rule.type}\`` }
  }
}

async function contentsGate(rule: RepolinterRule, o: Options, nocase: boolean): Promise<Built> {
  const negated = rule.type === 'file-not-contents'
  const sources = negated && Array.isArray(o.contents) ? list(o.contents) : list(o.content)
  if (sources.length === 0) return { reason: 'option `content` is not a regular expression' }
  const flags = regexFlags(o.flags)
  if ('reason' in flags) return flags
  for (const source of sources) {
    const reason = await regexReason('content', source, flags.flags)
    if (reason) return { reason }
  }
  let { paths, exclude } = globs(o.globsAll)
  const notes: string[] = []
  if (paths.length === 0) {
    const any = globs(o.globsAny)
    // globsAny passes when one file matches; wf's file-contains needs every file to: the same only for one plain path.
    if (any.paths.length === 1 && !/[*?[\]{}]/.test(any.paths[0]!)) ({ paths, exclude } = any)
    else if (any.paths.length > 0)
      return { reason: '`globsAny` passes when any one file matches; wf file-contains needs every matching file to' }
    else return noFiles('globsAll')
  }
  const regex = sources.length === 1 ? sources[0]! : sources.map((s) => `(?:${s})`).join('|')
  const human = typeof o['human-readable-content'] === 'string' ? (o['human-readable-content'] as string) : `/${regex}/`
  return {
    gates: [
      gate(
        rule,
        'file-contains',
        {
          in: paths.length === 1 ? paths[0]! : paths,
          nocase,
          ...(exclude.length ? { exclude } : {}),
          regex,
          ...(flags.flags ? { flags: flags.flags } : {}),
          ...(negated ? { count: 0 } : {}),
          ...(o['fail-on-non-existent'] === true ? {} : { missing_ok: true }),
        },
        negated ? `remove ${human} from ${paths.join(', ')}` : `make ${paths.join(', ')} contain ${human}`,
      ),
    ],
    notes,
  }
}

async function startsWithGates(rule: RepolinterRule, o: Options, nocase: boolean): Promise<Built> {
  const { paths, exclude } = globs(o.globsAll)
  if (paths.length === 0) return noFiles('globsAll')
  const lines = o.lineCount
  if (typeof lines !== 'number' || !Number.isInteger(lines) || lines < 1)
    return { reason: 'option `lineCount` is not a whole number of lines' }
  if (lines > 1000) return { reason: 'option `lineCount` is over 1000, more than an RE2 repeat count allows' }
  const patterns = list(o.patterns)
  if (patterns.length === 0) return { reason: 'option `patterns` names no regular expression' }
  const flags = regexFlags(o.flags)
  if ('reason' in flags) return flags
  const skip = (o['skip-paths-matching'] ?? {}) as Options
  if (list(skip.patterns).length > 0)
    return { reason: '`skip-paths-matching.patterns` are regexes over paths; wf leaves files out by glob (`exclude`)' }
  const skipped = [...exclude, ...list(skip.extensions).map((e) => `**/*.${e.replace(/^\./, '')}`)]
  const notes = o['skip-binary-files'] === true ? ['`skip-binary-files`: a binary file is read as text and fails'] : []
  const gates: Gate[] = []
  for (const pattern of patterns) {
    const reason = await regexReason('pattern', pattern, flags.flags)
    if (reason) return { reason }
    // Without the `m` flag `^` is the start of the file: the pattern must occur within its first `lineCount` lines.
    const regex = `^(?:[^\\n]*\\n){0,${lines - 1}}[^\\n]*?(?:${pattern})`
    const g = gate(
      rule,
      'file-contains',
      {
        in: paths.length === 1 ? paths[0]! : paths,
        nocase,
        ...(skipped.length ? { exclude: skipped } : {}),
        regex,
        ...(flags.flags.replace('m', '') ? { flags: flags.flags.replace('m', '') } : {}),
        ...(o['succeed-on-non-existent'] === true ? { missing_ok: true } : {}),
      },
      `put ${pattern} in the first ${lines} lines of each ${paths.join(', ')}`,
    ) as Gate & { name: string }
    if (patterns.length > 1) g.name = `${rule.name} (${pattern})`
    gates.push(g)
  }
  return { gates, notes }
}
