// Simple commands (no quotes, variables, globs, pipes or shell words: see `directArgv`) run in a
// long-lived /bin/sh per environment and folder, which forks and execs each one as make does,
// instead of Node starting a new process for every command. The shell is the leader of its own
// process group, so a timeout or a cancellation still stops the command and everything it
// started; a shell that was stopped is discarded and the next command gets a new one.
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { TASK_TOKEN_VAR } from './process-tree.js'
import { childProcess } from './child-process.js'

export interface WorkerRun {
  exitCode: number | null
  /** Set when the shell went away before the command finished (it was killed). */
  lost: boolean
}

type Stream = 'stdout' | 'stderr'

interface Pending {
  token: string
  onData(text: string, stream: Stream): void
  done: Partial<Record<Stream, true>>
  exitCode: number | null
  resolve(run: WorkerRun): void
}

/** One persistent shell; runs one command at a time. */
export class ShellWorker {
  readonly child: ChildProcess
  /** Carried in the environment of the shell and of every command it runs (see process-tree.ts). */
  readonly token = randomBytes(8).toString('hex')
  /** When the shell started (see process-tree.ts), once asked. */
  startTime?: number
  busy = false
  dead = false
  closed = false
  private pending?: Pending
  private buffers: Record<Stream, string> = { stdout: '', stderr: '' }

  constructor(cwd: string, env: Record<string, string>) {
    this.child = childProcess().spawn('/bin/sh', [], {
      cwd,
      env: { ...env, [TASK_TOKEN_VAR]: this.token },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    // Idle shells must not keep wf running; they exit when their stdin closes with wf.
    this.child.unref()
    for (const stream of ['stdin', 'stdout', 'stderr'] as const)
      (this.child[stream] as unknown as { unref?(): void } | null)?.unref?.()
    this.child.stdout!.on('data', (chunk: Buffer) => this.receive(chunk.toString('utf8'), 'stdout'))
    this.child.stderr!.on('data', (chunk: Buffer) => this.receive(chunk.toString('utf8'), 'stderr'))
    this.child.stdin!.on('error', () => this.lose())
    this.child.on('error', () => this.lose())
    this.child.on('exit', () => this.lose())
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  /** Runs `argv` (words that need no quoting); `onData` gets the command's output as it comes. */
  run(argv: string[], onData: (text: string, stream: Stream) => void): Promise<WorkerRun> {
    this.busy = true
    const token = `__wf_${randomBytes(8).toString('hex')}`
    return new Promise<WorkerRun>((resolve) => {
      this.pending = { token, onData, done: {}, exitCode: null, resolve }
      // The leading newline puts the marker on a line of its own even after output without one.
      this.child.stdin!.write(
        `${argv.join(' ')} </dev/null; __wf_status=$?; printf '\\n%s %s\\n' ${token} "$__wf_status"; printf '\\n%s\\n' ${token} >&2\n`,
      )
      ;(this.child as unknown as { ref(): void }).ref()
    })
  }

  /** Closes the shell's input: it exits once its current command (if any) ends. */
  close(): void {
    this.closed = true
    this.child.stdin!.end()
  }

  private receive(text: string, stream: Stream): void {
    const pending = this.pending
    if (!pending) return
    let buffer = this.buffers[stream] + text
    const marker = `\n${pending.token}`
    const at = buffer.indexOf(marker)
    if (at < 0) {
      // Keep back what could be the start of the marker; pass the rest on.
      const keep = Math.min(buffer.length, marker.length + 24)
      const safe = buffer.length - keep
      if (safe > 0) pending.onData(buffer.slice(0, safe), stream)
      this.buffers[stream] = buffer.slice(safe)
      return
    }
    const end = buffer.indexOf('\n', at + marker.length)
    if (end < 0) {
      this.buffers[stream] = buffer
      return
    }
    if (at > 0) pending.onData(buffer.slice(0, at), stream)
    if (stream === 'stdout') pending.exitCode = Number.parseInt(buffer.slice(at + marker.length, end).trim(), 10)
    buffer = ''
    this.buffers[stream] = buffer
    pending.done[stream] = true
    if (pending.done.stdout && pending.done.stderr)
      this.finish({ exitCode: Number.isNaN(pending.exitCode) ? null : pending.exitCode, lost: false })
  }

  private finish(run: WorkerRun): void {
    const pending = this.pending
    this.pending = undefined
    this.busy = false
    this.buffers = { stdout: '', stderr: '' }
    ;(this.child as unknown as { unref(): void }).unref()
    pending?.resolve(run)
  }

  private lose(): void {
    if (this.dead) return
    this.dead = true
    const pending = this.pending
    if (pending) {
      for (const stream of ['stdout', 'stderr'] as const)
        if (this.buffers[stream]) pending.onData(this.buffers[stream], stream)
      this.finish({ exitCode: null, lost: true })
    }
  }
}

/** Shells shared by commands whose environment has the same content (most phases of a plan). */
export class ShellPool {
  private readonly pools = new Map<string, ShellWorker[]>()
  private readonly keys = new WeakMap<object, string>()
  private readonly all = new Set<ShellWorker>()

  /** An idle shell for this environment and folder, started when there is none. */
  idle(env: Record<string, string>, cwd: string): ShellWorker {
    let envKey = this.keys.get(env)
    if (envKey === undefined) {
      envKey = JSON.stringify(env)
      this.keys.set(env, envKey)
    }
    const key = `${cwd}\0${envKey}`
    const workers = (this.pools.get(key) ?? []).filter((w) => !w.dead && !w.closed)
    let worker = workers.find((w) => !w.busy)
    if (!worker) {
      worker = new ShellWorker(cwd, env)
      workers.push(worker)
      this.all.add(worker)
    }
    this.pools.set(key, workers)
    return worker
  }

  /** Lets every shell exit (at the end of a run). */
  close(): void {
    for (const worker of this.all) worker.close()
    this.all.clear()
    this.pools.clear()
  }
}
