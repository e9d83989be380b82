import type { Document, LineCounter, Node, Pair, YAMLMap } from 'yaml'
import { toList } from '../lib/files.js'
import { globProblem } from '../lib/patterns.js'
import type { ResultLocation } from '../ledger/ledger.js'
import type { OptionProblem } from '../plan/check-plan.js'
import type { WorkflowGate } from '../plan/plan.generated.js'
import { loadYaml } from '../plan/yaml.js'
import { findFiles } from './file-options.js'
import type { GateKind } from './gate-kind.js'
import { planRegex, planRegexProblem } from './plan-regex.js'
import { remoteScripts } from './remote-scripts.js'

/** The rules of the `workflow` gate, in the order they are checked. */
export const WORKFLOW_RULES = [
  'pinned-actions',
  'token-permissions',
  'dangerous-triggers',
  'script-injection',
  'remote-scripts',
] as const

type Rule = (typeof WORKFLOW_RULES)[number]
type Require = { trigger?: string[]; uses?: string[]; run?: string }

const DEFAULT_IN = '.github/workflows/*.{yml,yaml}'
const SHOWN = 10
const SHA = /^[0-9a-f]{40}$/
const DIGEST = /@sha256:[0-9a-f]{64}$/
// Scorecard's Dangerous-Workflow list of contexts an outsider writes (plus the workflow_run head), as GitHub's hardening guide names them.
const UNTRUSTED =
  /\bgithub\.(?:head_ref\b|event\.(?:issue\.(?:title|body)|pull_request\.(?:title|body|head\.(?:ref|label|repo\.default_branch))|comment\.body|review\.body|review_comment\.body|discussion\.(?:title|body)|pages[^\s}.]*(?:\.\*)?\.page_name|commits[^\s}.]*(?:\.\*)?\.(?:message|author\.(?:email|name))|head_commit\.(?:message|author\.(?:email|name))|workflow_run\.(?:head_branch|head_commit\.(?:message|author\.(?:email|name))))\b)/
// A checkout ref that names the pull request's or triggering run's head rather than the base.
const UNTRUSTED_REF =
  /github\.event\.pull_request\.(?:head\.(?:sha|ref)|merge_commit_sha)|github\.head_ref|github\.event\.workflow_run\.head_(?:sha|branch|commit)|refs\/pull\//
const PRIVILEGED_TRIGGERS = ['pull_request_target', 'workflow_run']

/** The gate's options with their defaults. */
function options(gate: WorkflowGate) {
  const value = gate.workflow
  if (value === true) return { rules: [...WORKFLOW_RULES], in: [DEFAULT_IN], exclude: [] as string[] }
  if (Array.isArray(value)) return { rules: [...value] as Rule[], in: [DEFAULT_IN], exclude: [] as string[] }
  return {
    rules: (value.rules ?? (value.require ? [] : [...WORKFLOW_RULES])) as Rule[],
    in: value.in ? toList(value.in) : [DEFAULT_IN],
    exclude: value.exclude ? toList(value.exclude) : [],
    require: value.require as Require | undefined,
  }
}

/** What one workflow file says, for the aggregate `require` checks. */
interface Facts {
  triggers: string[]
  uses: string[]
  runs: string[]
}

/** `workflow:` — GitHub Actions workflows, parsed: pinned actions, token permissions, dangerous triggers, script injection, remote scripts, and what some workflow must do. */
export const workflowGate: GateKind<WorkflowGate> = {
  describe: (gate) => {
    const { rules, require } = options(gate)
    const wants = require ? [`require ${Object.keys(require).join(', ')}`] : []
    return `workflows: ${[...rules, ...wants].join(', ')}`
  },
  inputs: (gate) => options(gate).in,
  perFile: true,
  async checkOptions(gate) {
    const { require } = options(gate)
    const problems: OptionProblem[] = []
    if (require?.run !== undefined) {
      const found = await planRegexProblem(require.run)
      if (found)
        problems.push({
          at: ['workflow', 'require', 'run'],
          message: `regex \`${require.run}\` is not a valid regular expression: ${found.problem}`,
          hint: found.hint ?? 'escape characters meant literally with `\\`',
        })
    }
    for (const [i, glob] of (require?.uses ?? []).entries()) {
      const found = await globProblem(glob)
      if (found)
        problems.push({
          at: ['workflow', 'require', 'uses', i],
          message: `\`${glob}\` is not a valid glob: ${found}`,
          hint: 'balance brackets, braces and parentheses, or escape them with `\\`',
        })
    }
    return problems
  },
  async check(gate, { root, only, workspace }) {
    const spec = options(gate)
    const files = [
      ...new Set(
        (
          await Promise.all(spec.in.map((p) => findFiles(root, p, { nocase: false, exclude: spec.exclude }, only)))
        ).flat(),
      ),
    ].sort()
    const where = spec.in.join(', ')
    if (files.length === 0) {
      if (only) return { status: 'passed', message: 'no staged workflow to check' }
      if (spec.require)
        return { status: 'failed', message: `no workflow file matches ${where}: ${missing(spec.require)}` }
      return { status: 'passed', message: `no workflows (${where})` }
    }
    const yaml = await loadYaml()
    const findings: ResultLocation[] = []
    const facts: Facts = { triggers: [], uses: [], runs: [] }
    const parsed = workspace.scoped(ParsedWorkflows)
    for (const file of files) {
      const text = await workspace.boundary.readFile(file, 'utf8')
      const workflow = parsed.get(yaml, file, text)
      if ('problem' in workflow) {
        findings.push(workflow.problem)
        continue
      }
      findings.push(...spec.rules.flatMap((rule) => workflow.check(rule)).sort((a, b) => a.line! - b.line!))
      workflow.collect(facts)
    }
    const unmet = spec.require && !only ? await unmetRequirements(spec.require, facts) : []
    const looked = `(looked in ${files.length} ${files.length === 1 ? 'workflow' : 'workflows'}: ${where})`
    if (findings.length === 0 && unmet.length === 0) {
      const subject = files.length === 1 ? files[0]! : `${files.length} workflows`
      const checked = [...spec.rules, ...(spec.require ? ['require'] : [])].join(', ')
      return { status: 'passed', message: `${subject} pass${files.length === 1 ? 'es' : ''} ${checked}` }
    }
    const lines = findings.map((f) => (f.line ? `${f.file}:${f.line}: ${f.message}` : f.message!))
    const more = lines.length > SHOWN ? `; and ${lines.length - SHOWN} more` : ''
    const said = [...(unmet.length > 0 ? [`${unmet.join('; ')} ${looked}`] : []), ...lines.slice(0, SHOWN)]
    return {
      status: 'failed',
      message: said.join('; ') + more,
      ...(findings.length > 0 ? { locations: findings } : {}),
    }
  },
}

// A failure names this many of the actions `require.uses` accepts (and cuts its `run` pattern): the plan lists them all.
const NAMED_ACTIONS = 4

/** What `require` asks for, said as what was not found. */
function missing(require: Require): string {
  const parts: string[] = []
  if (require.trigger) parts.push(`no workflow runs on ${require.trigger.join(' or ')}`)
  const uses = require.uses ?? []
  const unnamed = uses.length - NAMED_ACTIONS
  const does = [
    ...(uses.length > 0
      ? [
          `uses ${uses.slice(0, NAMED_ACTIONS).join(' or ')}${unnamed > 0 ? ` (or ${unnamed} more action${unnamed === 1 ? '' : 's'})` : ''}`,
        ]
      : []),
    ...(require.run
      ? [`runs a script matching /${require.run.length > 40 ? `${require.run.slice(0, 37)}…` : require.run}/`]
      : []),
  ]
  if (does.length > 0) parts.push(`no workflow ${does.join(' or ')}`)
  return parts.join('; ')
}

/** The parts of `require` no workflow meets (`uses` and `run` are alternatives). */
async function unmetRequirements(require: Require, facts: Facts): Promise<string[]> {
  const unmet: string[] = []
  if (require.trigger && !require.trigger.some((t) => facts.triggers.includes(t)))
    unmet.push(missing({ trigger: require.trigger }))
  if (require.uses || require.run) {
    let done = false
    if (require.uses) {
      const { default: picomatch } = await import('picomatch')
      const isMatch = picomatch(require.uses, { nocase: true, dot: true })
      done = facts.uses.some((u) => isMatch(u.replace(/@.*$/, '')))
    }
    if (!done && require.run) {
      const pattern = await planRegex(require.run)
      done = facts.runs.some((r) => pattern.test(r))
    }
    if (!done) unmet.push(missing({ uses: require.uses, run: require.run }))
  }
  return unmet
}

/** Each `${{ … }}` expression of a script, with its offset (the scan ends where no `}}` is left, so it stays linear). */
function* expressions(source: string): Generator<{ index: number; text: string }> {
  let at = source.indexOf('${{')
  while (at >= 0) {
    const close = source.indexOf('}}', at + 3)
    if (close < 0) return
    yield { index: at, text: source.slice(at, close + 2) }
    at = source.indexOf('${{', close + 2)
  }
}

type YamlModule = typeof import('yaml')

/** Workflows parsed during one run, so the presets' several workflow gates parse each file once. */
class ParsedWorkflows {
  private readonly byFile = new Map<string, { text: string; workflow: Workflow | { problem: ResultLocation } }>()

  get(yaml: YamlModule, file: string, text: string): Workflow | { problem: ResultLocation } {
    const known = this.byFile.get(file)
    if (known?.text === text) return known.workflow
    const workflow = parseWorkflow(yaml, file, text)
    this.byFile.set(file, { text, workflow })
    return workflow
  }
}

/** A workflow file parsed with positions, or where it does not parse. */
function parseWorkflow(yaml: YamlModule, file: string, text: string): Workflow | { problem: ResultLocation } {
  const lineCounter = new yaml.LineCounter()
  const doc = yaml.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false })
  const error = doc.errors[0]
  if (!error) return new Workflow(yaml, file, text, doc, lineCounter)
  const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
  return { problem: { file, ...lineCounter.linePos(error.pos[0]), message: `does not parse: ${message}` } }
}

/** One parsed workflow file and the rules judged on it. */
class Workflow {
  private readonly lines: string[]
  private readonly root: YAMLMap | undefined

  constructor(
    private readonly yaml: YamlModule,
    private readonly file: string,
    private readonly text: string,
    doc: Document,
    private readonly lineCounter: LineCounter,
  ) {
    this.lines = text.split(/\r?\n/)
    this.root = yaml.isMap(doc.contents) ? doc.contents : undefined
  }

  check(rule: Rule): ResultLocation[] {
    if (!this.root) return []
    switch (rule) {
      case 'pinned-actions':
        return this.pinnedActions()
      case 'token-permissions':
        return this.tokenPermissions()
      case 'dangerous-triggers':
        return this.dangerousTriggers()
      case 'script-injection':
        return this.scriptInjection()
      case 'remote-scripts':
        return this.remoteScripts()
    }
  }

  collect(facts: Facts) {
    facts.triggers.push(...this.triggers())
    for (const { value } of this.usesPairs()) facts.uses.push(value)
    for (const { node } of this.runScripts()) facts.runs.push(String(node.toJSON()))
  }

  private pinnedActions(): ResultLocation[] {
    const found: ResultLocation[] = []
    for (const { pair, value } of this.usesPairs()) {
      // `./x` is the checked-out workspace and `$/x` this repository at the running commit: both pinned by their workflow.
      if (value.startsWith('./') || value.startsWith('$/')) continue
      if (value.startsWith('docker://')) {
        if (!DIGEST.test(value)) found.push(this.at(pair.key, 'image not pinned to a digest (`@sha256:…`)'))
        continue
      }
      const ref = value.includes('@') ? value.slice(value.lastIndexOf('@') + 1) : ''
      if (!SHA.test(ref)) found.push(this.at(pair.key, 'not pinned to a full commit SHA'))
    }
    return found
  }

  private tokenPermissions(): ResultLocation[] {
    const found: ResultLocation[] = []
    const top = this.pair(this.root, 'permissions')
    const jobs = this.jobs()
    if (top) {
      const value = top.value
      if (this.yaml.isScalar(value) && value.value === 'write-all')
        found.push(this.at(top.key, 'top-level `permissions: write-all` gives every job every write scope'))
      else if (this.yaml.isMap(value))
        for (const scope of value.items)
          if (this.yaml.isScalar(scope.value) && scope.value.value === 'write')
            found.push(
              this.at(
                scope.key as Node,
                'write scope at the top level applies to every job: declare it on the job that needs it',
              ),
            )
    } else {
      const undeclared = jobs.filter((job) => !this.pair(job.map, 'permissions'))
      if (undeclared.length === jobs.length)
        found.push({ file: this.file, line: 1, col: 1, message: 'no `permissions:` at the top level or on any job' })
      else
        for (const job of undeclared)
          found.push(this.at(job.key, 'job has no `permissions:` and the workflow declares none at the top level'))
    }
    for (const job of jobs) {
      const permissions = this.pair(job.map, 'permissions')
      if (permissions && this.yaml.isScalar(permissions.value) && permissions.value.value === 'write-all')
        found.push(this.at(permissions.key, 'job `permissions: write-all` gives the job every write scope'))
    }
    return found
  }

  private dangerousTriggers(): ResultLocation[] {
    const privileged = this.triggers().filter((t) => PRIVILEGED_TRIGGERS.includes(t))
    if (privileged.length === 0) return []
    const found: ResultLocation[] = []
    for (const step of this.steps()) {
      const uses = this.scalar(step, 'uses')
      if (!uses || !/^actions\/checkout@/i.test(uses)) continue
      const ref = this.pair(this.map(step, 'with'), 'ref')
      if (ref && this.yaml.isScalar(ref.value) && UNTRUSTED_REF.test(String(ref.value.value)))
        found.push(this.at(ref.key, `${privileged.join(' or ')} workflow checks out the untrusted head`))
    }
    return found
  }

  private scriptInjection(): ResultLocation[] {
    const found: ResultLocation[] = []
    for (const { node, key } of this.runScripts()) {
      const [start, end] = node.range!
      const source = this.text.slice(start, end)
      for (const match of expressions(source)) {
        const context = UNTRUSTED.exec(match.text)?.[0]
        if (context) found.push(this.atOffset(start + match.index, `untrusted \`${context}\` expanded in \`${key}:\``))
      }
    }
    return found
  }

  private remoteScripts(): ResultLocation[] {
    const found: ResultLocation[] = []
    // The steps of a job share a file system: a script downloaded in one step and run in a later one counts.
    for (const { map } of this.jobs()) {
      const downloaded = new Set<string>()
      for (const step of this.stepsOf(map)) {
        const run = this.pair(step, 'run')
        if (!run || !this.yaml.isScalar(run.value)) continue
        const [start, end] = (run.value as Node).range!
        for (const script of remoteScripts(this.text.slice(start, end), downloaded))
          found.push(this.atOffset(start + script.index, script.message))
      }
    }
    return found
  }

  /** The events the workflow runs on (`on: push`, `on: [push, pull_request]`, `on: { push: … }`). */
  private triggers(): string[] {
    const on = this.pair(this.root, 'on')?.value
    if (this.yaml.isScalar(on)) return [String(on.value)]
    if (this.yaml.isSeq(on)) return on.items.flatMap((i) => (this.yaml.isScalar(i) ? [String(i.value)] : []))
    if (this.yaml.isMap(on)) return on.items.flatMap((p) => (this.yaml.isScalar(p.key) ? [String(p.key.value)] : []))
    return []
  }

  private jobs(): { key: Node; map: YAMLMap }[] {
    const jobs = this.pair(this.root, 'jobs')?.value
    if (!this.yaml.isMap(jobs)) return []
    return jobs.items.flatMap((p) => (this.yaml.isMap(p.value) ? [{ key: p.key as Node, map: p.value }] : []))
  }

  private steps(): YAMLMap[] {
    return this.jobs().flatMap(({ map }) => this.stepsOf(map))
  }

  private stepsOf(job: YAMLMap): YAMLMap[] {
    const steps = this.pair(job, 'steps')?.value
    return this.yaml.isSeq(steps) ? steps.items.filter((s): s is YAMLMap => this.yaml.isMap(s)) : []
  }

  /** Every `uses:` of a job (reusable workflow) or step, with its value. */
  private usesPairs(): { pair: Pair<Node, Node>; value: string }[] {
    const owners = [...this.jobs().map((j) => j.map), ...this.steps()]
    return owners.flatMap((owner) => {
      const pair = this.pair(owner, 'uses')
      return pair && this.yaml.isScalar(pair.value) && typeof pair.value.value === 'string'
        ? [{ pair, value: pair.value.value.trim() }]
        : []
    })
  }

  /** Script texts: each step's `run:`, and `with.script:` of actions/github-script. */
  private runScripts(): { node: Node; key: string }[] {
    return this.steps().flatMap((step) => {
      const run = this.pair(step, 'run')
      if (run && this.yaml.isScalar(run.value)) return [{ node: run.value as Node, key: 'run' }]
      if (!/^actions\/github-script@/i.test(this.scalar(step, 'uses') ?? '')) return []
      const script = this.pair(this.map(step, 'with'), 'script')
      return script && this.yaml.isScalar(script.value) ? [{ node: script.value as Node, key: 'script' }] : []
    })
  }

  private pair(map: YAMLMap | undefined, key: string): Pair<Node, Node> | undefined {
    return map?.items.find((p) => this.yaml.isScalar(p.key) && p.key.value === key) as Pair<Node, Node> | undefined
  }

  private map(map: YAMLMap, key: string): YAMLMap | undefined {
    const value = this.pair(map, key)?.value
    return this.yaml.isMap(value) ? value : undefined
  }

  private scalar(map: YAMLMap, key: string): string | undefined {
    const value = this.pair(map, key)?.value
    return this.yaml.isScalar(value) && typeof value.value === 'string' ? value.value.trim() : undefined
  }

  /** A finding at a node (a key: its line, quoted from the key on). */
  private at(node: Node, message: string): ResultLocation {
    return this.atOffset(node.range![0], message, true)
  }

  /** A finding at an offset, quoting its line (from that column on for a key, else the whole line). */
  private atOffset(offset: number, message: string, fromColumn = false): ResultLocation {
    const { line, col } = this.lineCounter.linePos(offset)
    const text = (this.lines[line - 1] ?? '').slice(fromColumn ? col - 1 : 0).trim()
    return {
      file: this.file,
      line,
      col,
      message: `${message}: \`${text.length > 100 ? `${text.slice(0, 99)}…` : text}\``,
    }
  }
}
