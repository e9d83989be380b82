import { type FSWatcher, mkdtempSync, rmSync, statfsSync, utimesSync, watch, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// Filesystems whose kernel reports every change to inotify, whoever makes it: local disks, tmpfs,
// overlays. A network or FUSE filesystem can change without an event (another machine wrote it).
const LOCAL_FILESYSTEMS = new Set([
  0xef53, // ext2/3/4
  0x58465342, // xfs
  0x9123683e, // btrfs
  0x01021994, // tmpfs
  0x794c7630, // overlayfs
  0x2fc12fc1, // zfs
  0xf2f52010, // f2fs
])

/** How long the event of the marker file may take before the watch is given up. */
const SETTLE_TIMEOUT_MS = 1000

/** The folder of marker files `settle` touches, its watch, and the touches not yet seen as events. */
interface Marker {
  dir: string
  watcher: FSWatcher
  sent: number
  received: number
  waiting: { target: number; done: () => void }[]
}

/** Folders watched at most: each takes one inotify watch, a limit shared by every process of the user. */
const MAX_FOLDERS = 1000

/**
 * Tells whether anything changed in the folders of a working tree since a moment, from the kernel's
 * change events on each folder (one non-recursive watch per folder, so the caller decides which
 * folders count). Linux on a local filesystem only; anywhere else, after a watch error, or past
 * MAX_FOLDERS it is not `active`, and callers compare stats instead.
 */
export class TreeWatch {
  private readonly watchers = new Map<string, FSWatcher>()
  /** Folders that had an event since they were watched: watched again by the next `cover`, since the folder may have been replaced. */
  private readonly touched = new Set<string>()
  private marker?: Marker
  private changes = 0
  private usable: boolean

  constructor(readonly root: string) {
    this.usable = process.platform === 'linux' && localFilesystem(root)
  }

  /** Whether the events can be trusted: no watch failed. */
  get active(): boolean {
    return this.usable
  }

  /** A count that grows with every change event: equal readings mean no event came between them. */
  get mark(): number {
    return this.changes
  }

  /**
   * Watches exactly these folders (relative to the root; others stop being watched). False when
   * they cannot all be watched; the watch is then given up for good.
   */
  cover(folders: readonly string[]): boolean {
    if (!this.usable) return false
    if (folders.length > MAX_FOLDERS) return this.giveUp()
    const wanted = new Set(folders)
    for (const [folder, watcher] of this.watchers)
      if (!wanted.has(folder) || this.touched.has(folder)) {
        watcher.close()
        this.watchers.delete(folder)
      }
    this.touched.clear()
    for (const folder of wanted) {
      if (this.watchers.has(folder)) continue
      try {
        const watcher = watch(join(this.root, folder), { persistent: false }, () => {
          this.changes++
          this.touched.add(folder)
        })
        watcher.on('error', this.onError)
        this.watchers.set(folder, watcher)
      } catch {
        // Out of inotify watches, or the folder went away: a change event of its parent says the latter.
        return this.giveUp()
      }
    }
    return true
  }

  /**
   * Waits until the events of changes made before this call have been delivered: the kernel queues a
   * change's event before the call that made it returns, and one queue holds the events of every
   * watch, in order. So this touches a marker file of its own (in the system's temp folder, never in
   * the repository) and waits for that event: every event queued before it has been handed over by
   * then. When the marker's event does not come within SETTLE_TIMEOUT_MS (events were dropped), the
   * watch is given up.
   */
  settle(): Promise<void> {
    const marker = this.usable ? this.markerFolder() : undefined
    if (!marker) return Promise.resolve()
    return new Promise((resolve) => {
      const target = ++marker.sent
      const timer = setTimeout(() => {
        this.giveUp()
        resolve()
      }, SETTLE_TIMEOUT_MS)
      marker.waiting.push({
        target,
        done: () => {
          clearTimeout(timer)
          resolve()
        },
      })
      // Two files in turn: the kernel merges an event with the one before it when they are the same.
      const now = new Date()
      try {
        utimesSync(join(marker.dir, `m${target % 2}`), now, now)
      } catch {
        this.giveUp()
      }
    })
  }

  /** Stops watching. */
  close(): void {
    for (const watcher of this.watchers.values()) watcher.close()
    this.watchers.clear()
    this.closeMarker()
  }

  private markerFolder(): Marker | undefined {
    if (this.marker) return this.marker
    let dir: string | undefined
    try {
      dir = mkdtempSync(join(tmpdir(), 'wf-mcp-'))
      for (const name of ['m0', 'm1']) writeFileSync(join(dir, name), '')
      const marker: Marker = { dir, watcher: undefined!, sent: 0, received: 0, waiting: [] }
      marker.watcher = watch(dir, { persistent: false }, () => {
        marker.received++
        const done = marker.waiting.filter((w) => w.target <= marker.received)
        marker.waiting = marker.waiting.filter((w) => w.target > marker.received)
        for (const waiter of done) waiter.done()
      })
      marker.watcher.on('error', this.onError)
      this.marker = marker
      return marker
    } catch {
      if (dir) rmSync(dir, { recursive: true, force: true })
      this.giveUp()
      return undefined
    }
  }

  private closeMarker(): void {
    const marker = this.marker
    if (!marker) return
    this.marker = undefined
    marker.watcher.close()
    rmSync(marker.dir, { recursive: true, force: true })
    for (const waiter of marker.waiting) waiter.done()
  }

  private readonly onError = () => {
    this.giveUp()
  }

  private giveUp(): false {
    this.usable = false
    this.changes++
    this.close()
    return false
  }
}

function localFilesystem(root: string): boolean {
  try {
    return LOCAL_FILESYSTEMS.has(Number(statfsSync(root).type))
  } catch {
    return false
  }
}
