// Finding every process a task started, also those that left its process group: `setsid` makes a
// new session and group, which a group kill does not reach. On Linux /proc says each process's
// parent, group and session, and its environment carries the task's token (WF_TASK_ID), which
// survives the death of the parent that would link it to the task. Elsewhere only the group is known.
import { readdirSync, readFileSync } from 'node:fs'

/** The variable each task's processes carry in their environment, naming the task. */
export const TASK_TOKEN_VAR = 'WF_TASK_ID'

/** A process as /proc/<pid>/stat describes it; `start` is in clock ticks since boot. */
export interface ProcessInfo {
  pid: number
  ppid: number
  pgid: number
  sid: number
  start: number
}

/** A process, as /proc/<pid>/stat says; undefined when it is gone (or there is no /proc). */
export function readProcess(pid: number): ProcessInfo | undefined {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1')
  } catch {
    return undefined
  }
  // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3 (state); ppid is field 4, pgrp 5, session 6, starttime 22.
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined
  return {
    pid,
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    sid: Number(fields[3]),
    start: Number(fields[19]),
  }
}

/** When a process started (clock ticks since boot), to tell it from a later process given the same pid. */
export function processStart(pid: number): number | undefined {
  return readProcess(pid)?.start
}

/** True where /proc describes processes (Linux). */
export function canTrackProcesses(): boolean {
  return readProcess(process.pid) !== undefined
}

/** Every live process /proc lists (none without /proc); zombies are left out. */
export function listProcesses(): ProcessInfo[] {
  let names: string[]
  try {
    names = readdirSync('/proc')
  } catch {
    return []
  }
  const list: ProcessInfo[] = []
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue
    const info = readProcess(Number(name))
    if (info) list.push(info)
  }
  return list
}

function carriesToken(pid: number, token: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${TASK_TOKEN_VAR}=${token}`)
  } catch {
    return false
  }
}

export interface TaskTree {
  /** The task's first process: the leader of its process group and session (unknown once its pid went to another process). */
  leader?: number
  /** The task's token (see TASK_TOKEN_VAR). */
  token?: string
  /** When the leader started: a process that started earlier is not the task's (its pid was reused). */
  since?: number
}

/**
 * The processes of a task: those in its leader's process group or session, those carrying its token
 * in their environment, and every descendant of these (a `setsid` child is found through its parent
 * while that lives, and through the token after). Never this process.
 */
export function taskProcesses(task: TaskTree, list = listProcesses()): ProcessInfo[] {
  const since = task.since ?? 0
  const found = new Map<number, ProcessInfo>()
  const children = new Map<number, ProcessInfo[]>()
  for (const info of list) {
    if (info.pid === process.pid || info.start < since) continue
    children.set(info.ppid, [...(children.get(info.ppid) ?? []), info])
    if (
      (task.leader && (info.pid === task.leader || info.pgid === task.leader || info.sid === task.leader)) ||
      (task.token && carriesToken(info.pid, task.token))
    )
      found.set(info.pid, info)
  }
  const queue = [...found.values()]
  for (let info = queue.pop(); info; info = queue.pop())
    for (const child of children.get(info.pid) ?? [])
      if (!found.has(child.pid)) {
        found.set(child.pid, child)
        queue.push(child)
      }
  return [...found.values()]
}

/**
 * Sends `signal` to a task's process group and to each of its processes: those found now and those
 * in `known` (found by an earlier call, which may since have lost the parent that linked them),
 * each only if it is still the process that was found. Returns every process it signalled, to pass
 * as `known` next time.
 */
export function signalTask(task: TaskTree, signal: NodeJS.Signals, known: readonly ProcessInfo[] = []): ProcessInfo[] {
  // The leader's pid went to another process: its old group and session are gone (the kernel keeps
  // a pid while a group or session has it), so only the token can find what is left.
  const leaderStart = task.leader && task.since !== undefined ? processStart(task.leader) : undefined
  if (leaderStart !== undefined && leaderStart !== task.since) task = { ...task, leader: undefined }
  // Found before any is signalled: a parent that dies first would leave its children unlinked.
  const now = taskProcesses(task)
  if (task.leader)
    try {
      process.kill(-task.leader, signal)
    } catch {
      try {
        process.kill(task.leader, signal)
      } catch {}
    }
  const seen = new Set(now.map((info) => info.pid))
  const all = [...now, ...known.filter((info) => !seen.has(info.pid) && processStart(info.pid) === info.start)]
  for (const info of all) {
    try {
      process.kill(info.pid, signal)
    } catch {}
  }
  return all
}

/** A task's first process, as wf notes it when the task starts. */
export interface TaskLeader {
  pid: number
  /** When it started (see `processStart`). */
  start: number
  token: string
  command: string
}

/** What names a task that ended: its leader (pid and start), its token, or both. */
export type TaskEnd = Partial<Pick<TaskLeader, 'pid' | 'start' | 'token'>>

/** Notes when tasks start and end, so that a later wf can stop those a killed wf left running. */
export interface TaskRecorder {
  /** Before a task's process is spawned: a wf killed before it notes `started` still names the token its processes carry. */
  starting?(token: string, command: string): void
  started(leader: TaskLeader): void
  /** A task ended: by its leader when `started` noted one, by its token when only `starting` did. */
  ended(leader: TaskEnd): void
  /** Every task it noted has ended. */
  close?(): void
}
