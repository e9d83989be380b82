import { executeRun, type ExecuteRunOptions, type ExecuteRunResult } from '../app/execute-run.js'
import { formatAffected } from '../report/format-affected.js'
import type { EventHandler } from '../engine/events.js'
import { createAnnotator, type Annotator } from '../report/github-commands.js'
import { createRunReporter, type ReporterKind } from '../report/run-reporter.js'
import { createStyle } from '../report/style.js'
import { EXIT, WfError } from '../lib/errors.js'
import { endByHangup, STOP_SIGNALS } from '../lib/stop-signals.js'

/** auto: GitHub Actions commands under GITHUB_ACTIONS=true, a live list on a terminal, plain lines otherwise. */
async function pickReporter(
  choice: CliRunOptions['reporter'],
  stream: NodeJS.WriteStream,
  annotator?: Annotator,
): Promise<{ reporter: EventHandler; flush: () => void; close: () => void }> {
  const style = createStyle(stream)
  if (
    choice === 'live' ||
    (choice === 'auto' &&
      process.env.GITHUB_ACTIONS !== 'true' &&
      stream.isTTY &&
      process.env.TERM !== 'dumb' &&
      !process.env.CI)
  ) {
    const { createLiveReporter } = await import('../report/live-reporter.js')
    return { reporter: createLiveReporter(stream, style), flush: () => {}, close: () => {} }
  }
  const kind: ReporterKind = choice === 'auto' ? (process.env.GITHUB_ACTIONS === 'true' ? 'github' : 'plain') : choice
  const output = batched(stream)
  return { reporter: createRunReporter(kind, output.write, style, annotator), ...output }
}

/**
 * Lines written in one turn of the event loop go out in one write (a phase of quick tasks prints
 * thousands); they are flushed before the loop waits for anything, and at exit.
 */
function batched(stream: NodeJS.WriteStream): { write: (text: string) => void; flush: () => void; close: () => void } {
  let pending = ''
  const flush = () => {
    if (pending) stream.write(pending)
    pending = ''
  }
  process.on('exit', flush)
  const write = (text: string) => {
    if (!pending) setImmediate(flush)
    pending += text
    if (pending.length > 65536) flush()
  }
  const close = () => {
    flush()
    process.off('exit', flush)
  }
  return { write, flush, close }
}

export interface CliRunOptions extends Omit<ExecuteRunOptions, 'signal' | 'onEvent' | 'lockTimeoutMs'> {
  json: boolean
  reporter: 'auto' | 'live' | ReporterKind
  lockTimeoutSeconds: number
  /** `--watch`: after the run, run again whenever files change, until interrupted. */
  watch?: boolean
}

/**
 * Runs phases for `wf run` / `wf run-phase` (with `watch`, again on every change until interrupted):
 * picks a reporter, turns SIGINT/SIGTERM/SIGHUP into a clean cancellation (a second signal exits at
 * once), and sets the exit code (1 failed, 130 cancelled; after SIGHUP wf ends by SIGHUP, status 129).
 */
export async function cliRun(options: CliRunOptions) {
  if (options.watch && (options.json || options.dryRun))
    throw new WfError('WF_USAGE', `--watch cannot be combined with ${options.json ? '--json' : '--dry-run'}`, {
      hint: 'leave one of them out',
    })
  const stream = options.json ? process.stderr : process.stdout
  const annotator = createAnnotator()
  const controller = new AbortController()
  let flush = () => {}
  const stopListening = abortOnSignals(controller, () => flush())
  const runOnce = async (onPlan?: ExecuteRunOptions['onPlan']) => {
    const picked = await pickReporter(options.reporter, stream, annotator)
    flush = picked.flush
    const result = await executeRun({
      ...options,
      lockTimeoutMs: options.lockTimeoutSeconds * 1000,
      signal: controller.signal,
      onEvent: picked.reporter,
      onPlan,
      onAffected: (affected) => stream.write(formatAffected(affected)),
    }).finally(picked.close)
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`)
    return result
  }
  try {
    const result = options.watch
      ? await (await import('./cli-watch.js')).watchRuns({ stream, signal: controller.signal, run: runOnce })
      : await runOnce()
    process.exitCode =
      result.status === 'cancelled' || controller.signal.aborted
        ? EXIT.INTERRUPTED
        : result.status === 'failed'
          ? EXIT.FAILED
          : EXIT.PASSED
    // Under GitHub Actions: the job summary and step outputs.
    if (
      result.runId &&
      (process.env.GITHUB_ACTIONS === 'true' || options.reporter === 'github') &&
      (process.env.GITHUB_STEP_SUMMARY || process.env.GITHUB_OUTPUT)
    ) {
      const { writeGithubStep } = await import('../app/github-step.js')
      const problems = await writeGithubStep({
        cwd: options.cwd,
        plan: options.plan,
        runId: result.runId,
        held: annotator.held,
        limit: annotator.limit,
      }).catch((error: Error) => [`could not write the job summary: ${error.message}`])
      for (const problem of problems) process.stderr.write(`warning: ${problem}\n`)
    }
    return runOutput(result)
  } finally {
    stopListening()
  }
}

/** What `wf run --json` prints: the run's status and each phase's result. */
function runOutput(result: ExecuteRunResult) {
  // A dry run records nothing: its phases are what each would do, and why (as the text output says).
  if (result.planned)
    return {
      status: result.status,
      dryRun: true,
      phases: result.planned,
      planned: result.planned,
      ...(result.affected ? { affected: result.affected } : {}),
    }
  return {
    status: result.status,
    runId: result.runId,
    phases: result.records.map(({ id, status, reason, durationMs, tasks, gates }) => ({
      id,
      status,
      reason,
      durationMs,
      tasks: tasks?.map(({ name, status, message, exitCode, attempts, generated }) => ({
        name,
        status,
        message,
        exitCode,
        attempts,
        // Hand edits the task replaced, and where each was saved.
        overwritten: generated?.some((g) => g.backup)
          ? generated.flatMap(({ path, backup }) => (backup ? [{ path, backup }] : []))
          : undefined,
      })),
      gates: gates?.map(({ name, kind, status, message, locations, hint }) => ({
        name,
        kind,
        status,
        message,
        locations,
        hint,
      })),
    })),
    ...(result.planned ? { planned: result.planned } : {}),
    ...(result.affected ? { affected: result.affected } : {}),
    ...(result.warnings.length ? { warnings: result.warnings } : {}),
  }
}

/**
 * Turns SIGINT/SIGTERM/SIGHUP into a clean cancellation; a second signal exits at once. After
 * SIGHUP, wf ends by SIGHUP once done. Returns the function that stops listening.
 */
function abortOnSignals(controller: AbortController, flush: () => void): () => void {
  let signals = 0
  let hungUp = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === 'SIGHUP' && !hungUp) {
      hungUp = true
      // The terminal may be gone: what is still printed has nowhere to go, and must not stop the clean-up.
      for (const out of [process.stdout, process.stderr]) out.on('error', () => {})
      process.once('exit', endByHangup)
    }
    if (++signals > 1) {
      flush()
      if (hungUp) endByHangup()
      process.exit(EXIT.INTERRUPTED)
    }
    controller.abort()
  }
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal)
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal)
  }
}
