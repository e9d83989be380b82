import { appendFile, readdir, readFile, unlink } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { join } from 'node:path'
import { type ProcessInfo, processStart, signalTask, type TaskLeader, type TaskTree } from '../lib/process-tree.js'
import { JOURNAL_NAME, taskJournalDir, type TaskJournalLine } from './task-journal.js'

/** A task a wf process that is gone left running, and how many of its processes were stopped. */
export interface ReapedTask {
  pid: number
  command: string
  processes: number
}

/** How long the processes of a left task get to end after SIGTERM, before SIGKILL. */
const REAP_GRACE_MS = 1000

interface LeftTask {
  tree: TaskTree
  command: string
  open: boolean
  processes: number
}

/**
 * Stops the tasks that wf processes now gone (killed) left running, as their journals in
 * .wf/tasks/ name them: SIGTERM to every process of each task (its group, its session, its
 * descendants, those carrying its token), SIGKILL after a grace period. A process whose pid went
 * to another program since is never touched. Returns what was stopped, by the dead wf's pid.
 * `settle` (under the ledger's lock) removes the journals; otherwise what was stopped is noted in
 * them, for the writer that records the dead run.
 */
export async function reapTasks(root: string, options: { settle?: boolean } = {}): Promise<Map<number, ReapedTask[]>> {
  const dir = taskJournalDir(root)
  const names = await readdir(dir).catch(() => [] as string[])
  const result = new Map<number, ReapedTask[]>()
  for (const name of names) {
    const owner = JOURNAL_NAME.exec(name)
    if (!owner) continue
    const pid = Number(owner[1])
    // Its owner still runs (or this is ours): its tasks are its own business.
    if (pid === process.pid || String(processStart(pid)) === owner[2]) continue
    const file = join(dir, name)
    const tasks = readJournal(await readFile(file, 'utf8').catch(() => ''))
    const stopped = await stopTasks([...tasks.values()].filter((task) => task.open))
    if (!options.settle && stopped.size)
      await appendFile(
        file,
        [...stopped].map(([task, processes]) => `${JSON.stringify(reapedLine(task, processes))}\n`).join(''),
      ).catch(() => {})
    for (const [task, processes] of stopped) task.processes += processes
    const reaped = [...tasks.values()]
      .filter((task) => task.processes > 0)
      .map((task) => ({ pid: task.tree.leader ?? 0, command: task.command, processes: task.processes }))
    if (reaped.length) result.set(pid, [...(result.get(pid) ?? []), ...reaped])
    if (options.settle) await unlink(file).catch(() => {})
  }
  return result
}

function reapedLine(task: LeftTask, processes: number): TaskJournalLine {
  return task.tree.leader === undefined
    ? { reapedToken: task.tree.token!, processes }
    : { reaped: { pid: task.tree.leader, start: task.tree.since! }, processes }
}

const keyOf = (leader: Pick<TaskLeader, 'pid' | 'start'>) => `${leader.pid}:${leader.start}`

/** The tasks a journal names, by leader pid and start; `open` when not seen to end. */
function readJournal(text: string): Map<string, LeftTask> {
  const tasks = new Map<string, LeftTask>()
  for (const raw of text.split('\n')) {
    let line: TaskJournalLine
    try {
      line = JSON.parse(raw) as TaskJournalLine
    } catch {
      continue
    }
    if ('starting' in line) {
      // Spawned, perhaps, but not yet noted as started: only the token can find its processes.
      const { token, command } = line.starting
      if (typeof token === 'string' && token)
        tasks.set(`token:${token}`, { tree: { token }, command: String(command ?? ''), open: true, processes: 0 })
    } else if ('started' in line) {
      const { pid, start, token, command } = line.started
      if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(start) || typeof token !== 'string') continue
      tasks.delete(`token:${token}`)
      const known = tasks.get(keyOf(line.started))
      if (known) known.open = true
      else
        tasks.set(keyOf(line.started), {
          tree: { leader: pid, token, since: start },
          command: String(command ?? ''),
          open: true,
          processes: 0,
        })
    } else if ('ended' in line) {
      const { pid, start, token } = line.ended
      for (const task of [tasks.get(keyOf({ pid: pid!, start: start! })), tasks.get(`token:${token}`)])
        if (task) task.open = false
    } else {
      const task = tasks.get('reapedToken' in line ? `token:${line.reapedToken}` : keyOf(line.reaped))
      if (!task) continue
      task.open = false
      if (Number.isInteger(line.processes)) task.processes += line.processes
    }
  }
  return tasks
}

/** Stops the tasks' processes; says how many processes of each it found. */
async function stopTasks(tasks: LeftTask[]): Promise<Map<LeftTask, number>> {
  const stopped = new Map<LeftTask, number>()
  const found = new Map<TaskTree, ProcessInfo[]>()
  for (const task of tasks) {
    const tree = task.tree
    const processes = signalTask(tree, 'SIGTERM')
    if (processes.length) found.set(tree, processes)
    stopped.set(task, processes.length)
  }
  for (let waited = 0; waited < REAP_GRACE_MS && [...found.values()].some(alive); waited += 50) await sleep(50)
  for (const [tree, processes] of found) if (alive(processes)) signalTask(tree, 'SIGKILL', processes)
  for (const [task, count] of stopped) if (count === 0) stopped.delete(task)
  return stopped
}

function alive(processes: readonly ProcessInfo[]): boolean {
  return processes.some((info) => processStart(info.pid) === info.start)
}
