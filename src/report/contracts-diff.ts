import { annotation, logText } from './github-commands.js'
import { impactLabel, type ContractChange } from '../contracts/diff/kinds.js'
import { isBreaking, type ContractsDiff } from '../contracts/diff/diff-contracts.js'

const where = (c: ContractChange) => `${c.file}${c.line ? `:${c.line}:${c.col ?? 1}` : ''}`

/** The diff as text lines: breaking changes first, then allowed, then compatible (none can start a workflow command). */
export function renderDiffText(diff: ContractsDiff): string {
  const lines: string[] = []
  const order = (c: ContractChange) => (isBreaking(c) ? 0 : c.breaks.length > 0 ? 1 : 2)
  for (const c of [...diff.changes].sort((x, y) => order(x) - order(y))) {
    const mark = c.breaks.length === 0 ? '✔' : isBreaking(c) ? '✖' : '!'
    const note = c.notCounted ? ' (not counted)' : c.allowed ? ' (allowed)' : ''
    lines.push(`${mark} ${impactLabel(c.breaks)}${note}: ${c.kind} at ${where(c)} ${c.pointer || '/'}`)
    lines.push(`    ${c.why}`)
    if (c.notCounted) lines.push(`    ${c.notCounted}`)
    else if (c.allowed) lines.push(`    allowed by ${c.allowed.by}: ${c.allowed.reason}`)
  }
  const total = diff.changes.length
  lines.push(
    total === 0
      ? `no changes to ${diff.schemas.join(', ')} since ${diff.against}`
      : `${total} ${total === 1 ? 'change' : 'changes'} since ${diff.against}: ${diff.breaking} breaking, ${diff.allowed} allowed, ${diff.notCounted ? `${diff.notCounted} not counted, ` : ''}${diff.compatible} compatible`,
  )
  return `${logText(lines.join('\n'))}\n`
}

/** GitHub Actions annotations: an error per breaking change, a notice per allowed one. */
export function renderDiffGithub(diff: ContractsDiff): string {
  const lines: string[] = []
  for (const c of diff.changes) {
    if (c.breaks.length === 0) continue
    const message = `${c.kind} at ${c.pointer || '/'}: ${c.why}${c.notCounted ? ` (not counted: ${c.notCounted})` : c.allowed ? ` (allowed: ${c.allowed.reason})` : ''}`
    lines.push(
      annotation(isBreaking(c) ? 'error' : 'notice', message, {
        title: `contract change ${impactLabel(c.breaks)}`,
        file: c.file,
        line: c.line,
        col: c.col,
      }),
    )
  }
  lines.push(
    logText(
      `${diff.changes.length} contract changes since ${diff.against}: ${diff.breaking} breaking, ${diff.allowed} allowed, ${diff.notCounted ? `${diff.notCounted} not counted, ` : ''}${diff.compatible} compatible`,
    ),
  )
  return `${lines.join('\n')}\n`
}
