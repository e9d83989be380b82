import { fstatSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { ExecuteRunResult } from '../app/execute-run.js'
import { PlanError, WfError } from '../lib/errors.js'
import { phaseOutputGlobs } from '../fingerprint/fingerprint.js'
import { matchFiles } from '../lib/files.js'
import { type TreeWatch, watchTree } from '../lib/watch-tree.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'
import { formatIssues } from '../report/format-issues.js'
import { createStyle } from '../report/style.js'

export interface WatchRunsOptions {
  stream: NodeJS.WriteStream
  /** Aborted by Ctrl-C: stops the run in progress, then the watch. */
  signal: AbortSignal
  /** Runs the selected phases once; `onPlan` is called with the plan before anything runs. */
  run: (onPlan: (plan: ResolvedPlan) => void) => Promise<ExecuteRunResult>
  debounceMs?: number
}

/**
 * `wf run --watch`: runs once, then again whenever files of the repository change (debounced), one
 * run at a time, until `signal` aborts; changes made during a run start one more run once it ends.
 * Which phases run is the up-to-date check's to decide. Files a run generated, and its declared
 * outputs, are not changes.
 * Returns the last run's result.
 */
export async function watchRuns(options: WatchRunsOptions): Promise<ExecuteRunResult> {
  const { stream, signal } = options
  const say = (line: string) => stream.write(`${line}\n`)
  const pending = new Set<string>()
  // What each file wf generated looked like once written: an event that finds it so is wf's own write.
  const written = new Map<string, string>()
  let root = ''
  let watching: Promise<TreeWatch> | undefined
  let wake: (() => void) | undefined
  const onAbort = () => wake?.()
  signal.addEventListener('abort', onAbort, { once: true })
  const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))

  // Declared outputs are the run's own writes too (a hand edit of one later still counts).
  let outputGlobs: string[] = []
  const noteWritten = async (result: ExecuteRunResult) => {
    for (const record of result.records)
      for (const task of record.tasks ?? [])
        for (const { path } of task.generated ?? []) written.set(path, stamp(join(root, path)))
    if (outputGlobs.length)
      for (const path of await matchFiles(root, outputGlobs)) written.set(path, stamp(join(root, path)))
  }
  // `wf run --watch > log.txt` inside the repository must not run again on every line it prints.
  const ownOutput = new Set([1, 2].map(fileId).filter(Boolean))
  const takeChanges = () => {
    const changes = [...pending]
      .filter((path) => written.get(path) !== stamp(join(root, path)) && !ownOutput.has(fileId(join(root, path))))
      .sort()
    pending.clear()
    return changes
  }

  try {
    let last = await options.run((plan) => {
      root = plan.root
      outputGlobs = plan.phases.flatMap(phaseOutputGlobs)
      watching ??= watchTree({
        root,
        debounceMs: options.debounceMs,
        onChange: (paths) => {
          for (const path of paths) pending.add(path)
          wake?.()
        },
        onError: (error) => process.stderr.write(`warning: watching files: ${error.message}\n`),
      })
    })
    await noteWritten(last)
    while (!signal.aborted && watching) {
      const tree = await watching
      await Promise.race([tree.ready, aborted])
      let changes = takeChanges()
      if (changes.length === 0 && !signal.aborted) {
        say(`watching ${tree.count()} files; Ctrl-C to stop`)
        while (changes.length === 0 && !signal.aborted) {
          await new Promise<void>((resolve) => {
            wake = resolve
          })
          changes = takeChanges()
        }
        wake = undefined
      }
      if (signal.aborted) break
      say(`change: ${listed(changes)} → running`)
      try {
        last = await options.run((plan) => {
          outputGlobs = plan.phases.flatMap(phaseOutputGlobs)
        })
        await noteWritten(last)
      } catch (error) {
        // The plan may be half edited: say what is wrong and wait for the next change.
        if (!(error instanceof WfError)) throw error
        printError(error)
      }
    }
    return last
  } finally {
    signal.removeEventListener('abort', onAbort)
    await (await watching)?.close()
  }
}

/** A file's size and modification time, or `absent`. */
function stamp(path: string): string {
  const stat = statSync(path, { throwIfNoEntry: false })
  return stat ? `${stat.size}:${stat.mtimeMs}` : 'absent'
}

/** The device and inode of a regular file (by path or descriptor), or '' for anything else. */
function fileId(file: string | number): string {
  try {
    const stat = typeof file === 'number' ? fstatSync(file) : statSync(file)
    return stat.isFile() ? `${stat.dev}:${stat.ino}` : ''
  } catch {
    return ''
  }
}

/** The first paths that changed, and how many more. */
function listed(paths: string[]): string {
  const shown = paths.slice(0, 3).join(', ')
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown
}

function printError(error: WfError): void {
  const style = createStyle(process.stderr)
  if (error instanceof PlanError) {
    process.stderr.write(formatIssues(error.issues, style))
    return
  }
  process.stderr.write(`${style.red('error')}: ${error.message} ${style.dim(`[${error.code}]`)}\n`)
  if (error.hint) process.stderr.write(`  ${style.cyan('hint')}: ${error.hint}\n`)
}
