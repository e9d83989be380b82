// Runs wf commands inside the test process: the command classes of src/commands (no build, no
// process start), with output, exit code, environment and working directory captured and restored.
// Tests that need a real process (kills, signals, locks held by another process, stdio, hooks in
// real commits) use spawnWf/runWf from helpers.ts instead.
import { format } from 'node:util'
import { Config } from '@oclif/core/config'
import { run as oclifRun } from '@oclif/core/run'
import { settings } from '@oclif/core/settings'
import { COMMANDS } from '../src/commands/index.js'
import { repoRoot, type WfResult } from './helpers.js'

let config: Promise<Config> | undefined
/** oclif's configuration of wf: one for commands, a fresh one for help (oclif's help keeps state in it). */
const loadConfig = (fresh = false) => {
  settings.enableAutoTranspile = false
  const load = () => Config.load({ root: repoRoot, userPlugins: false, devPlugins: false })
  if (fresh) return load()
  config ??= load()
  return config
}

/** A command class's static `run`, typed once: each class types its own `this`, so their union cannot call it. */
type CommandClass = { id?: string; run(argv: string[], config: Config): Promise<unknown> }

/** The command an argument list names (`contracts diff …` → contracts:diff), and the rest of it. */
function findCommand(args: string[]): { command: CommandClass; argv: string[] } | undefined {
  if (args.some((a) => a === '--help' || a === '-h')) return undefined
  for (let n = Math.min(args.length, 3); n > 0; n--) {
    const words = args.slice(0, n)
    if (words.some((w) => w.startsWith('-'))) continue
    const command = (COMMANDS as Record<string, CommandClass>)[words.join(':')]
    if (command) {
      // oclif's loader gives each command its id; without one `run` would name it after its class (`presetsshow`).
      command.id = words.join(':')
      return { command, argv: args.slice(n) }
    }
  }
  return undefined
}

let running = false

/**
 * Runs `wf ARGS` in this process as `runWf` runs it in a new one: same arguments, same `cwd` and
 * `env` options, same result. One at a time (it swaps process-wide stdout, stderr, env and cwd).
 */
export async function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
): Promise<WfResult> {
  if (running) throw new Error('runCli runs one command at a time; spawn bin/run.js for concurrent runs')
  running = true
  const found = findCommand(args)
  const loaded = await loadConfig(!found)
  const saved = {
    cwd: process.cwd(),
    exitCode: process.exitCode,
    stdout: process.stdout.write,
    stderr: process.stderr.write,
    env: { ...process.env },
    console: { log: console.log, info: console.info, warn: console.warn, error: console.error },
  }
  let stdout = ''
  let stderr = ''
  const capture =
    (append: (text: string) => void) =>
    (chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      const done = typeof encoding === 'function' ? encoding : callback
      if (typeof done === 'function') queueMicrotask(() => done())
      return true
    }
  for (const [name, value] of Object.entries({ NO_COLOR: '1', DEBUG: '', ...options.env })) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  process.exitCode = undefined
  process.chdir(options.cwd)
  process.stdout.write = capture((text) => (stdout += text)) as typeof process.stdout.write
  process.stderr.write = capture((text) => (stderr += text)) as typeof process.stderr.write
  // oclif prints through console.log / console.error.
  console.log = console.info = (...parts: unknown[]) => {
    stdout += `${format(...parts)}\n`
  }
  console.warn = console.error = (...parts: unknown[]) => {
    stderr += `${format(...parts)}\n`
  }
  let code: number
  try {
    if (found) await found.command.run(found.argv, loaded)
    else await oclifRun(args, loaded)
    code = Number(process.exitCode ?? 0)
  } catch (error) {
    const exit = (error as { oclif?: { exit?: number } }).oclif?.exit
    if (exit === undefined) throw error
    code = exit
  } finally {
    process.stdout.write = saved.stdout
    process.stderr.write = saved.stderr
    Object.assign(console, saved.console)
    process.chdir(saved.cwd)
    for (const name of Object.keys(process.env)) if (!(name in saved.env)) delete process.env[name]
    Object.assign(process.env, saved.env)
    process.exitCode = saved.exitCode
    running = false
  }
  return { code, stdout, stderr }
}
