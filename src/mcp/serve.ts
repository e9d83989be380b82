import { createServer } from './server.js'
import { LineTransport } from './stdio-transport.js'
import { EXIT } from '../lib/errors.js'
import { endByHangup, STOP_SIGNALS } from '../lib/stop-signals.js'

export interface ServeOptions {
  cwd: string
  allowRun: boolean
  /** `--allow-write`: offer fix_phase (without running plan code unless allowRun). */
  allowWrite?: boolean
}

/**
 * Serves MCP over stdin/stdout until stdin closes (or SIGINT/SIGTERM/SIGHUP), then stops any running
 * phase, waits for its processes to end and its result to be recorded, and returns. Only
 * protocol messages go to stdout: anything else that would print there goes to stderr.
 */
export async function serveStdio(options: ServeOptions): Promise<void> {
  const log = (message: string) => void process.stderr.write(`wf mcp: ${message}\n`)
  // git status would otherwise refresh .git/index now and then: tools that only read write nothing there either.
  process.env.GIT_OPTIONAL_LOCKS ??= '0'
  for (const method of ['log', 'info', 'debug', 'warn'] as const)
    console[method] = (...args: unknown[]) => console.error(...args)
  const { server, close } = createServer({ ...options, log })
  const transport = new LineTransport(process.stdin, process.stdout)
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve()
  })
  server.server.onerror = (error) => log(error.message)
  // Phases run in process groups of their own, which a signal to this process would not reach.
  let signals = 0
  let hungUp = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === 'SIGHUP' && !hungUp) {
      hungUp = true
      process.once('exit', endByHangup)
    }
    if (++signals > 1) {
      if (hungUp) endByHangup()
      process.exit(EXIT.INTERRUPTED)
    }
    log(`${signal}: stopping`)
    process.exitCode = EXIT.INTERRUPTED
    void transport.close()
  }
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal)
  try {
    await server.connect(transport)
    log(
      `serving ${options.cwd}${options.allowRun ? ' (run_phase enabled)' : options.allowWrite ? ' (fix_phase enabled)' : ' (read-only)'}`,
    )
    await closed
    await close()
    process.stdin.destroy()
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal)
  }
}
