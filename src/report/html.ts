import { formatDuration } from '../lib/units.js'
import { ago, scopeText } from './check-text.js'
import { locationText } from './location.js'
import type { ReportData, ReportGate, ReportPhase, ReportRun, TimelinePhase } from './report-data.js'
import { GATE_RULES } from './sarif.js'

/** Escapes text for HTML content and attribute values. */
export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

const e = htmlEscape
const duration = (ms: number | undefined) => (ms === undefined ? '–' : formatDuration(ms))
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`
const label = (status: string) => status.replace(/-/g, ' ')

/** Status → colour family used by badges, graph nodes and timeline bars. */
function tone(status: string): 'ok' | 'bad' | 'blocked' | 'warn' | 'idle' | 'info' {
  if (status === 'passed' || status === 'up-to-date' || status === 'approved') return 'ok'
  if (status === 'failed' || status === 'expired') return 'bad'
  if (status === 'blocked') return 'blocked'
  if (
    status === 'warned' ||
    status === 'waived' ||
    status === 'awaiting-approval' ||
    status === 'interrupted' ||
    status === 'cancelled' ||
    status === 'pending' ||
    status === 'incomplete'
  )
    return 'warn'
  if (status === 'running') return 'info'
  return 'idle'
}

const badge = (status: string, text = label(status)) => `<span class="badge ${tone(status)}">${e(text)}</span>`

const CSS = `
:root{--bg:#f6f8fa;--card:#fff;--text:#1f2328;--muted:#59636e;--line:#d1d9e0;--ok:#1a7f37;--ok-bg:#dafbe1;--bad:#cf222e;--bad-bg:#ffebe9;--blocked:#bc4c00;--blocked-bg:#fff1e5;--warn:#9a6700;--warn-bg:#fff8c5;--idle:#59636e;--idle-bg:#eff2f5;--info:#0969da;--info-bg:#ddf4ff;--accent:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#151b23;--text:#e6edf3;--muted:#9198a1;--line:#3d444d;--ok:#3fb950;--ok-bg:#12261e;--bad:#f85149;--bad-bg:#2d1214;--blocked:#db6d28;--blocked-bg:#2b1a0e;--warn:#d29922;--warn-bg:#2e2410;--idle:#9198a1;--idle-bg:#212830;--info:#4493f8;--info-bg:#121d2f;--accent:#4493f8}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif}
main{max-width:1200px;margin:0 auto;padding:24px}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:12px 20px;margin-bottom:20px}
header.top h1{font-size:22px;margin:0;font-weight:600}
.meta{color:var(--muted);display:flex;flex-wrap:wrap;gap:4px 16px}
.meta code{font-size:12px}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}
section h2{font-size:16px;margin:0 0 12px;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px}
.card .n{font-size:24px;font-weight:600}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .d{color:var(--muted);font-size:12px}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr:last-child td{border-bottom:none}
table.results{table-layout:fixed;margin-top:8px}
table.results th:nth-child(1){width:130px}
table.results th:nth-child(2){width:30%}
table.results th:nth-child(4){width:80px}
table.results td{overflow-wrap:anywhere}
.badge{display:inline-block;padding:0 8px;border-radius:999px;font-size:12px;font-weight:600;line-height:20px;white-space:nowrap;border:1px solid transparent}
.badge.ok{color:var(--ok);background:var(--ok-bg);border-color:var(--ok)}
.badge.bad{color:var(--bad);background:var(--bad-bg);border-color:var(--bad)}
.badge.warn{color:var(--warn);background:var(--warn-bg);border-color:var(--warn)}
.badge.blocked{color:var(--blocked);background:var(--blocked-bg);border-color:var(--blocked)}
.badge.idle{color:var(--idle);background:var(--idle-bg);border-color:var(--line)}
.badge.info{color:var(--info);background:var(--info-bg);border-color:var(--info)}
.badge.big{font-size:14px;line-height:26px;padding:0 12px}
code,pre{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,monospace;font-size:12px}
pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:8px 10px;overflow:auto;max-height:320px;white-space:pre-wrap;word-break:break-word;margin:6px 0 0}
.muted{color:var(--muted)}
.msg{white-space:pre-wrap;word-break:break-word}
ul.locs{margin:4px 0 0;padding-left:18px}
ul.locs li{word-break:break-all}
.hint{margin-top:4px}
.hint b{color:var(--accent)}
details.phase{border:1px solid var(--line);border-radius:6px;margin:8px 0}
details.phase>summary{cursor:pointer;padding:8px 12px;display:flex;gap:10px;align-items:center;list-style:none}
details.phase>summary::-webkit-details-marker{display:none}
details.phase>summary::before{content:"▸";color:var(--muted)}
details.phase[open]>summary::before{content:"▾"}
details.phase>div{padding:0 12px 12px}
details.phase h3{font-size:13px;margin:12px 0 4px;font-weight:600}
.graph{overflow:auto}
.graph svg{display:block}
.graph .node rect{stroke-width:1.5}
.graph .node.ok rect{fill:var(--ok-bg);stroke:var(--ok)}
.graph .node.bad rect{fill:var(--bad-bg);stroke:var(--bad)}
.graph .node.warn rect{fill:var(--warn-bg);stroke:var(--warn)}
.graph .node.blocked rect{fill:var(--blocked-bg);stroke:var(--blocked);stroke-dasharray:4 3}
.graph .node.idle rect{fill:var(--idle-bg);stroke:var(--idle)}
.graph .node.info rect{fill:var(--info-bg);stroke:var(--info)}
.graph .node text{fill:var(--text);font-size:12px}
.graph .node text.s{fill:var(--muted);font-size:11px}
.graph path{fill:none;stroke:var(--muted);stroke-width:1.2}
.graph marker path{fill:var(--muted);stroke:none}
.tl{display:grid;grid-template-columns:minmax(140px,220px) 1fr 70px;gap:2px 12px;align-items:center}
.tl .name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.tl .name.task{padding-left:16px;color:var(--muted);font-size:12px}
.tl .lane{position:relative;height:18px;background:var(--bg);border-radius:3px}
.tl .lane.task{height:10px}
.tl .bar{position:absolute;top:0;bottom:0;border-radius:3px;min-width:2px}
.tl .bar.ok{background:var(--ok)}.tl .bar.bad{background:var(--bad)}.tl .bar.warn{background:var(--warn)}.tl .bar.blocked{background:var(--blocked)}.tl .bar.idle{background:var(--idle)}.tl .bar.info{background:var(--info)}
.tl .dur{text-align:right;font-variant-numeric:tabular-nums;color:var(--muted);font-size:12px}
.axis{display:flex;justify-content:space-between;color:var(--muted);font-size:11px;margin:4px 0 8px}
footer{color:var(--muted);font-size:12px;text-align:center;margin:24px 0}
@media print{body{background:#fff}section,.card{break-inside:avoid;border-color:#ccc}details.phase{break-inside:avoid}details.phase>div{display:block}}
`

/** The phase DAG as an inline SVG: phases in columns by depth, arrows from what a phase needs. */
function graphSvg(phases: ReportPhase[]): string {
  const depth = new Map<string, number>()
  for (const p of phases) depth.set(p.id, Math.max(0, ...p.needs.map((n) => (depth.get(n) ?? 0) + 1)))
  const columns: ReportPhase[][] = []
  for (const p of phases) {
    const d = depth.get(p.id)!
    const column = columns[d] ?? []
    columns[d] = column
    column.push(p)
  }
  const W = 190,
    H = 46,
    GX = 70,
    GY = 16,
    PAD = 12
  const pos = new Map<string, { x: number; y: number }>()
  columns.forEach((col, c) => {
    col.forEach((p, r) => {
      pos.set(p.id, { x: PAD + c * (W + GX), y: PAD + r * (H + GY) })
    })
  })
  const width = PAD * 2 + columns.length * W + Math.max(0, columns.length - 1) * GX
  const height = PAD * 2 + Math.max(1, ...columns.map((c) => c.length)) * (H + GY) - GY
  const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text)
  const edges = phases.flatMap((p) =>
    p.needs
      .filter((n) => pos.has(n))
      .map((n) => {
        const a = pos.get(n)!,
          b = pos.get(p.id)!
        const x1 = a.x + W,
          y1 = a.y + H / 2,
          x2 = b.x - 4,
          y2 = b.y + H / 2,
          mx = (x1 + x2) / 2
        return `<path d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}" marker-end="url(#arrow)"/>`
      }),
  )
  const nodes = phases.map((p) => {
    const { x, y } = pos.get(p.id)!
    return `<g class="node ${tone(p.status)}"><title>${e(`${p.id}${p.name !== p.id ? ` — ${p.name}` : ''}: ${label(p.status)}`)}</title><rect x="${x}" y="${y}" width="${W}" height="${H}" rx="6"/><text x="${x + 10}" y="${y + 19}">${e(clip(p.id, 26))}</text><text class="s" x="${x + 10}" y="${y + 36}">${e(clip(`${label(p.status)}${p.durationMs !== undefined ? ` · ${duration(p.durationMs)}` : ''}`, 30))}</text></g>`
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Phase dependency graph"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>${edges.join('')}${nodes.join('')}</svg>`
}

function timelineHtml(run: ReportRun): string {
  const phases: TimelinePhase[] = (run.timeline ?? []).filter((p) => p.startedAt)
  if (!phases.length)
    return '<p class="muted">The last run did no timed work (every phase was up to date, skipped or blocked).</p>'
  const t = (iso: string | undefined) => (iso ? Date.parse(iso) : Number.NaN)
  const start = Math.min(t(run.startedAt), ...phases.map((p) => t(p.startedAt)))
  const ends = phases.map((p) => t(p.endedAt)).filter(Number.isFinite)
  const end = Math.max(t(run.endedAt) || 0, ...ends, start + 1)
  const span = end - start
  const pct = (ms: number) => `${Math.max(0, Math.min(100, (ms / span) * 100)).toFixed(3)}%`
  const bar = (status: string, from?: string, to?: string, title = '') => {
    const a = t(from),
      b = Number.isFinite(t(to)) ? t(to) : a
    return `<div class="bar ${tone(status)}" style="left:${pct(a - start)};width:${pct(Math.max(b - a, 0))}" title="${e(title)}"></div>`
  }
  const rows = phases.map((p) => {
    const head = `<div class="name" title="${e(p.id)}">${e(p.id)} ${badge(p.status)}</div><div class="lane">${bar(p.status, p.startedAt, p.endedAt, `${p.id}: ${label(p.status)}, ${p.startedAt} → ${p.endedAt ?? '…'}`)}</div><div class="dur">${duration(p.durationMs)}</div>`
    const tasks = p.tasks
      .filter((task) => task.startedAt)
      .map(
        (task) =>
          `<div class="name task" title="${e(task.name)}">${e(task.name)}</div><div class="lane task">${bar(task.status, task.startedAt, task.endedAt, `${task.name}: ${task.status}, ${task.startedAt} → ${task.endedAt ?? '…'}`)}</div><div class="dur">${duration(task.durationMs)}</div>`,
      )
    return head + tasks.join('')
  })
  return `<div class="axis"><span>${e(new Date(start).toISOString().replace('T', ' ').slice(0, 19))} UTC</span><span>+${e(formatDuration(span))}</span></div><div class="tl">${rows.join('')}</div>`
}

function gateRow(gate: ReportGate): string {
  const locs = gate.locations.length
    ? `<ul class="locs">${gate.locations
        .slice(0, 200)
        .map(
          (l) =>
            `<li><code>${e(locationText(l))}</code>${l.message ? ` <span class="muted">${e(l.message)}</span>` : ''}</li>`,
        )
        .join(
          '',
        )}${gate.locations.length > 200 ? `<li class="muted">… and ${gate.locations.length - 200} more</li>` : ''}</ul>`
    : ''
  const waiver = gate.waiver
    ? `<div class="hint"><b>waived</b> until ${e(gate.waiver.until)} by ${e(gate.waiver.owner)}: ${e(gate.waiver.reason)}${gate.waiver.expired ? ' <span class="badge bad">expired</span>' : ''}</div>`
    : ''
  const hint = gate.hint ? `<div class="hint"><b>hint</b> ${e(gate.hint)}</div>` : ''
  const kind = GATE_RULES[gate.kind]?.short
  return `<tr><td>${badge(gate.status)}</td><td><strong>${e(gate.name)}</strong><br><span class="muted" title="${e(kind ?? '')}">${e(gate.kind)}</span></td><td><div class="msg">${e(gate.message)}</div>${locs}${hint}${waiver}</td><td class="num">${duration(gate.durationMs)}</td></tr>`
}

/** A phase's last check, beside its result: a badge in the summary line and the check's gates in the body. */
function checkHtml(p: ReportPhase, now: number): { line: string; body: string } {
  const check = p.check
  if (!check) return { line: '', body: '' }
  const when = check.endedAt ? ` ${ago(check.endedAt, now)}` : ''
  const line = `<span class="muted">last check</span> ${badge(check.status)} <span class="muted">(${e(scopeText(check.scope))})${e(when)}</span>`
  const gates = check.gates.length
    ? `<table class="results"><thead><tr><th>Status</th><th>Gate</th><th>Result</th><th class="num">Time</th></tr></thead><tbody>${check.gates.map(gateRow).join('')}</tbody></table>`
    : '<p class="muted">No gate applied to what the check looked at.</p>'
  const body = `<h3>Last check</h3><p class="muted">run <code>${e(check.runId)}</code>${check.endedAt ? ` · ended ${e(check.endedAt)}` : ''} · gates only, ${e(scopeText(check.scope))}${check.scope?.files?.length ? `: ${check.scope.files.map((f) => `<code>${e(f)}</code>`).join(', ')}` : ''}. A check does not change the phase's result.</p>${gates}`
  return { line, body }
}

function phaseDetails(p: ReportPhase, now: number): string {
  const bad = p.status === 'failed' || p.status === 'blocked' || p.gates.some((g) => g.status === 'failed')
  const tasks = p.tasks.length
    ? `<table class="results"><thead><tr><th>Status</th><th>Task</th><th>Result</th><th class="num">Time</th></tr></thead><tbody>${p.tasks.map((t) => `<tr><td>${badge(t.allowedFailure ? 'warned' : t.status)}</td><td><strong>${e(t.name)}</strong><br><span class="muted">${e(t.kind)}</span></td><td><div class="msg">${e(t.message ?? '')}${t.exitCode !== undefined && t.exitCode !== null ? ` <span class="muted">(exit ${t.exitCode}${t.attempts && t.attempts > 1 ? `, ${t.attempts} attempts` : ''})</span>` : ''}</div>${t.output && t.status === 'failed' ? `<pre>${e(t.output)}</pre>` : ''}</td><td class="num">${duration(t.durationMs)}</td></tr>`).join('')}</tbody></table>`
    : ''
  const gates = p.gates.length
    ? `<table class="results"><thead><tr><th>Status</th><th>Gate</th><th>Result</th><th class="num">Time</th></tr></thead><tbody>${p.gates.map(gateRow).join('')}</tbody></table>`
    : ''
  const facts = [
    p.source ? `defined at <code>${e(`${p.source.file}${p.source.line ? `:${p.source.line}` : ''}`)}</code>` : '',
    p.needs.length ? `needs ${p.needs.map((n) => `<code>${e(n)}</code>`).join(', ')}` : '',
    p.runId ? `run <code>${e(p.runId)}</code>` : '',
    p.resultsFrom && p.resultsFrom !== p.runId ? `results from run <code>${e(p.resultsFrom)}</code>` : '',
    p.commit ? `commit <code>${e(p.commit.slice(0, 12))}</code>` : '',
    p.endedAt ? `ended ${e(p.endedAt)}` : '',
  ]
    .filter(Boolean)
    .join(' · ')
  const check = checkHtml(p, now)
  return `<details class="phase" id="phase-${e(p.id)}"${bad ? ' open' : ''}><summary>${badge(p.status)} <strong>${e(p.id)}</strong>${p.name !== p.id ? ` <span class="muted">${e(p.name)}</span>` : ''}<span class="muted" style="margin-left:auto">${duration(p.durationMs)}</span>${check.line}</summary><div><p class="muted">${facts}${p.reason ? `<br>${e(p.reason)}` : ''}</p>${p.description ? `<p>${e(p.description)}</p>` : ''}${tasks}${gates}${!tasks && !gates ? '<p class="muted">No tasks or gates recorded.</p>' : ''}${check.body}</div></details>`
}

/** One self-contained HTML page (inline CSS and SVG, no scripts, no network) for people: graph, timeline, gates, waivers, history. */
export function renderHtml(data: ReportData): string {
  const title = `wf report — ${data.repository.name}`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="wf ${e(data.wf)}">
<title>${e(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header class="top">
<h1>${e(title)}</h1>
${badge(data.status, data.status)}
<div class="meta">
${data.repository.branch ? `<span>branch <code>${e(data.repository.branch)}</code></span>` : ''}
${data.repository.commit ? `<span>commit <code>${e(data.repository.commit.slice(0, 12))}</code></span>` : ''}
<span>${data.scope.run ? `run <code>${e(data.scope.run)}</code>` : 'latest result of each phase'}</span>
<span>generated ${e(data.generatedAt.replace('T', ' ').slice(0, 19))} UTC</span>
</div>
</header>

${cardsHtml(data)}

<section id="graph">
<h2>Phase graph</h2>
<div class="graph">${graphSvg(data.phases)}</div>
</section>

<section id="timeline">
<h2>Timeline of the last run${data.run ? ` <span class="muted">${e(data.run.id)} · <code>${e(data.run.command)}</code></span>` : ''}</h2>
${data.run ? timelineHtml(data.run) : '<p class="muted">No run is recorded.</p>'}
</section>

<section id="phases">
<h2>Phases, tasks and gates</h2>
${data.phases.map((p) => phaseDetails(p, Date.parse(data.generatedAt))).join('\n')}
</section>

${waiversHtml(data)}
${approvalsHtml(data)}
${historyHtml(data)}

<footer>Generated by wf ${e(data.wf)} from the ledger in <code>.wf/</code>. <code>wf ledger verify</code> checks that the recorded history was not edited.</footer>
</main>
</body>
</html>
`
}

const countText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([s, n]) => `${n} ${e(label(s))}`)
    .join(' · ') || '–'

const card = (k: string, n: string | number, d = '') =>
  `<div class="card"><div class="k">${e(k)}</div><div class="n">${e(String(n))}</div><div class="d">${d}</div></div>`

/** The summary cards: phases, gates, failing gates, waivers and the last run. */
function cardsHtml(data: ReportData): string {
  const gateTotal = Object.values(data.totals.gates).reduce((a, b) => a + b, 0)
  const failingGates = data.phases.reduce((n, p) => n + p.gates.filter((g) => g.status === 'failed').length, 0)
  const expired = data.waivers.filter((w) => w.expired).length
  return `<div class="cards">
${card('Phases', data.phases.length, countText(data.totals.phases))}
${card('Gates', gateTotal, countText(data.totals.gates))}
${card('Failing gates', failingGates, failingGates ? 'see below' : 'none')}
${card('Waivers', data.waivers.length, expired ? `${expired} expired` : data.waivers.length ? 'all within their dates' : 'none')}
${data.run ? card('Last run', duration(data.run.durationMs), `${e(data.run.id)} · ${e(label(data.run.status))}`) : ''}
</div>`
}

function waiversHtml(data: ReportData): string {
  const rows = data.waivers
    .map((w) => {
      const state = w.expired ? 'expired' : w.daysLeft <= 14 ? 'warned' : 'passed'
      return `<tr><td><code>${e(w.phase)}</code></td><td>${e(w.gate)}</td><td>${e(w.owner)}</td><td>${e(w.until)}</td><td class="num">${w.expired ? `${badge('expired', `expired ${-w.daysLeft}d ago`)}` : badge(state, `${w.daysLeft} days`)}</td><td>${w.gateStatus ? badge(w.gateStatus) : '<span class="muted">–</span>'}</td><td class="msg">${e(w.reason)}</td></tr>`
    })
    .join('')
  return `<section id="waivers">
<h2>Waivers</h2>
${data.waivers.length ? `<table><thead><tr><th>Phase</th><th>Gate</th><th>Owner</th><th>Until</th><th class="num">Left</th><th>Gate result</th><th>Reason</th></tr></thead><tbody>${rows}</tbody></table>` : '<p class="muted">No gate is waived.</p>'}
</section>`
}

function approvalsHtml(data: ReportData): string {
  const rows = data.approvals
    .map(
      (a) =>
        `<tr><td><code>${e(a.phase)}</code></td><td>${badge(a.state === 'approved' ? 'approved' : 'pending', a.state)}</td><td>${e(a.by ?? '–')}</td><td>${e(a.at ?? '–')}</td><td class="msg">${a.state === 'pending' ? `<code>${e(a.command ?? `wf approve ${a.phase}`)}</code>` : e(a.note ?? '')}</td></tr>`,
    )
    .join('')
  return rows
    ? `\n<section id="approvals">\n<h2>Approvals</h2>\n<table><thead><tr><th>Phase</th><th>State</th><th>By</th><th>At</th><th>Note</th></tr></thead><tbody>${rows}</tbody></table>\n</section>\n`
    : ''
}

function historyHtml(data: ReportData): string {
  const rows = data.history
    .map(
      (r) =>
        `<tr><td><code>${e(r.id)}</code></td><td>${badge(r.status)}</td><td>${e(r.startedAt.replace('T', ' ').slice(0, 19))}</td><td class="num">${duration(r.durationMs)}</td><td><code>${e(r.commit ? r.commit.slice(0, 8) : '–')}</code>${r.dirty ? ' <span class="muted">(dirty)</span>' : ''}</td><td>${e(r.branch ?? '–')}</td><td><code>${e(r.command)}</code></td><td class="muted">${countText(r.counts)}</td><td>${r.sealed ? '✔' : '<span class="muted">–</span>'}</td></tr>`,
    )
    .join('')
  return `<section id="history">
<h2>Run history <span class="muted">(${plural(data.history.length, 'kept run')}, newest first)</span></h2>
${data.history.length ? `<table><thead><tr><th>Run</th><th>Status</th><th>Started (UTC)</th><th class="num">Duration</th><th>Commit</th><th>Branch</th><th>Command</th><th>Phases</th><th title="hash-chained record">Sealed</th></tr></thead><tbody>${rows}</tbody></table>` : '<p class="muted">No run records are kept.</p>'}
</section>`
}
