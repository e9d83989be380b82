import { formatDuration } from '../lib/units.js'
import { checkText, scopeText } from './check-text.js'
import type { HeldAnnotation } from './github-commands.js'
import { locationText } from './location.js'
import { countStatuses, FAILING } from '../ledger/statuses.js'
import type { ReportData, ReportGate, ReportLocation, ReportPhase, ReportTask } from './report-data.js'

/** Where file links point: `SERVER/REPOSITORY/blob/SHA/PATH#L12`. */
export interface LinkBase {
  server: string
  repository: string
  sha: string
}

/** The link base of a GitHub Actions job (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA), when all three are set. */
export function linkBaseFromEnv(env: NodeJS.ProcessEnv = process.env): LinkBase | undefined {
  const server = env.GITHUB_SERVER_URL?.replace(/\/+$/, '')
  const repository = env.GITHUB_REPOSITORY
  const sha = env.GITHUB_SHA
  if (
    !server ||
    !repository ||
    !sha ||
    !/^https?:\/\//.test(server) ||
    !/^[\w.-]+\/[\w.-]+$/.test(repository) ||
    !/^[0-9a-f]{7,64}$/i.test(sha)
  )
    return undefined
  return { server, repository, sha }
}

export interface MarkdownOptions {
  links?: LinkBase
  /** Annotations not emitted because of the per-step limit, and that limit. */
  overflow?: { limit: number; annotations: HeldAnnotation[] }
  /** Largest size of the document in bytes; sections are shortened with a note to stay under it. */
  maxBytes?: number
  /** Heading level of the title (1 for a document, 2 inside a job summary). */
  level?: number
}

/** GitHub's limit for one step's job summary. */
export const STEP_SUMMARY_LIMIT = 1024 * 1024

export const STATUS_ICON: Record<string, string> = {
  passed: '✅',
  'up-to-date': '✅',
  failed: '❌',
  blocked: '⛔',
  skipped: '⏭️',
  cancelled: '⏹️',
  interrupted: '⏹️',
  running: '⏳',
  'awaiting-approval': '⏸️',
  'never-run': '▫️',
  'not-in-run': '▫️',
  'not-run': '▫️',
  warned: '⚠️',
  waived: '🟡',
  incomplete: '⏸️',
}

/** Escapes text for inline Markdown (GitHub flavour): punctuation with meaning is backslash-escaped, line breaks become spaces. */
export function mdInline(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/[\\`*_[\]<>|~#&$]/g, (c) => `\\${c}`)
}

/** Escapes text for a Markdown table cell: inline escaping, line breaks as `<br>`. */
export function mdCell(text: string): string {
  return text
    .split(/\r?\n|\r/)
    .map(mdInline)
    .join('<br>')
}

/** A fenced code block whose fence is longer than any backtick run in the text. */
export function mdCode(text: string, lang = 'text'): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  return `${fence}${lang}\n${text.replace(/\r\n?/g, '\n')}\n${fence}`
}

/** `path:line:col` of a location. */

/** The blob URL of a repository file (and line), or undefined without a link base or for a path outside the repository. */
export function fileUrl(links: LinkBase | undefined, l: { file: string; line?: number }): string | undefined {
  if (!links || l.file.startsWith('/') || l.file.split('/').includes('..') || /^[a-z]+:/i.test(l.file)) return undefined
  const path = l.file.split('/').map(encodeURIComponent).join('/')
  return `${links.server}/${links.repository}/blob/${links.sha}/${path}${l.line ? `#L${l.line}` : ''}`
}

/** Inline code, with a delimiter longer than any backtick run in the text. */
export function mdCodeSpan(text: string): string {
  const flat = text.replace(/\r?\n|\r/g, ' ')
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  return longest ? `${fence} ${flat} ${fence}` : `${fence}${flat}${fence}`
}

function mdLocation(links: LinkBase | undefined, l: ReportLocation): string {
  const url = fileUrl(links, l)
  const text = mdCodeSpan(locationText(l))
  return url ? `[${text}](${url.replace(/[()\s]/g, encodeURIComponent)})` : text
}

const mermaidText = (text: string) => text.replace(/\s+/g, ' ').replace(/[#"<>&`]/g, (c) => `#${c.charCodeAt(0)};`)

const MERMAID_CLASSES: Record<string, string> = {
  passed: 'fill:#dafbe1,stroke:#1a7f37,color:#0d3018',
  failed: 'fill:#ffebe9,stroke:#cf222e,color:#4c0b10',
  blocked: 'fill:#fff1e5,stroke:#bc4c00,color:#4c2000',
  waiting: 'fill:#fff8c5,stroke:#9a6700,color:#3b2600',
  idle: 'fill:#f6f8fa,stroke:#8c959f,color:#24292f',
}
const mermaidClass = (status: string) =>
  status === 'passed' || status === 'up-to-date'
    ? 'passed'
    : status === 'failed'
      ? 'failed'
      : status === 'blocked'
        ? 'blocked'
        : status === 'awaiting-approval' || status === 'running'
          ? 'waiting'
          : 'idle'

/** The phase DAG as a Mermaid flowchart, each phase coloured by its status. */
export function mermaidGraph(phases: Pick<ReportPhase, 'id' | 'name' | 'needs' | 'status'>[]): string {
  const index = new Map(phases.map((p, i) => [p.id, i]))
  const mermaidId = (id: string) => `p${index.get(id) ?? id.replace(/[^A-Za-z0-9_]/g, '_')}`
  const lines = ['flowchart LR']
  for (const [name, style] of Object.entries(MERMAID_CLASSES)) lines.push(`  classDef ${name} ${style}`)
  for (const p of phases) {
    const label = `${mermaidText(p.id === p.name ? p.id : `${p.id}: ${p.name}`)}<br/>${STATUS_ICON[p.status] ?? ''} ${p.status.replace(/-/g, ' ')}`
    lines.push(`  ${mermaidId(p.id)}["${label}"]:::${mermaidClass(p.status)}`)
  }
  for (const p of phases) for (const need of p.needs) lines.push(`  ${mermaidId(need)} --> ${mermaidId(p.id)}`)
  return lines.join('\n')
}

/** Appends parts while they fit in a byte budget. */
class Budget {
  private readonly parts: string[] = []
  private used = 0
  constructor(private readonly limit: number) {}
  add(text: string): boolean {
    const size = Buffer.byteLength(text) + 1
    if (this.used + size > this.limit) return false
    this.parts.push(text)
    this.used += size
    return true
  }
  /** Adds a part even past the budget (for the short notes that say what was left out). */
  force(text: string): void {
    this.parts.push(text)
    this.used += Buffer.byteLength(text) + 1
  }
  /** Adds items one by one; when one does not fit, adds a note about how many were left out and stops. */
  addAll(items: string[], note: (omitted: number) => string): number {
    for (let i = 0; i < items.length; i++) {
      if (!this.add(items[i]!)) {
        this.force(note(items.length - i))
        return items.length - i
      }
    }
    return 0
  }
  toString(): string {
    return this.parts.join('\n')
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`
const duration = (ms: number | undefined) => (ms === undefined ? '–' : formatDuration(ms))
const shortSha = (sha: string | null | undefined) => (sha ? sha.slice(0, 8) : '–')

function gateItem(phase: ReportPhase, gate: ReportGate, links: LinkBase | undefined): string {
  const icon = STATUS_ICON[gate.status] ?? '•'
  const [first = '', ...rest] = gate.message.split(/\r?\n/)
  const lines = [
    `- ${icon} **${mdInline(phase.id)} › ${mdInline(gate.name)}** (${mdInline(gate.kind)}): ${mdInline(first)}`,
  ]
  if (rest.some((l) => l.trim())) lines.push(indent(mdCode(rest.join('\n'))))
  const shown = gate.locations.slice(0, 20)
  for (const l of shown) lines.push(`  - ${mdLocation(links, l)}${l.message ? ` ${mdInline(l.message)}` : ''}`)
  if (gate.locations.length > shown.length)
    lines.push(`  - … and ${gate.locations.length - shown.length} more (see \`wf report\`)`)
  if (gate.hint) lines.push(`  - **hint:** ${mdInline(gate.hint)}`)
  if (gate.waiver)
    lines.push(
      `  - **waived** until ${mdInline(gate.waiver.until)} by ${mdInline(gate.waiver.owner)}: ${mdInline(gate.waiver.reason)}${gate.waiver.expired ? ' (expired)' : ''}`,
    )
  return lines.join('\n')
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')

/**
 * The report as GitHub-flavoured Markdown: status, phase table, failing gates with links to their
 * file lines, waivers, the phase DAG (Mermaid) and run history. Stays under `maxBytes`.
 */
export function renderMarkdown(data: ReportData, options: MarkdownOptions = {}): string {
  const out = new Budget((options.maxBytes ?? Number.POSITIVE_INFINITY) - 4096)
  const section: Section = { out, options, h: (n) => '#'.repeat(Math.min(6, (options.level ?? 1) + n - 1)) }
  writeSummary(section, data)
  writePhases(section, data)
  writeFailures(section, data)
  writeWarnings(section, data)
  writeNotAnnotated(section)
  writeWaivers(section, data)
  writeApprovals(section, data)
  writeGraph(section, data)
  writeHistory(section, data)
  return out.toString()
}

/** What every section of the Markdown report writes to: the budget, the options, and headings at the right level. */
interface Section {
  out: Budget
  options: MarkdownOptions
  h: (level: number) => string
}

/** `3 passed, 1 up to date` */
function countsText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([s, n]) => `${n} ${s.replace(/-/g, ' ')}`)
    .join(', ')
}

const shownUpTo = (options: MarkdownOptions) => `the summary is limited to ${formatBytes(options.maxBytes)}`

function writeSummary({ out, options, h }: Section, data: ReportData): void {
  const links = options.links
  const run = data.run
  out.force(`${h(1)} wf report: ${STATUS_ICON[data.status] ?? ''} ${data.status}`)
  out.force('')
  const facts = [
    `**${mdInline(data.repository.name)}**`,
    data.repository.branch ? `branch ${mdCodeSpan(data.repository.branch)}` : undefined,
    data.repository.commit
      ? `commit ${links ? `[\`${shortSha(data.repository.commit)}\`](${links.server}/${links.repository}/commit/${data.repository.commit})` : `\`${shortSha(data.repository.commit)}\``}`
      : undefined,
    data.scope.run ? `run ${mdInline(data.scope.run)}` : 'latest result of each phase',
    `wf ${mdInline(data.wf)}`,
  ].filter(Boolean)
  out.force(facts.join(' · '))
  out.force('')
  const counts = countsText(data.totals.phases)
  const gates = countsText(data.totals.gates)
  out.force(`${plural(data.phases.length, 'phase')}: ${counts || 'none'}. Gates: ${gates || 'none'}.`)
  if (run)
    out.force(
      `\nLast run **${mdInline(run.id)}**${run.check ? ` (a check: ${scopeText(run.check)})` : ''} ${STATUS_ICON[run.status] ?? ''} ${run.status}, started ${run.startedAt}${run.durationMs !== undefined ? `, took ${duration(run.durationMs)}` : ''}: ${mdCodeSpan(run.command)}`,
    )
  out.force('')
}

/** The phase table; once any phase was checked, a Last check column beside the status (a check never sets it). */
function writePhases({ out, options, h }: Section, data: ReportData): void {
  const checked = data.phases.some((p) => p.check)
  const now = Date.parse(data.generatedAt)
  out.force(`${h(2)} Phases`)
  out.force('')
  out.force(`| Phase | Status | Duration | Tasks | Gates | Notes |${checked ? ' Last check |' : ''}`)
  out.force(`|---|---|---:|---|---|---|${checked ? '---|' : ''}`)
  out.addAll(
    data.phases.map((p) => {
      const taskCounts =
        countsText(countStatuses(p.tasks.map((t) => (t.allowedFailure ? { status: 'warned' } : t)))) || '–'
      const gateCounts = countsText(countStatuses(p.gates)) || '–'
      const name = p.name !== p.id ? `${mdCell(p.id)}<br><sub>${mdCell(p.name)}</sub>` : mdCell(p.id)
      const check = p.check
        ? `${STATUS_ICON[p.check.status] ?? ''} ${mdCell(checkText(p.check, now, p.check.gates.length))}`
        : '–'
      return `| ${name} | ${STATUS_ICON[p.status] ?? ''} ${p.status.replace(/-/g, ' ')} | ${duration(p.durationMs)} | ${taskCounts} | ${gateCounts} | ${p.reason && p.status !== 'passed' ? mdCell(p.reason) : ''} |${checked ? ` ${check} |` : ''}`
    }),
    (n) => `| … | ${n} more phases not shown (${shownUpTo(options)}) | | | | |${checked ? ' |' : ''}`,
  )
  out.force('')
}

/** Failed tasks with the tail of their output, failing gates with their locations; else the phases that failed. */
function writeFailures({ out, options, h }: Section, data: ReportData): void {
  const failedPhases = data.phases.filter((p) => FAILING.has(p.status))
  const failing = data.phases.flatMap((p) =>
    p.gates.filter((g) => g.status === 'failed').map((g) => gateItem(p, g, options.links)),
  )
  const failingTasks = data.phases.flatMap((p) =>
    p.tasks.filter((t) => t.status === 'failed' && !t.allowedFailure).map((t) => taskItem(p, t)),
  )
  if (failing.length + failingTasks.length === 0 && failedPhases.length === 0) return
  const more = (n: number, what: string) =>
    `- … ${plural(n, what)} not shown (${shownUpTo(options)}; run \`wf report --format html\` for every one)`
  out.force(`${h(2)} Failures`)
  out.force('')
  if (failingTasks.length) out.addAll(failingTasks, (n) => more(n, 'more failed task'))
  if (failing.length) out.addAll(failing, (n) => more(n, 'more failing gate'))
  if (!failing.length && !failingTasks.length)
    for (const p of failedPhases)
      out.add(
        `- ${STATUS_ICON[p.status]} **${mdInline(p.id)}** ${p.status.replace(/-/g, ' ')}${p.reason ? `: ${mdInline(p.reason)}` : ''}`,
      )
  out.force('')
}

function taskItem(p: ReportPhase, t: ReportTask): string {
  const lines = [
    `- ❌ **${mdInline(p.id)} › ${mdInline(t.name)}** (task${t.exitCode !== undefined && t.exitCode !== null ? `, exit ${t.exitCode}` : ''}): ${mdInline(t.message ?? 'failed')}`,
  ]
  if (t.output) lines.push(indent(mdCode(t.output.split('\n').slice(-20).join('\n'))))
  return lines.join('\n')
}

function writeWarnings({ out, options, h }: Section, data: ReportData): void {
  const warned = data.phases.flatMap((p) =>
    p.gates.filter((g) => g.status === 'warned' || g.status === 'waived').map((g) => gateItem(p, g, options.links)),
  )
  if (!warned.length) return
  out.force(`${h(2)} Warnings and waived gates`)
  out.force('')
  out.addAll(warned, (n) => `- … ${plural(n, 'more gate')} not shown`)
  out.force('')
}

/** Annotations GitHub would not show (past its per-step limit), listed instead. */
function writeNotAnnotated({ out, options, h }: Section): void {
  const overflow = options.overflow
  if (!overflow || overflow.annotations.length === 0) return
  const errors = overflow.annotations.filter((a) => a.level === 'error').length
  const warnings = overflow.annotations.length - errors
  out.force(`${h(2)} Not annotated`)
  out.force('')
  out.force(
    `GitHub shows at most ${overflow.limit} annotations of each kind per step: ${[errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : ''].filter(Boolean).join(' and ')} ${overflow.annotations.length === 1 ? 'was' : 'were'} not annotated and ${overflow.annotations.length === 1 ? 'is' : 'are'} listed here.`,
  )
  out.force('')
  out.addAll(
    overflow.annotations.map((a) => {
      const at = a.file ? `${mdLocation(options.links, { file: a.file, line: a.line, col: a.col })} ` : ''
      return `- ${a.level === 'error' ? '❌' : '⚠️'} ${at}**${mdInline(a.title)}**: ${mdInline(a.message.split('\n')[0] ?? '')}`
    }),
    (n) => `- … ${n} more not shown (${shownUpTo(options)})`,
  )
  out.force('')
}

function writeWaivers({ out, h }: Section, data: ReportData): void {
  if (!data.waivers.length) return
  out.force(`${h(2)} Waivers`)
  out.force('')
  out.force('| Phase | Gate | Owner | Until | Days left | Reason |')
  out.force('|---|---|---|---|---:|---|')
  out.addAll(
    data.waivers.map(
      (w) =>
        `| ${mdCell(w.phase)} | ${mdCell(w.gate)} | ${mdCell(w.owner)} | ${mdCell(w.until)} | ${w.expired ? `❌ expired ${-w.daysLeft}d ago` : w.daysLeft} | ${mdCell(w.reason)} |`,
    ),
    (n) => `| … | ${n} more waivers not shown | | | | |`,
  )
  out.force('')
}

function writeApprovals({ out, h }: Section, data: ReportData): void {
  const pending = data.approvals.filter((a) => a.state === 'pending')
  if (!pending.length) return
  out.force(`${h(2)} Waiting for approval`)
  out.force('')
  out.addAll(
    pending.map((a) => `- ⏸️ **${mdInline(a.phase)}**: ${mdCodeSpan(a.command ?? `wf approve ${a.phase}`)}`),
    (n) => `- … ${n} more`,
  )
  out.force('')
}

function writeGraph({ out, options }: Section, data: ReportData): void {
  const graph = `<details><summary>Phase graph (${plural(data.phases.length, 'phase')})</summary>\n\n${mdCode(mermaidGraph(data.phases), 'mermaid')}\n\n</details>\n`
  if (!out.add(graph))
    out.force(
      `_The phase graph was left out to stay under ${formatBytes(options.maxBytes)}; \`wf graph\` prints it._\n`,
    )
}

function writeHistory({ out }: Section, data: ReportData): void {
  if (!data.history.length) return
  const rows = data.history.slice(0, 20).map(
    (r) =>
      `| ${mdCell(r.id)}${r.check ? ' (check)' : ''} | ${STATUS_ICON[r.status] ?? ''} ${r.status} | ${r.startedAt} | ${duration(r.durationMs)} | ${shortSha(r.commit)} | ${mdCell(
        Object.entries(r.counts)
          .map(([s, n]) => `${n} ${s}`)
          .join(', '),
      )} |`,
  )
  const table = [
    `<details><summary>Run history (${plural(data.history.length, 'kept run')})</summary>`,
    '',
    '| Run | Status | Started | Duration | Commit | Phases |',
    '|---|---|---|---:|---|---|',
    ...rows,
    '',
    '</details>',
    '',
  ].join('\n')
  out.add(table)
}

function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return 'its size limit'
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(0)} MiB` : `${Math.round(bytes / 1024)} KiB`
}
