import { driftAdvice, WOULD } from '../generate/outputs.js'
import type { GeneratedOutput } from '../tasks/task-kind.js'

type Action = GeneratedOutput['action']

/** One generated file as a command reports it. */
export interface GeneratedFileLine {
  path: string
  action: Action
  note?: string
  diff?: string
}

const DONE: Record<Action, string> = {
  created: '✔ created',
  updated: '✔ updated',
  unchanged: '✔ current:',
  drifted: '✖ not overwritten',
  kept: '✔ kept',
  overwritten: '✔ overwritten',
  merged: '✔ merged',
  conflicted: '✖ conflicted',
}

/** What `wf generate template` prints for its file: what it did (or would do), a note, and the diff. */
export function formatGeneratedFile(file: GeneratedFileLine, dryRun: boolean): string {
  const line = `${dryRun ? WOULD[file.action] : DONE[file.action]} ${file.path}${file.note ? ` (${file.note})` : ''}`
  return file.diff ? `${line}\n${file.diff}` : line
}

/** What `wf contracts generate` prints: per target, how many files changed, each changed file and its diff. */
export function formatGeneratedTargets(result: {
  targets: { target: { contracts: string; out: string }; files: GeneratedFileLine[] }[]
  dryRun: boolean
}): string {
  const lines: string[] = []
  for (const { target, files } of result.targets) {
    const changed = files.filter((f) => f.action !== 'unchanged')
    const summary =
      changed.length === 0 ? 'all current' : `${changed.length} ${result.dryRun ? 'would change' : 'changed'}`
    lines.push(`${target.contracts} → ${target.out}: ${files.length} files, ${summary}`)
    for (const file of changed) {
      const verb = result.dryRun && file.action !== 'drifted' ? WOULD[file.action] : file.action
      lines.push(`  ${verb.padEnd(12)} ${file.path}${file.note ? ` (${file.note})` : ''}`)
      if (file.diff) lines.push(...file.diff.split('\n').map((line) => `    ${line}`))
    }
  }
  return lines.join('\n')
}

/** The message for generated files that were edited by hand and so left alone. */
export function formatDrifted(paths: string[]): string {
  const were = paths.length === 1 ? 'was' : 'were'
  return `✖ ${paths.join(', ')} ${were} edited by hand and not overwritten; ${driftAdvice('contracts')}`
}
