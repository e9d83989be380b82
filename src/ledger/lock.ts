import { randomBytes } from 'node:crypto'
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { WfError } from '../lib/errors.js'

/** Who holds the ledger lock. */
export interface LockInfo {
  pid: number
  host: string
  startedAt: string
  command: string
  token: string
}

export interface Lock {
  info: LockInfo
  release(): Promise<void>
}

export interface AcquireLockOptions {
  /** How long to wait for another writer to finish, in ms (0: do not wait). */
  timeoutMs: number
  command: string
}

/** True unless the process is known to be gone. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function readLock(path: string): Promise<LockInfo | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockInfo
  } catch {
    return undefined
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Takes the one-writer lock of a `.wf` folder: a file created complete and atomically (write a
 * temp file, then `link`, which fails when the lock exists). A lock whose process is gone on
 * this host is taken over; a live one is waited for up to `timeoutMs`, then WF_LEDGER_BUSY.
 */
export async function acquireLock(path: string, options: AcquireLockOptions): Promise<Lock> {
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: options.command,
    token: randomBytes(8).toString('hex'),
  }
  const tmp = `${path}.${process.pid}-${info.token}.tmp`
  const deadline = Date.now() + options.timeoutMs
  try {
    await writeFile(tmp, JSON.stringify(info))
    for (let attempt = 0; ; attempt++) {
      try {
        await link(tmp, path)
        return { info, release: () => releaseLock(path, info.token) }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
      const holder = await readLock(path)
      if (holder && holder.host === info.host && !isProcessAlive(holder.pid)) {
        await breakStaleLock(path, holder)
        continue
      }
      if (Date.now() >= deadline) {
        const who = holder
          ? `\`${holder.command}\` (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})`
          : 'another wf process'
        throw new WfError('WF_LEDGER_BUSY', `the ledger is locked by ${who}`, {
          hint:
            options.timeoutMs > 0
              ? `waited ${Math.round(options.timeoutMs / 1000)}s; wait for it to finish or raise --lock-timeout`
              : 'wait for it to finish, or pass --lock-timeout SECONDS to wait',
        })
      }
      await sleep(Math.min(250, 25 * 2 ** Math.min(attempt, 4)) + Math.random() * 25)
    }
  } finally {
    await unlink(tmp).catch(() => {})
  }
}

/** Removes a lock left by a dead process, taking care not to remove a lock someone took meanwhile. */
async function breakStaleLock(path: string, stale: LockInfo): Promise<void> {
  const aside = `${path}.stale-${randomBytes(4).toString('hex')}`
  try {
    await rename(path, aside)
  } catch {
    return // someone else moved it first
  }
  const moved = await readLock(aside)
  if (moved && moved.token !== stale.token) {
    // A live lock was taken between our read and our rename: put it back unless a new one exists.
    await link(aside, path).catch(() => {})
  }
  await unlink(aside).catch(() => {})
}

async function releaseLock(path: string, token: string): Promise<void> {
  const current = await readLock(path)
  if (current?.token === token) await unlink(path).catch(() => {})
}
