// Signals to a spawned `wf run` while a task runs: what needs real processes. Each test's task
// processes carry a unique marker argument (`sleep 600.<random>`), found in /proc/*/cmdline, so
// tests running side by side never take each other's processes for their own.
import { randomInt } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { hasStackTrace, spawnWf, testdir } from '../helpers.js'

// Plain output, and no NODE_ENV=test from vitest: with it oclif loads TypeScript to read tsconfig.json, doubling start-up time.
const quiet = { GITHUB_ACTIONS: undefined, NODE_ENV: undefined }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const linux = existsSync('/proc/self/stat')

/** A `sleep` argument no other test uses: ten minutes, longer than any test waits. */
const newMarker = () => `600.${randomInt(1e9)}`

/** Pids of the live processes whose command line holds `marker` as a word (`sleeping`: only `sleep MARKER` itself). */
function markedPids(marker: string, sleeping = false): number[] {
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

// Whatever a failing test leaves behind is killed, so it cannot outlive the suite.
const markers: string[] = []
afterEach(() => {
  for (const marker of markers.splice(0))
    for (const pid of markedPids(marker))
      try {
        process.kill(pid, 'SIGKILL')
      } catch {}
})

/** A repository whose phase `long` runs `command`, and whose phase `quick` runs `true`. */
function repo(command: string): string {
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
async function startTask(cwd: string, marker: string, count: number) {
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

describe.skipIf(!linux)('signals', () => {
  it('SIGHUP (the terminal closed) stops the task and everything it started; wf then ends by SIGHUP (status 129)', {
    timeout: 60_000,
  }, async () => {
    const marker = newMarker()
    const cwd = repo(`sleep ${marker} & setsid sleep ${marker} & sleep ${marker}`)
    const wf = await startTask(cwd, marker, 3)
    process.kill(wf.pid, 'SIGHUP')
    const { code, signal } = await wf.ended
    const result = await wf.done()
    expect({ code, signal }, result.stderr).toEqual({ code: null, signal: 'SIGHUP' })
    expect(hasStackTrace(result.stderr)).toBe(false)
    expect(result.stdout).toMatch(/run cancelled/)
    expect(markedPids(marker), 'task processes left after wf ended').toEqual([])
    const ledger = JSON.parse(readFileSync(join(cwd, '.wf', 'ledger.json'), 'utf8'))
    expect(ledger.phases.long.status).toBe('cancelled')
    expect(ledger.active).toBeNull()
  })

  const setsidTasks = {
    'setsid children of a running shell': (m: string) => `setsid sleep ${m} & setsid sh -c 'sleep ${m}' & sleep ${m}`,
    // The shell is gone; the setsid child holds the output pipe open, its parent reparented away.
    'a setsid child holding the output open after its shell ended': (m: string) => `setsid sleep ${m} &`,
    // Its parent has exited: only the task's token (WF_TASK_ID in its environment) still leads to it.
    'a daemon started by a setsid shell that has ended': (m: string) =>
      `setsid sh -c 'setsid sleep ${m} >/dev/null 2>&1 &'; sleep ${m}`,
  }
  describe.each(['SIGINT', 'SIGTERM'] as const)('%s', (sig) => {
    it.each(Object.entries(setsidTasks))(
      'stops %s: wf exits 130 and no task process is left',
      {
        timeout: 60_000,
      },
      async (_name, task) => {
        const marker = newMarker()
        const command = task(marker)
        const cwd = repo(command)
        const wf = await startTask(cwd, marker, command.split(marker).length - 1)
        process.kill(wf.pid, sig)
        const result = await wf.done()
        expect(result.code, result.stderr).toBe(130)
        expect(markedPids(marker), 'task processes left after wf exited').toEqual([])
      },
    )
  })

  it('exits 130 even when a process it cannot find holds the output open (it stops waiting for the pipe)', {
    timeout: 60_000,
  }, async () => {
    const marker = newMarker()
    // `env -u` drops the task's token: once its shell is gone nothing links this process to the task.
    const cwd = repo(`env -u WF_TASK_ID setsid sleep ${marker} &`)
    const wf = await startTask(cwd, marker, 1)
    await sleep(300)
    process.kill(wf.pid, 'SIGTERM')
    const result = await wf.done()
    expect(result.code, result.stderr).toBe(130)
  })

  it('after wf is SIGKILLed, the next `wf status` stops the tasks it left and the next run records it', {
    timeout: 60_000,
  }, async () => {
    const marker = newMarker()
    const cwd = repo(`sleep ${marker} & setsid sh -c 'sleep ${marker}' & setsid sleep ${marker} & sleep ${marker}`)
    const wf = await startTask(cwd, marker, 4)
    process.kill(wf.pid, 'SIGKILL')
    await wf.done()
    expect(markedPids(marker).length, 'SIGKILL of wf alone leaves its tasks').toBeGreaterThan(0)

    const status = await runCli(['status'], { cwd, env: quiet })
    expect(status.code, status.stderr).toBe(0)
    expect(markedPids(marker), 'task processes left after wf status').toEqual([])

    const run = await runCli(['run', '--only', 'quick', '--reporter', 'plain'], { cwd, env: quiet })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/stopped \d+ processes that wf \(pid \d+\) left running/)
    const record = JSON.parse(readFileSync(join(cwd, '.wf', 'runs', '00000001.json'), 'utf8'))
    expect(record.status).toBe('interrupted')
    expect(record.reaped).toEqual([expect.objectContaining({ command: expect.stringContaining(marker) })])
    expect(record.reaped[0].processes).toBeGreaterThanOrEqual(4)
    expect(readdirSync(join(cwd, '.wf', 'tasks'))).toEqual([])
  })

  it('a task that left a background process and ended normally is not stopped by the next command', {
    timeout: 60_000,
  }, async () => {
    const marker = newMarker()
    const running = newMarker()
    const cwd = repo('true')
    // The first task leaves a daemon on purpose; the second is running when wf is killed.
    const plan = `version: 1
phases:
  - id: long
    tasks:
      - run: "sleep ${marker} >/dev/null 2>&1 &"
      - run: "sleep ${running}"
`
    writeFileSync(join(cwd, 'phases', 'plan.yaml'), plan)
    const wf = await startTask(cwd, running, 1)
    markers.push(marker)
    process.kill(wf.pid, 'SIGKILL')
    await wf.done()
    await runCli(['status'], { cwd, env: quiet })
    expect(markedPids(running)).toEqual([])
    expect(markedPids(marker, true).length, 'the finished task’s own background process').toBe(1)
  })
})
