import type { PlanIssue } from '../lib/errors.js'
import { createStyle, type Style } from './style.js'

/** Renders plan issues as `file:line:col: error: …` blocks with the source line and a caret. */
export function formatIssues(issues: PlanIssue[], style: Style = createStyle()): string {
  const blocks = issues.map((issue) => {
    const loc = issue.location
    const where = loc ? [loc.file, loc.line, loc.col].filter((x) => x !== undefined).join(':') : 'plan'
    const lines = [`${style.bold(where)}: ${style.red('error')}: ${issue.message} ${style.dim(`[${issue.code}]`)}`]
    if (issue.excerpt !== undefined && loc?.line !== undefined) {
      const gutter = String(loc.line).length
      const col = loc.col ?? 1
      const width = Math.max(1, (loc.endCol ?? col + 1) - col)
      lines.push(`  ${style.dim(`${loc.line} |`)} ${issue.excerpt.replace(/\t/g, ' ')}`)
      lines.push(`  ${' '.repeat(gutter)} ${style.dim('|')} ${' '.repeat(col - 1)}${style.red('^'.repeat(width))}`)
    }
    if (issue.expected) lines.push(`  ${style.cyan('expected')}: ${issue.expected}`)
    if (issue.hint) lines.push(`  ${style.cyan('hint')}: ${issue.hint}`)
    return lines.join('\n')
  })
  const files = new Set(issues.map((i) => i.location?.file).filter(Boolean)).size
  const summary = `${issues.length} ${issues.length === 1 ? 'error' : 'errors'}${files ? ` in ${files} ${files === 1 ? 'file' : 'files'}` : ''}`
  return `${blocks.join('\n\n')}\n\n${style.red('✖')} ${summary}\n`
}
