// Real processes, found through /proc: what a task left behind, and what is not the task's.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import {
  listProcesses,
  processStart,
  readProcess,
  signalTask,
  TASK_TOKEN_VAR,
  taskProcesses,
} from '../../src/lib/process-tree.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const started: number[] = []
afterEach(() => {
  for (const pid of started.splice(0))
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {}
})

/** Starts `script` in a shell that leads a new session (as wf starts a task), with a token. */
function startTask(script: string) {
  const token = randomBytes(8).toString('hex')
  const child = spawn('/bin/sh', ['-c', script], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, [TASK_TOKEN_VAR]: token },
  })
  started.push(child.pid!)
  return { pid: child.pid!, token, since: processStart(child.pid!)! }
}

async function waitFor(probe: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !probe(); i++) await sleep(25)
}

describe.skipIf(!existsSync('/proc/self/stat'))('process-tree', () => {
  it('reads a process: its parent, group, session and start', () => {
    const self = readProcess(process.pid)!
    expect(self).toMatchObject({ pid: process.pid, ppid: process.ppid })
    expect(self.start).toBeGreaterThan(0)
    expect(listProcesses().some((p) => p.pid === process.pid)).toBe(true)
  })

  it('finds a setsid grandchild through its parent, and by its token once the parent is gone', async () => {
    const task = startTask('setsid sleep 600 & echo $! > /dev/null; exec sleep 600')
    await waitFor(() => taskProcesses({ leader: task.pid, since: task.since }).length >= 2)
    const tree = taskProcesses({ leader: task.pid, since: task.since })
    const outside = tree.filter((p) => p.sid !== task.pid)
    expect(outside, 'the setsid child, found through its parent').toHaveLength(1)
    started.push(outside[0]!.pid)
    process.kill(task.pid, 'SIGKILL')
    await waitFor(() => processStart(task.pid) === undefined)
    expect(taskProcesses({ leader: task.pid, since: task.since }).map((p) => p.pid)).toEqual([])
    expect(taskProcesses({ leader: task.pid, token: task.token, since: task.since }).map((p) => p.pid)).toEqual([
      outside[0]!.pid,
    ])
  })

  it('never signals a process that got a recorded pid later (its start time differs)', async () => {
    const task = startTask('exec sleep 600')
    await waitFor(() => readProcess(task.pid) !== undefined)
    // The record says the leader started earlier than the process now holding its pid.
    const signalled = signalTask({ leader: task.pid, since: task.since - 1 }, 'SIGKILL')
    expect(signalled).toEqual([])
    await sleep(100)
    expect(processStart(task.pid)).toBe(task.since)
    expect(signalTask({ leader: task.pid, since: task.since }, 'SIGKILL').map((p) => p.pid)).toEqual([task.pid])
  })
})
