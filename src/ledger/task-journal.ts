// .wf/tasks/<pid>-<start>-<random>.jsonl: the tasks one wf process started and has not seen end,
// so that the next wf can stop those a killed wf left running (see reap-tasks.ts). Each line is
// written at once, without an fsync: after a power cut there is no task left to stop.
import { closeSync, constants, openSync, unlinkSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { RepoBoundary } from '../lib/inside-repo.js'
import {
  canTrackProcesses,
  processStart,
  type TaskEnd,
  type TaskLeader,
  type TaskRecorder,
} from '../lib/process-tree.js'
import { ledgerPaths } from './paths.js'

/** One line of a task journal. */
export type TaskJournalLine =
  | { starting: Pick<TaskLeader, 'token' | 'command'> & { at: string } }
  | { started: TaskLeader & { at: string } }
  | { ended: TaskEnd }
  | { reaped: Pick<TaskLeader, 'pid' | 'start'>; processes: number }
  | { reapedToken: string; processes: number }

/** The folder of task journals. */
export const taskJournalDir = (root: string) => join(ledgerPaths(root).dir, 'tasks')

/** The journal name's owner: the wf process (pid and start time) that wrote it. */
export const JOURNAL_NAME = /^(\d+)-(\d+)-[0-9a-f]+\.jsonl$/

/** This process's journal of the tasks it starts; the file exists from the first task to `close`. */
export class TaskJournal implements TaskRecorder {
  private fd?: number
  private readonly file: string

  constructor(private readonly root: string) {
    this.file = join(
      taskJournalDir(root),
      `${process.pid}-${processStart(process.pid)}-${randomBytes(3).toString('hex')}.jsonl`,
    )
  }

  starting(token: string, command: string): void {
    this.append({ starting: { token, command: command.slice(0, 300), at: new Date().toISOString() } })
  }

  started(leader: TaskLeader): void {
    this.append({ started: { ...leader, command: leader.command.slice(0, 300), at: new Date().toISOString() } })
  }

  ended(leader: TaskEnd): void {
    if (this.fd !== undefined) this.append({ ended: leader })
  }

  /** Removes the journal: every task this process started has ended (or was stopped). */
  close(): void {
    if (this.fd === undefined) return
    closeSync(this.fd)
    this.fd = undefined
    try {
      unlinkSync(this.file)
    } catch {}
  }

  private append(line: TaskJournalLine): void {
    try {
      this.fd ??= openJournal(this.root, this.file, taskJournalDir(this.root))
      writeSync(this.fd, `${JSON.stringify(line)}\n`)
    } catch {
      // A journal that cannot be written costs only the clean-up after a crash, never the run.
    }
  }
}

// The folder is checked level by level (no link out of the repository) and the file opened without
// following a link, like every other write under .wf.
function openJournal(root: string, file: string, dir: string): number {
  new RepoBoundary(root).mkdirSync(dir)
  return openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW)
}

/** A journal for the tasks this process starts, or undefined where processes cannot be tracked (no /proc). */
export function taskJournal(root: string): TaskJournal | undefined {
  return canTrackProcesses() ? new TaskJournal(root) : undefined
}
