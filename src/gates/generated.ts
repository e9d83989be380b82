import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { phaseEnv } from '../lib/phase-env.js'
import { mapLimit, READ_AHEAD, sha256 } from '../lib/files.js'
import { firstDifferentLine } from '../generate/outputs.js'
import { hasConflictMarkers } from '../generate/merge-text.js'
import type { ResultLocation } from '../ledger/ledger.js'
import { taskKind } from '../plan/kinds.js'
import type { GeneratedGate } from '../plan/plan.generated.js'
import type { ResolvedPhase } from '../plan/resolve-plan.js'
import { TASK_HANDLERS } from '../tasks/index.js'
import type { TaskKind } from '../tasks/task-kind.js'
import type { GateKind } from './gate-kind.js'

/**
 * `generated:` — every file the template and contracts tasks would write is on disk and holds
 * exactly what wf would write now: not missing, not edited by hand (drifted), not out of date (stale).
 * A file of a task with `overwrite: never` only has to exist.
 */
export const generatedGate: GateKind<GeneratedGate> = {
  describe: (gate) => {
    const scope = gate.generated === true ? undefined : gate.generated
    const parts = [
      scope?.phases ? `of ${scope.phases.join(', ')}` : undefined,
      scope?.files ? `matching ${[scope.files].flat().join(', ')}` : undefined,
    ].filter(Boolean)
    return `generated files are current${parts.length ? ` (${parts.join(', ')})` : ''}`
  },
  async check(gate, context) {
    const scope = gate.generated === true ? {} : gate.generated
    const phases: ResolvedPhase[] = scope.phases
      ? scope.phases
          .map((id) => context.plan?.phases.find((p) => p.id === id))
          .filter((p): p is ResolvedPhase => p !== undefined)
      : [context.phase]
    let matches = (_path: string) => true
    if (scope.files) {
      const picomatch = (await import('picomatch')).default
      matches = picomatch([scope.files].flat(), { dot: true })
    }
    const problems: ResultLocation[] = []
    const counts = { missing: 0, drifted: 0, stale: 0 }
    let checked = 0
    for (const phase of phases) {
      const env = phase === context.phase ? context.env : await phaseEnv(context.workspace, process.env, phase)
      for (const task of phase.tasks) {
        const kind = TASK_HANDLERS[taskKind(task)] as TaskKind | undefined
        if (!kind?.outputs) continue
        const files = (await kind.outputs(task, { ...context, phase, env })).filter((file) => matches(file.path))
        const currents = await mapLimit(files, READ_AHEAD, (file) =>
          readFile(resolve(context.root, file.path), 'utf8').catch(() => undefined),
        )
        for (const [i, file] of files.entries()) {
          checked++
          const current = currents[i]
          const run = `wf run-phase ${phase.id}`
          if (current === undefined) {
            counts.missing++
            problems.push({
              file: file.path,
              message: `missing: ${file.path} is generated from ${file.source}; run \`${run}\` and commit it`,
            })
            continue
          }
          if (current === file.content) continue
          // `overwrite: never` only creates the file; what it holds since is the repository's own.
          if ((task as { overwrite?: string }).overwrite === 'never') continue
          const line = firstDifferentLine(current, file.content)
          const recorded = context.generated?.[file.path]
          // A merge wf wrote of a hand edit with what the template renders now is current.
          if (
            recorded?.base === sha256(file.content) &&
            recorded.hash === sha256(current) &&
            !hasConflictMarkers(current)
          )
            continue
          if (recorded && recorded.hash !== sha256(current)) {
            counts.drifted++
            problems.push({
              file: file.path,
              line,
              message: `drifted: ${file.path} was edited by hand since wf wrote it (first difference at line ${line}); move the change into ${file.source} or its variables, or run \`${run} --overwrite\` (it saves your edit in .wf/backup/ first)`,
            })
          } else {
            counts.stale++
            problems.push({
              file: file.path,
              line,
              message: `stale: ${file.path} differs from what ${file.source} generates now (first difference at line ${line}); run \`${run}\` and commit the result`,
            })
          }
        }
      }
    }
    if (problems.length === 0)
      return {
        status: 'passed',
        message:
          checked === 0
            ? 'no generated files to check'
            : `${checked} generated ${checked === 1 ? 'file is' : 'files are'} current`,
      }
    const summary = Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([what, n]) => `${n} ${what}`)
      .join(', ')
    return { status: 'failed', message: `${summary}: ${problems.map((p) => p.file).join(', ')}`, locations: problems }
  },
}
