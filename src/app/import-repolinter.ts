import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { basename, dirname, extname, join, relative, resolve } from 'node:path'
import { writeFileAtomic } from '../lib/atomic-write.js'
import { PlanError, type PlanIssue, WfError } from '../lib/errors.js'
import type { YamlSource } from '../plan/locate.js'
import { issueAt, syntaxIssues } from '../plan/yaml-issues.js'
import { loadYaml, yamlSync } from '../plan/yaml.js'
import { type RepolinterRule, type RuleTranslation, translateRepolinter } from './repolinter-rules.js'

/** Where Repolinter looks for its configuration, in its own order. */
export const REPOLINTER_FILES = [
  'repolint.json',
  'repolint.yaml',
  'repolint.yml',
  'repolinter.json',
  'repolinter.yaml',
  'repolinter.yml',
]

export interface ImportRepolinterOptions {
  cwd: string
  /** The configuration file (default: the first of REPOLINTER_FILES in cwd). */
  file?: string
  /** The plan to write, from cwd (default phases/repolinter.yaml). */
  output?: string
  force?: boolean
  /** Return the plan instead of writing anything. */
  stdout?: boolean
}

/** What an import did: the configuration read, the files written, and what became of each rule. */
export interface ImportRepolinterResult {
  source: string
  format: 'v2' | 'v1'
  output: string
  written: string[]
  phases: string[]
  rules: RuleTranslation[]
  notes: string[]
  /** True when every rule that runs became a gate. */
  complete: boolean
  plan: string
}

const LEVELS = ['error', 'warning', 'off']

/** Reads a Repolinter configuration (v2 or the older format) and writes the equivalent wf plan; nothing is written when the configuration is invalid or a target exists without `force`. */
export async function importRepolinter(options: ImportRepolinterOptions): Promise<ImportRepolinterResult> {
  const file = options.file ?? REPOLINTER_FILES.find((f) => existsSync(join(options.cwd, f)))
  if (!file)
    throw new WfError('WF_USAGE', `no Repolinter configuration in ${options.cwd}`, {
      hint: `name the file (wf import repolinter FILE), or run where ${REPOLINTER_FILES.slice(3).join(', ')} is`,
    })
  const path = resolve(options.cwd, file)
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new WfError('WF_USAGE', `cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, {
      hint: 'name an existing repolinter.json or repolinter.yaml',
    })
  })
  const { rules, axioms, format, notes } = await readRuleset(text, relative(options.cwd, path) || file)
  const output = options.output ?? join('phases', 'repolinter.yaml')
  const stem = join(dirname(output), basename(output, extname(output)))
  const translation = await translateRepolinter(rules, axioms, (rule) => `${stem}-${rule}.schema.json`)
  const plan = renderPlan(translation.phases, basename(file))
  const targets = [output, ...Object.keys(translation.schemas)]
  const written: string[] = []
  if (!options.stdout) {
    const existing = targets.filter((t) => existsSync(resolve(options.cwd, t)))
    if (existing.length > 0 && !options.force)
      throw new WfError('WF_USAGE', `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}`, {
        hint: 'nothing was written; pass --force to overwrite, --output to write elsewhere, or --stdout to print the plan',
      })
    for (const [target, content] of [
      [output, plan],
      ...Object.entries(translation.schemas).map(([p, s]) => [p, `${JSON.stringify(s, null, 2)}\n`]),
    ] as [string, string][]) {
      const abs = resolve(options.cwd, target)
      await mkdir(dirname(abs), { recursive: true })
      await writeFileAtomic(abs, content)
      written.push(target)
    }
  }
  return {
    source: file,
    format,
    output,
    written,
    phases: translation.phases.map((p) => p.id),
    rules: translation.rules,
    notes,
    complete: notes.length === 0 && translation.rules.every((r) => r.status !== 'untranslated'),
    plan,
  }
}

function renderPlan(phases: unknown[], source: string): string {
  const { stringify } = yamlSync()
  const header = `# Translated from ${source} by \`wf import repolinter\`; \`wf import repolinter --json\` lists what was not.\n`
  return header + stringify({ version: 1, phases }, { lineWidth: 0, aliasDuplicateObjects: false })
}

/** The rules of a Repolinter configuration, every problem located at file:line:col. */
async function readRuleset(
  text: string,
  rel: string,
): Promise<{
  rules: RepolinterRule[]
  axioms?: Record<string, string>
  format: 'v2' | 'v1'
  notes: string[]
}> {
  const { LineCounter, parseDocument } = await loadYaml()
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false })
  const source: YamlSource = { rel, lines: text.split(/\r?\n/), doc, lineCounter }
  if (doc.errors.length > 0) throw new PlanError(syntaxIssues(source))
  const issues: PlanIssue[] = []
  const bad: Bad = (path, message, hint) =>
    issues.push(issueAt(source, path, 'WF_REPOLINTER_CONFIG', message, { hint }))
  const data = doc.toJS() as unknown
  if (!isObject(data) || !isObject(data.rules)) {
    bad(
      isObject(data) ? ['rules'] : [],
      'a Repolinter configuration has a `rules` object',
      "see Repolinter's rulesets/default.json",
    )
    throw new PlanError(issues)
  }
  const notes: string[] = []
  if (data.extends !== undefined)
    notes.push(`\`extends: ${String(data.extends)}\` is not followed: import the ruleset it names as well`)
  const rules: RepolinterRule[] = []
  const v2 = data.version === 2
  if (data.version !== undefined && data.version !== 1 && !v2)
    bad(
      ['version'],
      `version ${JSON.stringify(data.version)} is not a Repolinter configuration version`,
      'use version: 2, or leave it out for the older format',
    )
  let axioms: Record<string, string> | undefined
  if (data.axioms !== undefined) {
    if (!isObject(data.axioms) || !Object.values(data.axioms).every((v) => typeof v === 'string'))
      bad(['axioms'], '`axioms` maps axiom names to the names `where` uses', 'e.g. axioms: { linguist: language }')
    else axioms = data.axioms as Record<string, string>
  }
  if (v2) readV2Rules(data.rules, rules, bad)
  else readV1Rules(data.rules, rules, bad)
  if (issues.length > 0) throw new PlanError(issues)
  return { rules, axioms, format: v2 ? 'v2' : 'v1', notes }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

type Bad = (path: (string | number)[], message: string, hint: string) => void

function readV2Rules(config: Record<string, unknown>, rules: RepolinterRule[], bad: Bad) {
  for (const [name, cfg] of Object.entries(config)) {
    const at = ['rules', name]
    if (!isObject(cfg)) {
      bad(at, `rule ${name} is not an object`, 'give it `level` and `rule: { type, options }`')
      continue
    }
    if (!LEVELS.includes(cfg.level as string))
      bad(
        [...at, cfg.level === undefined ? '' : 'level'].filter(Boolean),
        `rule ${name}: level must be error, warning or off`,
        'set `level: error`',
      )
    const rule = cfg.rule
    if (!isObject(rule) || typeof rule.type !== 'string') {
      bad(
        [...at, 'rule'],
        `rule ${name}: \`rule.type\` names the rule to run`,
        'e.g. rule: { type: file-existence, options: { globsAny: [README*] } }',
      )
      continue
    }
    if (rule.options !== undefined && !isObject(rule.options))
      bad([...at, 'rule', 'options'], `rule ${name}: \`options\` is an object`, 'write the options as key: value pairs')
    const where = cfg.where ?? []
    if (!Array.isArray(where) || !where.every((w) => typeof w === 'string'))
      bad(
        [...at, 'where'],
        `rule ${name}: \`where\` is a list of axiom conditions`,
        'e.g. where: [language=javascript]',
      )
    const fix = cfg.fix
    if (fix !== undefined && (!isObject(fix) || typeof fix.type !== 'string'))
      bad([...at, 'fix'], `rule ${name}: \`fix.type\` names the fix`, 'e.g. fix: { type: file-create, options: {…} }')
    rules.push({
      name,
      level: cfg.level as RepolinterRule['level'],
      type: rule.type,
      options: isObject(rule.options) ? rule.options : {},
      where: Array.isArray(where) ? (where as string[]) : [],
      ...(isObject(fix) && typeof fix.type === 'string' ? { fix: fix.type } : {}),
      ...(typeof cfg.policyUrl === 'string' ? { policyUrl: cfg.policyUrl } : {}),
    })
  }
}

function readV1Rules(config: Record<string, unknown>, rules: RepolinterRule[], bad: Bad) {
  // The older format: { rules: { AXIOM: { "NAME:TYPE": [LEVEL, OPTIONS] } } }, AXIOM `all` for every repository.
  for (const [where, group] of Object.entries(config)) {
    if (!isObject(group)) {
      bad(
        ['rules', where],
        `rules.${where} is not an object of rules`,
        'e.g. "all": { "readme-file-exists:file-existence": ["error", {…}] }',
      )
      continue
    }
    for (const [key, value] of Object.entries(group)) {
      const at = ['rules', where, key]
      const [name, type] = key.split(':')
      const entry = Array.isArray(value) ? value : [value]
      if (!LEVELS.includes(entry[0] as string)) {
        bad(
          Array.isArray(value) ? [...at, 0] : at,
          `rule ${key}: the level (first item) must be error, warning or off`,
          'write ["error", { …options }]',
        )
        continue
      }
      if (entry[1] !== undefined && !isObject(entry[1])) {
        bad([...at, 1], `rule ${key}: the options (second item) are an object`, 'write ["error", { …options }]')
        continue
      }
      rules.push({
        name: name!,
        level: entry[0] as RepolinterRule['level'],
        type: type || name!,
        options: isObject(entry[1]) ? entry[1] : {},
        where: where === 'all' ? [] : [where],
      })
    }
  }
}
