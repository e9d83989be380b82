import type { ResolvedPhase } from './resolve-plan.js'

export type GraphFormat = 'mermaid' | 'dot' | 'text'

const mermaidId = (id: string) => `p_${id.replace(/[^A-Za-z0-9_]/g, '_')}`
const quote = (text: string) => text.replace(/"/g, '#quot;')

/** Renders the phase DAG (phases in dependency order) as Mermaid, Graphviz DOT or an indented text tree. */
export function renderGraph(phases: ResolvedPhase[], format: GraphFormat): string {
  if (format === 'mermaid') {
    const lines = ['flowchart TD']
    for (const p of phases)
      lines.push(`  ${mermaidId(p.id)}["${quote(p.id === p.name ? p.id : `${p.id}: ${p.name}`)}"]`)
    for (const p of phases) for (const need of p.needs) lines.push(`  ${mermaidId(need)} --> ${mermaidId(p.id)}`)
    return `${lines.join('\n')}\n`
  }
  if (format === 'dot') {
    const esc = (s: string) => JSON.stringify(s)
    const lines = ['digraph wf {', '  rankdir=LR;', '  node [shape=box];']
    for (const p of phases) lines.push(`  ${esc(p.id)} [label=${esc(p.id === p.name ? p.id : `${p.id}\n${p.name}`)}];`)
    for (const p of phases) for (const need of p.needs) lines.push(`  ${esc(need)} -> ${esc(p.id)};`)
    lines.push('}')
    return `${lines.join('\n')}\n`
  }
  const children = new Map<string, string[]>()
  for (const p of phases) for (const need of p.needs) children.set(need, [...(children.get(need) ?? []), p.id])
  const lines: string[] = []
  const printed = new Set<string>()
  const walk = (id: string, prefix: string, last: boolean, top: boolean) => {
    const again = printed.has(id)
    lines.push(top ? id : `${prefix}${last ? '└─ ' : '├─ '}${id}${again ? ' (see above)' : ''}`)
    if (again) return
    printed.add(id)
    const kids = children.get(id) ?? []
    kids.forEach((kid, i) => {
      walk(kid, top ? '' : prefix + (last ? '   ' : '│  '), i === kids.length - 1, false)
    })
  }
  for (const p of phases.filter((p) => p.needs.length === 0)) walk(p.id, '', true, true)
  return `${lines.join('\n')}\n`
}
