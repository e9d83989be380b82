import type { ImportRepolinterResult } from '../app/import-repolinter.js'

/** The lines `wf import repolinter` prints: each rule with its gates or why it has none, its notes, then the totals. */
export function importReportLines(result: ImportRepolinterResult): string[] {
  const lines: string[] = []
  const width = Math.max(0, ...result.rules.map((r) => r.name.length))
  for (const rule of result.rules) {
    const name = rule.name.padEnd(width)
    if (rule.status === 'translated') lines.push(`✔ ${name}  ${rule.type} → ${rule.gates!.join(', ')} in ${rule.phase}`)
    else if (rule.status === 'off') lines.push(`- ${name}  off: skipped`)
    else lines.push(`✖ ${name}  ${rule.type}: not translated: ${rule.reason}`)
    for (const note of rule.notes) lines.push(`    note: ${note}`)
  }
  for (const note of result.notes) lines.push(`note: ${note}`)
  const count = (status: string) => result.rules.filter((r) => r.status === status).length
  const wrote = result.written.length ? `; wrote ${result.written.join(', ')}` : ''
  lines.push(`${count('translated')} translated, ${count('untranslated')} not translated, ${count('off')} off${wrote}`)
  return lines
}
