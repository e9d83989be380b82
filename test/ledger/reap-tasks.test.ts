// A wf killed between spawning a task and noting its pid left only a `starting` line: the next wf
// still finds the task's processes (by the token in their environment) and stops them.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { reapTasks } from '../../src/ledger/reap-tasks.js'
import { taskJournalDir } from '../../src/ledger/task-journal.js'
import { processStart, TASK_TOKEN_VAR, taskProcesses } from '../../src/lib/process-tree.js'
import { testdir } from '../helpers.js'

const started: number[] = []
afterEach(() => {
  for (const pid of started.splice(0))
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {}
})

/** A task as wf starts one (a session leader carrying a token), whose shell leaves a `setsid` sleep behind. */
function startTask(token: string) {
  const child = spawn('/bin/sh', ['-c', 'setsid sleep 600 & sleep 600'], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, [TASK_TOKEN_VAR]: token },
  })
  started.push(child.pid!)
  return child
}

const alive = (pid: number) => processStart(pid) !== undefined

/** Writes the journal of a wf process that is gone (no process has this pid). */
function deadJournal(root: string, lines: object[]): string {
  const dir = taskJournalDir(root)
  mkdirSync(dir, { recursive: true })
  const file = join(dir, '999999999-12345-abcdef.jsonl')
  writeFileSync(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''))
  return file
}

describe.skipIf(!existsSync('/proc/self/stat'))('reapTasks', () => {
  it('stops a task whose journal says only that it was starting, and notes it for the next writer', async () => {
    const root = testdir({})
    const token = randomBytes(8).toString('hex')
    const child = startTask(token)
    // The shell, its sleep and the `setsid` sleep, all carrying the token.
    for (let i = 0; i < 400 && taskProcesses({ token }).length < 3; i++)
      await new Promise((resolve) => setTimeout(resolve, 25))
    const file = deadJournal(root, [{ starting: { token, command: 'make it', at: new Date().toISOString() } }])

    const reaped = await reapTasks(root)

    expect(reaped.get(999999999)).toEqual([{ pid: 0, command: 'make it', processes: expect.any(Number) }])
    expect(reaped.get(999999999)![0]!.processes).toBe(3)
    expect(alive(child.pid!)).toBe(false)
    expect(taskProcesses({ token })).toEqual([])
    // The next reader stops nothing more, but still reports what was stopped (from the noted line).
    const again = await reapTasks(root, { settle: true })
    expect(again.get(999999999)).toEqual(reaped.get(999999999))
    expect(existsSync(file)).toBe(false)
  })

  it('a task noted as started after `starting` is reaped once, by its pid', async () => {
    const root = testdir({})
    const token = randomBytes(8).toString('hex')
    const child = startTask(token)
    const start = processStart(child.pid!)!
    const at = new Date().toISOString()
    deadJournal(root, [
      { starting: { token, command: 'make it', at } },
      { started: { pid: child.pid, start, token, command: 'make it', at } },
    ])

    const reaped = await reapTasks(root, { settle: true })

    expect(reaped.get(999999999)?.map((task) => task.pid)).toEqual([child.pid])
    expect(alive(child.pid!)).toBe(false)
    expect(readdirSync(taskJournalDir(root))).toEqual([])
  })

  it('leaves alone what a task that ended (noted by its token alone) left running on purpose', async () => {
    const root = testdir({})
    const token = randomBytes(8).toString('hex')
    const child = startTask(token)
    const at = new Date().toISOString()
    deadJournal(root, [{ starting: { token, command: 'make it', at } }, { ended: { token } }])

    const reaped = await reapTasks(root, { settle: true })

    expect(reaped.size).toBe(0)
    expect(alive(child.pid!)).toBe(true)
  })
})
