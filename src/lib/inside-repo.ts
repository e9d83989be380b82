// Reads and writes of paths that come from repository content or plan values never follow a link
// out of the repository. The check is made on an open handle, not on a path: on Linux the kernel
// says where an open file or directory really is (/proc/self/fd/N), and a path under
// /proc/self/fd/N/ is resolved from that directory handle, as openat(2) would. So a write walks
// from the root one directory handle at a time, checks where each really is, and creates its temp
// file (O_EXCL | O_NOFOLLOW) and renames it inside the last checked handle: a directory swapped for
// a link after the check is never entered. Where /proc is missing, paths are checked by realpath
// before and after (a narrow race remains there).
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { open, readFile, realpath, rename, unlink } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { WfError } from './errors.js'
import { toPosix } from './paths.js'
import { writeFailure } from './write-failure.js'

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY
/** Whether the kernel says where an open file is (/proc/self/fd): the same for the whole process. */
const PROC_FDS = process.platform === 'linux' && existsSync('/proc/self/fd')
/**
 * A regular file up to this size is read synchronously: four round trips through the thread pool
 * cost more than reading it. O_NONBLOCK: opening a FIFO must not stop the process (it is read the
 * usual way then).
 */
const SYNC_READ_MAX = 256 * 1024
const SYNC_READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK
/** Folder handles a holding boundary keeps open at most. */
const MAX_HELD = 64
const TMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW

/** A repository-relative path that leads outside the repository through a link, as a WfError naming both. */
export function outsideRepoError(root: string, path: string, verb = 'use'): WfError {
  const rel = toPosix(relative(root, resolve(root, path))) || '.'
  const link = outsideLink(root, path)
  const through = link ? `: ${link.rel} is a link to ${link.target}` : ''
  return new WfError('WF_OUTSIDE_REPO', `cannot ${verb} ${rel}: it leads outside the repository${through}`, {
    hint: link
      ? `wf reads and writes only inside the repository; replace the link ${link.rel} with the file or folder itself (links that stay inside the repository are fine)`
      : 'wf reads and writes only inside the repository; give a path inside it',
  })
}

/** The first link on the way from `root` to `path` whose target lies outside (for error messages only). */
function outsideLink(root: string, path: string): { rel: string; target: string } | undefined {
  const parts = relative(root, resolve(root, path)).split(sep).filter(Boolean)
  let realRoot: string
  try {
    realRoot = realpathSync.native(root)
  } catch {
    return undefined
  }
  for (let i = 1; i <= parts.length; i++) {
    const here = join(root, ...parts.slice(0, i))
    try {
      if (!lstatSync(here).isSymbolicLink()) continue
      const target = readlinkSync(here)
      let real: string
      try {
        real = realpathSync.native(here)
      } catch {
        real = resolve(dirname(here), target)
      }
      if (!within(realRoot, real)) return { rel: toPosix(parts.slice(0, i).join(sep)), target }
    } catch {
      return undefined
    }
  }
  return undefined
}

const within = (root: string, target: string) => {
  const rel = relative(root, target)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/**
 * One repository's boundary: the root's real path (found once) and the reads and writes that refuse
 * to follow a link out of it (WF_OUTSIDE_REPO). Paths are absolute or relative to the root.
 */
export class RepoBoundary {
  private real?: string
  private readonly proc = PROC_FDS
  /** Folder handles kept open by a boundary from `holding()`, by absolute path. */
  private held?: Map<string, number>

  constructor(readonly root: string) {}

  /** The root's real path. */
  get realRoot(): string {
    this.real ??= realpathSync.native(this.root)
    return this.real
  }

  /** True when `path` is lexically inside the root or its real path (the boundary applies only to those). */
  covers(path: string): boolean {
    const abs = resolve(this.root, path)
    return within(this.root, abs) || within(this.realRoot, abs)
  }

  /** The real path of an existing file or folder, refused when it leads outside. */
  async resolve(path: string): Promise<string> {
    const abs = this.absolute(path)
    const real = await realpath(abs)
    if (!within(this.realRoot, real)) throw outsideRepoError(this.root, abs)
    return real
  }

  /** The real path of an existing file or folder, refused when it leads outside (synchronous). */
  resolveSync(path: string): string {
    const abs = this.absolute(path)
    const real = realpathSync.native(abs)
    if (!within(this.realRoot, real)) throw outsideRepoError(this.root, abs)
    return real
  }

  /** Whether an existing path stays inside (false for a path that leads out; missing paths throw ENOENT). */
  async staysInside(path: string): Promise<boolean> {
    // One system call on a path wf is about to use: not worth a round trip through the thread pool.
    return within(this.realRoot, realpathSync.native(this.absolute(path)))
  }

  /** A file's bytes, read only when the file it opens really lies inside the repository. */
  async readFile(path: string): Promise<Buffer>
  async readFile(path: string, encoding: 'utf8'): Promise<string>
  async readFile(path: string, encoding?: 'utf8'): Promise<Buffer | string> {
    const abs = this.absolute(path)
    if (!this.proc) {
      await this.resolve(abs)
      return encoding ? readFile(abs, encoding) : readFile(abs)
    }
    const small = this.readSmallSync(abs, encoding)
    if (small !== undefined) return small
    const file = await open(abs, 'r')
    try {
      if (!within(this.realRoot, readlinkSync(`/proc/self/fd/${file.fd}`)))
        throw outsideRepoError(this.root, abs, 'read')
      return encoding ? await file.readFile(encoding) : await file.readFile()
    } finally {
      await file.close()
    }
  }

  /** A small regular file's content, read at once (undefined for anything else: read it the usual way). */
  private readSmallSync(abs: string, encoding?: 'utf8'): Buffer | string | undefined {
    const fd = openSync(abs, SYNC_READ_FLAGS)
    try {
      if (!within(this.realRoot, readlinkSync(`/proc/self/fd/${fd}`))) throw outsideRepoError(this.root, abs, 'read')
      const stat = fstatSync(fd)
      if (!stat.isFile() || stat.size > SYNC_READ_MAX) return undefined
      return encoding ? readFileSync(fd, encoding) : readFileSync(fd)
    } finally {
      closeSync(fd)
    }
  }

  /**
   * Ensures a folder exists inside the repository (creating what is missing, one level at a time)
   * and returns it; a level that is a link out is refused.
   */
  mkdirSync(path: string): string {
    const abs = this.absolute(path)
    const fd = this.openDirSync(abs, true)
    if (fd !== undefined) closeSync(fd)
    return abs
  }

  /**
   * Writes a file whole (temp file, optional fsync, rename) inside the repository, creating its
   * folder; never through a link out, even one swapped in while it writes.
   */
  async writeFile(
    path: string,
    data: string | Uint8Array,
    options: { durable?: boolean; mode?: number } = {},
  ): Promise<void> {
    const abs = this.absolute(path)
    const { fd, target, tmp } = this.tempBeside(abs)
    let created = false
    try {
      const file = await open(tmp, TMP_FLAGS, 0o666)
      created = true
      try {
        if (options.mode !== undefined) await file.chmod(options.mode)
        await file.writeFile(data)
        if (options.durable !== false) await file.sync()
      } finally {
        await file.close()
      }
      if (fd === undefined) this.recheck(dirname(abs))
      await rename(tmp, target)
    } catch (error) {
      if (created) await unlink(tmp).catch(() => {})
      throw writeFailure(error, { file: toPosix(relative(this.root, abs)) }) ?? error
    } finally {
      if (fd !== undefined && !this.held) closeSync(fd)
    }
  }

  /**
   * Where a whole-file write of `abs` goes: a checked handle on its folder (created when missing;
   * undefined without /proc), the target and a fresh temp name reached through that handle.
   */
  private tempBeside(abs: string): { fd: number | undefined; target: string; tmp: string } {
    const fd = this.held ? this.heldDirSync(this.held, dirname(abs)) : this.openDirSync(dirname(abs), true)
    const dir = fd === undefined ? dirname(abs) : `/proc/self/fd/${fd}`
    const target = `${dir}/${abs.slice(dirname(abs).length + 1)}`
    return { fd, target, tmp: `${target}.${process.pid}-${tempSuffix()}.tmp` }
  }

  /**
   * Calls `use` with a path that reaches the file `path` through a checked handle on its folder
   * (created when missing), so what `use` opens or creates there cannot land outside.
   */
  inFolderSync<T>(path: string, use: (at: string) => T): T {
    const abs = this.absolute(path)
    const fd = this.openDirSync(dirname(abs), true)
    try {
      return use(fd === undefined ? abs : `/proc/self/fd/${fd}/${abs.slice(dirname(abs).length + 1)}`)
    } finally {
      if (fd !== undefined) closeSync(fd)
    }
  }

  /** `writeFile`, synchronously and without fsync (for many small files wf can recreate). */
  writeFileSync(path: string, data: string | Uint8Array): void {
    const abs = this.absolute(path)
    const { fd, target, tmp } = this.tempBeside(abs)
    let created = false
    try {
      const file = openSync(tmp, TMP_FLAGS, 0o666)
      created = true
      try {
        writeAllSync(file, data)
      } finally {
        closeSync(file)
      }
      if (fd === undefined) this.recheck(dirname(abs))
      renameSync(tmp, target)
    } catch (error) {
      if (created)
        try {
          unlinkSync(tmp)
        } catch {}
      throw writeFailure(error, { file: toPosix(relative(this.root, abs)) }) ?? error
    } finally {
      if (fd !== undefined && !this.held) closeSync(fd)
    }
  }

  /**
   * A boundary for writing many files with `writeFileSync`: each folder is opened and checked once
   * and its handle kept until `close()`; before each write the kept handle is checked again (where
   * the folder really is now), so a folder moved out meanwhile is never written into.
   */
  holding(): RepoBoundary & { close(): void } {
    const boundary = new RepoBoundary(this.root)
    boundary.real = this.real
    const held = new Map<string, number>()
    if (this.proc) boundary.held = held
    return Object.assign(boundary, {
      close: () => {
        for (const fd of held.values()) closeSync(fd)
        held.clear()
      },
    })
  }

  /** A kept handle on the folder `abs`, checked again now; opened (and kept) when there is none or it moved. */
  private heldDirSync(held: Map<string, number>, abs: string): number | undefined {
    const kept = held.get(abs)
    if (kept !== undefined) {
      if (within(this.realRoot, readlinkSync(`/proc/self/fd/${kept}`))) return kept
      // Moved or removed since it was opened: walk to it again from the root.
      held.delete(abs)
      closeSync(kept)
    }
    const fd = this.walkDirSync(abs, true)
    if (fd === undefined) return fd
    // A batch writing into many folders keeps only the latest handles open (descriptors are limited).
    if (held.size >= MAX_HELD) {
      const [oldest, handle] = held.entries().next().value!
      held.delete(oldest)
      closeSync(handle)
    }
    held.set(abs, fd)
    return fd
  }

  /**
   * A handle on the folder `abs`, checked to really lie inside (creating missing levels when
   * `create`); undefined without /proc, after a realpath check of the path instead.
   */
  openDirSync(abs: string, create: boolean): number | undefined {
    if (!this.covers(abs)) throw outsideRepoError(this.root, abs)
    return this.walkDirSync(abs, create)
  }

  private walkDirSync(abs: string, create: boolean): number | undefined {
    if (!this.proc) {
      if (create) {
        this.recheckExisting(abs)
        mkdirSync(abs, { recursive: true })
      }
      this.recheck(abs)
      return undefined
    }
    const parts = relative(within(this.root, abs) ? this.root : this.realRoot, abs)
      .split(sep)
      .filter(Boolean)
    let fd = openSync(this.root, DIR_FLAGS)
    try {
      for (const part of parts) {
        const next = `/proc/self/fd/${fd}/${part}`
        let child: number
        try {
          child = openSync(next, DIR_FLAGS)
        } catch (error) {
          if (!create || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
          try {
            mkdirSync(next)
          } catch (made) {
            if ((made as NodeJS.ErrnoException).code !== 'EEXIST') throw made
          }
          child = openSync(next, DIR_FLAGS)
        }
        closeSync(fd)
        fd = child
        if (!within(this.realRoot, readlinkSync(`/proc/self/fd/${fd}`))) throw outsideRepoError(this.root, abs)
      }
      return fd
    } catch (error) {
      closeSync(fd)
      throw error
    }
  }

  private absolute(path: string): string {
    const abs = resolve(this.root, path)
    if (!this.covers(abs)) throw outsideRepoError(this.root, abs)
    return abs
  }

  private recheck(dir: string): void {
    if (!within(this.realRoot, realpathSync.native(dir))) throw outsideRepoError(this.root, dir)
  }

  /** The deepest existing folder on the way to `dir` must lie inside. */
  private recheckExisting(dir: string): void {
    for (let at = dir; within(this.root, at); at = dirname(at)) {
      if (!existsSync(at)) continue
      this.recheck(at)
      return
    }
  }
}

// Temp names are made unique by O_EXCL; the random part only keeps two processes with the same pid
// (in two containers sharing a folder) from taking turns at the same name. One random prefix per
// process and a counter: a random draw per file costs more than the write of a small one.
const TEMP_PREFIX = randomBytes(3).toString('hex')
let tempCounter = 0
const tempSuffix = () => `${TEMP_PREFIX}${(tempCounter++).toString(36)}`

function writeAllSync(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  let done = 0
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done)
}
