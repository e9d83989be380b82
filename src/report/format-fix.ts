import type { Style } from './style.js'

/** What `wf fix` found and did, as the formatter reads it. */
export interface FixResultLike {
  dryRun: boolean
  gates: Array<{
    phase: string
    gate: string
    status: string
    message: string
    hint?: string
    description?: string
    diffs?: Array<{ path: string; diff: string }>
    run?: string
  }>
}

const LABELS: Record<string, string> = {
  fixed: 'fixed',
  failing: 'failing',
  manual: 'manual',
  'no-fix': 'no fix',
  skipped: 'skipped',
  refused: 'refused',
  planned: 'would fix',
}

/**
 * What `wf fix` prints: per failing gate what it did (or, in a dry run, each change as a unified
 * diff and each command it would run), why a gate still fails or cannot be fixed, and a count.
 */
export function formatFix(result: FixResultLike, style: Style): string {
  if (result.gates.length === 0) return `${style.green('nothing to fix')}: every gate checked passes\n`
  const lines: string[] = []
  for (const gate of result.gates) {
    const label = LABELS[gate.status] ?? gate.status
    const color = gate.status === 'fixed' ? style.green : gate.status === 'planned' ? style.cyan : style.red
    const head = `${color(label.padEnd(9))} ${gate.phase} › ${gate.gate}`
    if (gate.status === 'planned' || gate.status === 'fixed') lines.push(`${head}: ${gate.description}`)
    else lines.push(`${head}: ${gate.message}`.replace(/\n/g, '\n    '))
    if (gate.status === 'failing' && gate.description) lines.push(`    tried: ${gate.description}`)
    if (gate.hint && gate.status !== 'fixed' && gate.status !== 'planned')
      lines.push(`    ${style.cyan('hint')}: ${gate.hint}`)
    if (result.dryRun && gate.status === 'planned') {
      for (const { diff } of gate.diffs ?? []) lines.push(...diff.split('\n').map((l) => `    ${l}`))
      if (gate.run) lines.push(`    would run: ${gate.run}`)
    }
  }
  lines.push('', summary(result))
  return `${lines.join('\n')}\n`
}

/** One line: how many gates were (or would be) fixed, still fail, and cannot be fixed. */
function summary(result: FixResultLike): string {
  const count = (...statuses: string[]) => result.gates.filter((g) => statuses.includes(g.status)).length
  const cannot = count('manual', 'no-fix')
  if (result.dryRun)
    return `${count('planned')} of ${result.gates.length} failing gates would be fixed; ${cannot} cannot be fixed by wf (dry run: nothing was written)`
  return `${count('fixed')} fixed, ${count('failing', 'refused', 'skipped')} still failing, ${cannot} cannot be fixed by wf`
}
