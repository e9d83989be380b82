// Signals to a spawned `wf run` while a task runs: what needs real processes (see signal-kit.ts).
// Twenty rounds of the same run in the soak suite (test/soak/signals.test.ts).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { hasStackTrace } from '../helpers.js'
import { killMarked, linux, marked, markedPids, newMarker, quiet, repo, sleep, startTask } from './signal-kit.js'

afterEach(killMarked)

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
    marked(marker)
    process.kill(wf.pid, 'SIGKILL')
    await wf.done()
    await runCli(['status'], { cwd, env: quiet })
    expect(markedPids(running)).toEqual([])
    expect(markedPids(marker, true).length, 'the finished task’s own background process').toBe(1)
  })
})
