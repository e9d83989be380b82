import { randomBytes } from 'node:crypto'
import { accessSync, constants, statSync } from 'node:fs'
import { constants as osConstants } from 'node:os'
import type { ResolvedEnv } from './environment.js'
import { redact } from './environment.js'
import { lazyImport } from './memo.js'
import { type ProcessInfo, processStart, signalTask, TASK_TOKEN_VAR, type TaskTree } from './process-tree.js'
import type { Workspace } from './workspace.js'

export interface ExecOptions {
  command: string
  /** The run's workspace: its shells run simple commands, and it learns that files may have changed. */
  workspace: Workspace
  cwd: string
  env: ResolvedEnv
  /** true: the system shell; a string: that shell; false: no shell (the command is split into words). */
  shell?: boolean | string
  timeoutMs?: number
  signal?: AbortSignal
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void
}

export interface ExecResult {
  exitCode: number | null
  signal: string | null
  timedOut: boolean
  cancelled: boolean
  /** The last lines of combined output, secrets redacted. */
  tail: string
  stdout: string
}

const TAIL_LINES = 40
const TAIL_BYTES = 8 * 1024
const STDOUT_BYTES = 1024 * 1024
/**
 * How much of one output line wf keeps (in characters); the rest is counted, not kept, before any
 * redaction or printing, so one line of 100 MB costs what 64 KiB do.
 */
export const LINE_CHARS = 64 * 1024
/** Time between SIGTERM and SIGKILL when stopping a command's processes. */
const KILL_GRACE_MS = 1000
/** Time after SIGKILL before wf stops waiting for the command's output pipes to close. */
const PIPE_GRACE_MS = 300

const loadExeca = lazyImport(() => import('execa'))

/**
 * Collects a command's output: lines to `onLine` (redacted), a bounded tail, and stdout. A line
 * longer than LINE_CHARS keeps its start and ends `… (N bytes cut)`.
 */
export function outputCollector(options: Pick<ExecOptions, 'env' | 'onLine'>) {
  const tail: string[] = []
  let stdout = ''
  /** The line being read on each stream: what is kept of it, and how many bytes were cut. */
  const partial: Record<'stdout' | 'stderr', { text: string; cut: number }> = {
    stdout: { text: '', cut: 0 },
    stderr: { text: '', cut: 0 },
  }
  const emit = (stream: 'stdout' | 'stderr') => {
    const { text, cut } = partial[stream]
    partial[stream] = { text: '', cut: 0 }
    const raw = cut > 0 ? `${text}… (${cut} bytes cut)` : text.endsWith('\r') ? text.slice(0, -1) : text
    const line = redact(raw, options.env.secrets)
    tail.push(line)
    if (tail.length > TAIL_LINES) tail.shift()
    options.onLine?.(line, stream)
  }
  return {
    add(text: string, stream: 'stdout' | 'stderr') {
      for (let start = 0; ; ) {
        const end = text.indexOf('\n', start)
        const piece = end < 0 ? text.slice(start) : text.slice(start, text[end - 1] === '\r' ? end - 1 : end)
        const line = partial[stream]
        const room = LINE_CHARS - line.text.length
        if (piece.length <= room) line.text += piece
        else {
          line.text += piece.slice(0, room)
          line.cut += Buffer.byteLength(piece) - Buffer.byteLength(piece.slice(0, room))
        }
        if (end < 0) break
        emit(stream)
        start = end + 1
      }
      if (stream === 'stdout' && stdout.length < STDOUT_BYTES) stdout += text.slice(0, STDOUT_BYTES - stdout.length)
    },
    finish(): { tail: string; stdout: string } {
      for (const stream of ['stdout', 'stderr'] as const) if (partial[stream].text || partial[stream].cut) emit(stream)
      let text = tail.join('\n')
      if (text.length > TAIL_BYTES) text = text.slice(-TAIL_BYTES)
      return { tail: text, stdout: redact(stdout, options.env.secrets) }
    },
  }
}

/**
 * Stops the command on timeout or abort: SIGTERM to its process group and every process it started
 * (also those that left the group: see process-tree.ts), SIGKILL after a grace period, and again
 * to whatever is left when the command ends. `onKilled` runs a moment after the SIGKILL.
 */
function stopper(options: ExecOptions, task: () => TaskTree | undefined, onKilled?: () => void) {
  const state = { timedOut: false, cancelled: false }
  let stopping = false
  let killTimer: NodeJS.Timeout | undefined
  let pipeTimer: NodeJS.Timeout | undefined
  let known: ProcessInfo[] = []
  const send = (signal: NodeJS.Signals) => {
    const tree = task()
    if (tree) known = signalTask(tree, signal, known)
  }
  const stop = () => {
    if (stopping) return
    stopping = true
    send('SIGTERM')
    killTimer = setTimeout(() => {
      send('SIGKILL')
      // A process wf could not find may still hold the output pipes open: stop waiting for it.
      if (onKilled) pipeTimer = setTimeout(onKilled, PIPE_GRACE_MS)
    }, KILL_GRACE_MS)
  }
  const timer = options.timeoutMs
    ? setTimeout(() => {
        state.timedOut = true
        stop()
      }, options.timeoutMs)
    : undefined
  const onAbort = () => {
    state.cancelled = true
    stop()
  }
  if (options.signal?.aborted) onAbort()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  return {
    state,
    done() {
      clearTimeout(timer)
      clearTimeout(killTimer)
      clearTimeout(pipeTimer)
      options.signal?.removeEventListener('abort', onAbort)
      // A stopped command's children may outlive it: make sure they are all gone.
      if (stopping) send('SIGKILL')
    },
  }
}

/** Notes a started task (when the workspace records tasks); returns what identifies it. */
function noteStart(
  options: ExecOptions,
  pid: number | undefined,
  token: string,
  start = pid ? processStart(pid) : undefined,
): TaskTree | undefined {
  if (!pid) return undefined
  if (start !== undefined)
    options.workspace.tasks?.started({ pid, start, token, command: redact(options.command, options.env.secrets) })
  return { leader: pid, token, since: start }
}

/** Notes a task's end: by its leader when its start was noted, and by `token` when `starting` was noted. */
function noteEnd(options: ExecOptions, task: TaskTree | undefined, token?: string): void {
  const leader = task?.leader && task.since !== undefined ? { pid: task.leader, start: task.since } : {}
  if (token || 'pid' in leader) options.workspace.tasks?.ended({ ...leader, ...(token ? { token } : {}) })
}

/**
 * Runs a command in its own process group so that a timeout or a cancellation stops it and every
 * process it started (SIGTERM, then SIGKILL after a grace period). Output is streamed by line.
 */
export async function execCommand(options: ExecOptions): Promise<ExecResult> {
  options.workspace.filesChanged()
  try {
    return await startCommand(options)
  } finally {
    options.workspace.filesChanged()
  }
}

async function startCommand(options: ExecOptions): Promise<ExecResult> {
  const shell = options.shell ?? true
  const direct =
    shell === true ? directArgv(options.command, options.env.vars.PATH, options.workspace.programs) : undefined
  if (direct && process.platform !== 'win32' && process.env.WF_SHELL_WORKERS !== '0')
    return execInWorker(options, direct)
  const { execa, parseCommandString } = await loadExeca()
  const token = randomBytes(8).toString('hex')
  options.workspace.tasks?.starting?.(token, redact(options.command, options.env.secrets))
  const child =
    shell === false || direct
      ? (() => {
          const [file, ...args] = direct ?? parseCommandString(options.command)
          return execa(file!, args, spawnOptions(options, token))
        })()
      : execa(options.command, { ...spawnOptions(options, token), shell })
  const task = noteStart(options, child.pid, token)
  const stop = stopper(
    options,
    () => task,
    () => {
      child.stdout?.destroy()
      child.stderr?.destroy()
    },
  )
  const output = outputCollector(options)
  for (const stream of ['stdout', 'stderr'] as const)
    child[stream]?.on('data', (chunk: Buffer) => output.add(chunk.toString('utf8'), stream))
  const result = await child
  stop.done()
  noteEnd(options, task, token)
  return {
    exitCode: typeof result.exitCode === 'number' ? result.exitCode : null,
    signal: result.signal ?? null,
    ...stop.state,
    ...output.finish(),
  }
}

/** A simple command in a persistent shell (see shell-worker.ts): one fork and exec, as make does. */
async function execInWorker(options: ExecOptions, argv: string[]): Promise<ExecResult> {
  const worker = options.workspace.shells.idle(options.env.vars, options.cwd)
  worker.startTime ??= worker.pid ? processStart(worker.pid) : undefined
  const task = noteStart(options, worker.pid, worker.token, worker.startTime)
  const stop = stopper(options, () => task)
  const output = outputCollector(options)
  const run = await worker.run(argv, (text, stream) => output.add(text, stream))
  stop.done()
  noteEnd(options, task)
  // The shell reports a command killed by signal N as status 128 + N.
  const signalName =
    run.exitCode !== null && run.exitCode > 128
      ? Object.entries(osConstants.signals).find(([, n]) => n === run.exitCode! - 128)?.[0]
      : undefined
  return {
    exitCode: run.lost || signalName ? null : run.exitCode,
    signal: signalName ?? (run.lost ? 'SIGKILL' : null),
    ...stop.state,
    ...output.finish(),
  }
}

// Words a shell gives meaning to; a command using any of them always goes through the shell.
const SHELL_WORDS = new Set([
  '.',
  ':',
  'alias',
  'bg',
  'break',
  'cd',
  'command',
  'continue',
  'declare',
  'eval',
  'exec',
  'exit',
  'export',
  'fg',
  'getopts',
  'hash',
  'jobs',
  'let',
  'local',
  'read',
  'readonly',
  'return',
  'set',
  'shift',
  'source',
  'test',
  'times',
  'trap',
  'type',
  'ulimit',
  'umask',
  'unalias',
  'unset',
  'wait',
  '[',
  'if',
  'for',
  'while',
  'until',
  'case',
])
const SIMPLE = /^[A-Za-z0-9_./:@%+,-]+(?: +[A-Za-z0-9_./:=@%+,-]+)*$/

/**
 * The words of a command that needs no shell (no quotes, variables, globs, pipes or builtins, and
 * a program found on PATH), so it can be started directly as make does: one process, not two.
 * `found` remembers which programs were found on which PATH.
 */
export function directArgv(
  command: string,
  path = process.env.PATH ?? '',
  found = new Map<string, boolean>(),
): string[] | undefined {
  const trimmed = command.trim()
  if (!SIMPLE.test(trimmed)) return undefined
  const words = trimmed.split(/ +/)
  const program = words[0]!
  if (SHELL_WORDS.has(program)) return undefined
  if (program.includes('/')) return words
  const key = `${path}\0${program}`
  if (!found.has(key))
    found.set(
      key,
      path.split(':').some((dir) => dir && isExecutable(`${dir}/${program}`)),
    )
  return found.get(key) ? words : undefined
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return statSync(file).isFile()
  } catch {
    return false
  }
}

function spawnOptions(options: ExecOptions, token: string) {
  return {
    cwd: options.cwd,
    env: { ...options.env.vars, [TASK_TOKEN_VAR]: token },
    extendEnv: false,
    detached: true,
    reject: false,
    buffer: false,
    stdin: 'ignore' as const,
    stripFinalNewline: false,
  }
}
