// What the signal tests share: a spawned `wf run` whose task processes carry a unique marker
// argument (`sleep 600.<random>`), found in /proc/*/cmdline, so tests running side by side never
// take each other's processes for their own.
import { randomInt } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { spawnWf, testdir } from '../helpers.js'

// Plain output, and no NODE_ENV=test from vitest: with it oclif loads TypeScript to read tsconfig.json, doubling start-up time.
export const quiet = { GITHUB_ACTIONS: undefined, NODE_ENV: undefined }
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
export const linux = existsSync('/proc/self/stat')

/** A `sleep` argument no other test uses: ten minutes, longer than any test waits. */
export const newMarker = () => `600.${randomInt(1e9)}`

/** Pids of the live processes whose command line holds `marker` as a word (`sleeping`: only `sleep MARKER` itself). */
export function markedPids(marker: string, sleeping = false): number[] {
  const pids: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1')
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue
      const argv = readFileSync(`/proc/${name}/cmdline`, 'latin1').split('\0')
      const found = sleeping
        ? argv[0]!.endsWith('sleep') && argv[1] === marker
        : argv.some((arg) => arg.split(/[ ']/).includes(marker))
      if (found) pids.push(Number(name))
    } catch {}
  }
  return pids
}

async function waitFor<T>(what: string, ms: number, probe: () => T | false | undefined): Promise<T> {
  for (let waited = 0; ; waited += 50) {
    const value = probe()
    if (value) return value
    if (waited > ms) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

const markers: string[] = []

/** Kills whatever the tasks started so far left behind (a failing test), so it cannot outlive the suite; call after each test. */
export function killMarked(): void {
  for (const marker of markers.splice(0))
    for (const pid of markedPids(marker))
      try {
        process.kill(pid, 'SIGKILL')
      } catch {}
}

/** Notes a marker whose processes `killMarked` kills. */
export function marked(marker: string): void {
  markers.push(marker)
}

/** A repository whose phase `long` runs `command`, and whose phase `quick` runs `true`. */
export function repo(command: string): string {
  return testdir({
    'phases/plan.yaml': `version: 1
phases:
  - id: long
    tasks: [{ run: ${JSON.stringify(command)} }]
  - id: quick
    tasks: [{ run: "true" }]
`,
  })
}

/** Starts `wf run long` and waits until `count` processes sleep with the marker. */
export async function startTask(cwd: string, marker: string, count: number) {
  markers.push(marker)
  const { child, done, output } = spawnWf(['run', '--only', 'long', '--reporter', 'plain'], {
    cwd,
    env: quiet,
    detached: true,
  })
  let exited = false
  void done.then(() => (exited = true))
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  await waitFor(`${count} task processes`, 20_000, () => {
    if (exited) throw new Error(`wf ended before its task started: ${JSON.stringify(output())}`)
    return markedPids(marker, true).length >= count
  })
  /** wf's result, or a failure when it is still running after a generous wait (it would wait for the task). */
  const result = async () => {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`wf did not exit: ${JSON.stringify(output())}`))
      }, 30_000)
    })
    try {
      return await Promise.race([done, late])
    } finally {
      clearTimeout(timer)
    }
  }
  return { pid: child.pid!, done: result, ended }
}
