// A nunjucks template can run any JavaScript (`{{ range.constructor("…")() }}`), so on paths that
// promise to run nothing (--dry-run, wf mcp without --allow-run) a repository's template is rendered
// in a child Node.js under the permission model: no child processes, no workers, no writes, and
// reads limited to the nunjucks code itself. The child gets no environment variables.
import type { ChildProcess } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { WfError } from '../lib/errors.js'
import { packageRoot } from '../lib/package-root.js'
import type { Workspace } from '../lib/workspace.js'
import { childProcess } from '../lib/child-process.js'

/** A template that runs longer than this in the sandbox is stopped (a loop over a huge range). */
const RENDER_TIMEOUT_MS = 30_000
/** The child serves the renders of one run, and exits when it has had none for this long. */
const IDLE_EXIT_MS = 1000

// Renders requests read as JSON lines on stdin with the options templates.ts uses, one JSON line
// of reply each; exits when stdin ends or it has been idle a while.
const CHILD = `'use strict'
const { file, key, idleMs } = JSON.parse(process.argv[1])
let nunjucks
let env
let buffer = ''
let idle = setTimeout(() => process.exit(0), idleMs)
const denied = (error) => /ERR_ACCESS_DENIED/.test(String(error && error.code)) || /Access to this API has been restricted/.test(String(error && error.message))
function render(line) {
  const { id, source, context, name } = JSON.parse(line)
  let reply
  try {
    if (!nunjucks) {
      const loaded = require(file)
      nunjucks = key ? loaded[key]() : loaded
      env = new nunjucks.Environment(null, { throwOnUndefined: true, autoescape: false, trimBlocks: true, lstripBlocks: true })
    }
    reply = { id, output: new nunjucks.Template(source, env, name, true).render(context) }
  } catch (error) {
    reply = denied(error) ? { id, denied: true } : { id, error: String((error && error.message) || error) }
  }
  process.stdout.write(JSON.stringify(reply) + '\\n')
}
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => {
  clearTimeout(idle)
  buffer += chunk
  for (let end = buffer.indexOf('\\n'); end >= 0; end = buffer.indexOf('\\n')) {
    const line = buffer.slice(0, end)
    buffer = buffer.slice(end + 1)
    render(line)
  }
  idle = setTimeout(() => process.exit(0), idleMs)
})
process.stdin.on('end', () => process.exit(0))
`

/** Where the child loads nunjucks from: the bundle's vendor file when wf runs from dist/, else the installed package. */
function nunjucksEntry(): { file: string; key?: string; readable: string } {
  const dist = join(packageRoot, 'dist')
  const vendor = join(dist, 'vendor', 'nunjucks.cjs')
  if (fileURLToPath(import.meta.url).startsWith(dist + sep) && existsSync(vendor)) {
    const file = realpathSync(vendor)
    return { file, key: 'nunjucks', readable: file }
  }
  const file = realpathSync(createRequire(import.meta.url).resolve('nunjucks'))
  // nunjucks requires its dependencies from the node_modules folder it is installed in.
  const at = file.lastIndexOf(`${sep}node_modules${sep}`)
  return { file, readable: at >= 0 ? file.slice(0, at + `${sep}node_modules${sep}`.length) : dirname(file) }
}

interface Pending {
  resolve: (output: string) => void
  reject: (error: Error) => void
  name: string
  /** The request line, sent again (once) if the child exited idle just as it was written. */
  line: string
  resent?: boolean
}

/** One sandboxed child, serving one run's renders in order. */
class Sandbox {
  private child?: ChildProcess
  private readonly pending = new Map<number, Pending>()
  private nextId = 0
  private buffer = ''

  render(source: string, context: Record<string, unknown>, name: string): Promise<string> {
    const child = this.start()
    const id = this.nextId++
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.stop(
          new WfError('WF_USAGE', `template ${name} did not finish rendering within ${RENDER_TIMEOUT_MS / 1000} s`, {
            hint: 'look for a loop over a very large range in the template',
          }),
        )
      }, RENDER_TIMEOUT_MS)
      const done = () => {
        clearTimeout(timer)
        this.pending.delete(id)
        if (this.pending.size === 0) this.hold(false)
      }
      const line = `${JSON.stringify({ id, source, context, name })}\n`
      this.pending.set(id, {
        name,
        line,
        resolve: (output) => {
          done()
          resolve(output)
        },
        reject: (error) => {
          done()
          reject(error)
        },
      })
      this.hold(true)
      child.stdin!.write(line)
    })
  }

  private start(): ChildProcess {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return this.child
    const entry = nunjucksEntry()
    const permission = process.allowedNodeEnvironmentFlags.has('--permission')
      ? '--permission'
      : '--experimental-permission'
    const child = childProcess().spawn(
      process.execPath,
      [
        permission,
        '--no-warnings',
        `--allow-fs-read=${entry.readable}`,
        '-e',
        CHILD,
        JSON.stringify({ file: entry.file, key: entry.key, idleMs: IDLE_EXIT_MS }),
      ],
      { env: {}, stdio: ['pipe', 'pipe', 'pipe'] },
    )
    let stderr = ''
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4096)
    })
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.receive(chunk))
    child.stdin!.on('error', () => {})
    child.on('error', (error) => this.stop(error))
    child.on('exit', (code, signal) => {
      if (this.child !== child) return
      this.child = undefined
      const waiting = [...this.pending.values()]
      // Exited idle just as a request was written: a new child takes it (once; a template can exit the child too).
      const resend = code === 0 ? waiting.filter((request) => !request.resent) : []
      const last = stderr.trim().split('\n').at(-1)
      for (const request of waiting)
        if (!resend.includes(request))
          request.reject(new Error(`rendering stopped: ${last || `the sandbox exited (${code ?? signal})`}`))
      if (resend.length === 0) return
      const next = this.start()
      this.hold(true)
      for (const request of resend) {
        request.resent = true
        next.stdin!.write(request.line)
      }
    })
    this.child = child
    this.buffer = ''
    return child
  }

  private receive(chunk: string): void {
    this.buffer += chunk
    for (let end = this.buffer.indexOf('\n'); end >= 0; end = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, end)
      this.buffer = this.buffer.slice(end + 1)
      const reply = JSON.parse(line) as { id: number; output?: string; error?: string; denied?: boolean }
      const request = this.pending.get(reply.id)
      if (!request) continue
      if (reply.denied)
        request.reject(
          new WfError(
            'WF_USAGE',
            `template ${request.name} tried to start a process, write a file or read one outside nunjucks; that is refused where nothing may run`,
            {
              hint: 'a template that runs code renders only in a real run (`wf run`, or run_phase with `wf mcp --allow-run`)',
            },
          ),
        )
      else if (reply.error !== undefined) request.reject(new Error(reply.error))
      else request.resolve(reply.output ?? '')
    }
  }

  /** While a render is pending the child keeps wf alive; idle, it does not (it exits by itself). */
  private hold(on: boolean): void {
    const child = this.child
    if (!child) return
    for (const handle of [child, child.stdin, child.stdout, child.stderr] as Array<{
      ref?: () => void
      unref?: () => void
    } | null>)
      on ? handle?.ref?.() : handle?.unref?.()
  }

  private stop(error: Error): void {
    const child = this.child
    this.child = undefined
    for (const request of [...this.pending.values()]) request.reject(error)
    child?.kill('SIGKILL')
  }
}

/**
 * Renders template source with a context in a child process that can run no program, write no file
 * and read nothing but nunjucks (one child per workspace, serving its renders in turn); rejects with
 * nunjucks' message on a template error.
 */
export function renderSandboxed(
  workspace: Workspace,
  source: string,
  context: Record<string, unknown>,
  name: string,
): Promise<string> {
  return workspace.scoped(Sandbox).render(source, context, name)
}
