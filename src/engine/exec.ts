import type { ResolvedEnv } from './environment.js'
import { redact } from './environment.js'

export interface ExecOptions {
  command: string
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
/** Time between SIGTERM and SIGKILL when stopping a command's process group. */
const KILL_GRACE_MS = 1000

/** Sends a signal to a whole process group (the command and everything it started). */
function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return
  try {
    process.kill(-pid, signal)
  } catch {
    try {
      process.kill(pid, signal)
    } catch {}
  }
}

/**
 * Runs a command in its own process group so that a timeout or a cancellation stops it and every
 * process it started (SIGTERM, then SIGKILL after a grace period). Output is streamed by line.
 */
export async function execCommand(options: ExecOptions): Promise<ExecResult> {
  const { execa, parseCommandString } = await import('execa')
  const shell = options.shell ?? true
  const child = shell === false
    ? (() => {
        const [file, ...args] = parseCommandString(options.command)
        return execa(file!, args, spawnOptions(options))
      })()
    : execa(options.command, { ...spawnOptions(options), shell })
  let timedOut = false
  let cancelled = false
  let killTimer: NodeJS.Timeout | undefined
  const stop = () => {
    killGroup(child.pid, 'SIGTERM')
    killTimer ??= setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS)
  }
  const timer = options.timeoutMs ? setTimeout(() => ((timedOut = true), stop()), options.timeoutMs) : undefined
  const onAbort = () => ((cancelled = true), stop())
  if (options.signal?.aborted) onAbort()
  options.signal?.addEventListener('abort', onAbort, { once: true })

  const tail: string[] = []
  let stdout = ''
  const collect = (stream: 'stdout' | 'stderr') => {
    let partial = ''
    return (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8')
      const lines = text.split(/\r?\n/)
      partial = lines.pop() ?? ''
      for (const line of lines) emit(line, stream)
      if (stream === 'stdout' && stdout.length < STDOUT_BYTES) stdout += chunk.toString('utf8')
      return () => partial && emit(partial, stream)
    }
  }
  const emit = (raw: string, stream: 'stdout' | 'stderr') => {
    const line = redact(raw, options.env.secrets)
    tail.push(line)
    if (tail.length > TAIL_LINES) tail.shift()
    options.onLine?.(line, stream)
  }
  const flushers: (() => void)[] = []
  for (const stream of ['stdout', 'stderr'] as const) {
    const handler = collect(stream)
    let flush = () => {}
    child[stream]?.on('data', (chunk: Buffer) => (flush = handler(chunk)))
    flushers.push(() => flush())
  }
  const result = await child
  for (const flush of flushers) flush()
  clearTimeout(timer)
  clearTimeout(killTimer)
  options.signal?.removeEventListener('abort', onAbort)
  // A stopped command's children may outlive it: make sure the whole group is gone.
  if (timedOut || cancelled) killGroup(child.pid, 'SIGKILL')
  let text = tail.join('\n')
  if (text.length > TAIL_BYTES) text = text.slice(-TAIL_BYTES)
  return {
    exitCode: typeof result.exitCode === 'number' ? result.exitCode : null,
    signal: result.signal ?? null,
    timedOut,
    cancelled,
    tail: text,
    stdout: redact(stdout, options.env.secrets),
  }
}

function spawnOptions(options: ExecOptions) {
  return {
    cwd: options.cwd,
    env: options.env.vars,
    extendEnv: false,
    detached: true,
    reject: false,
    buffer: false,
    stdin: 'ignore' as const,
    stripFinalNewline: false,
  }
}
