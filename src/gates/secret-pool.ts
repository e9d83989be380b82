import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import type { Worker } from 'node:worker_threads'
import { once } from '../lib/memo.js'
import type { Detection } from './secret-detectors.js'

/** What one file's scan found: its secrets, and its text when asked for or when it has secrets. */
export interface FileScan {
  text?: string
  detections: Detection[]
}

/** Files sent to a worker: `keepText` asks for their texts back even when they hold no secret. */
export interface ScanRequest {
  id: number
  paths: string[]
  keepText: boolean
}

/** A worker's answer: each file's scan (undefined when it is not scanned), in the order sent. */
export type ScanReply = { id: number; scans?: (FileScan | undefined)[]; error?: string }

/** Reads and scans files for secrets in worker threads: undefined for a file that is not scanned. */
export interface SecretPool {
  scan(path: string): Promise<FileScan | undefined>
  close(): Promise<void>
}

/** Files sent to a worker in one message. */
const CHUNK = 16

/**
 * How many worker threads a large scan may start: `WF_SCAN_THREADS` when set (`forced`: from the
 * first file, whatever the size; 0 turns them off), else one a core up to 4 (none on one core).
 * None without the bundled worker, as when src/ runs unbundled.
 */
export function scanThreads(): { count: number; forced: boolean } {
  if (!bundled()) return { count: 0, forced: false }
  const set = process.env.WF_SCAN_THREADS
  if (set !== undefined && set !== '') return { count: Math.max(0, Math.floor(Number(set)) || 0), forced: true }
  const cores = availableParallelism()
  return { count: cores > 1 ? Math.min(cores, 4) : 0, forced: false }
}

// Beside the bundle (dist/cli.cjs), which the build writes the worker next to.
const BUNDLED_WORKER = join(dirname(fileURLToPath(import.meta.url)), 'secret-worker.cjs')
const bundled = once(() => existsSync(BUNDLED_WORKER))

type Waiting = { resolve: (scan: FileScan | undefined) => void; reject: (e: Error) => void }

/**
 * `size` worker threads running dist/secret-worker.cjs (or `workerFile`): files are sent in chunks,
 * each to the worker with the fewest files in hand. `keepText` asks for every text back.
 */
export function secretPool(size: number, keepText: boolean, workerFile = BUNDLED_WORKER): SecretPool {
  const sent = new Map<number, Waiting[]>()
  const busy = new Map<Worker, Map<number, number>>()
  let chunk: { paths: string[]; waiting: Waiting[] } | undefined
  let nextId = 0
  const fail = (worker: Worker, error: Error) => {
    for (const id of busy.get(worker)?.keys() ?? []) for (const w of sent.get(id) ?? []) w.reject(error)
    busy.delete(worker)
  }
  const load = (ids: Map<number, number>) => {
    let n = 0
    for (const count of ids.values()) n += count
    return n
  }
  const flush = () => {
    if (!chunk) return
    const { paths, waiting } = chunk
    chunk = undefined
    let least: Worker | undefined
    for (const worker of busy.keys()) if (!least || load(busy.get(worker)!) < load(busy.get(least)!)) least = worker
    if (!least) {
      for (const w of waiting) w.reject(new Error('no secret-scan worker is running'))
      return
    }
    const id = nextId++
    sent.set(id, waiting)
    busy.get(least)!.set(id, paths.length)
    const request: ScanRequest = { id, paths, keepText }
    least.postMessage(request)
  }
  for (let i = 0; i < size; i++) {
    // Loaded when a pool starts, not with every command that could scan.
    const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads')
    const worker = new Worker(workerFile)
    busy.set(worker, new Map())
    worker.on('message', ({ id, scans, error }: ScanReply) => {
      const waiting = sent.get(id) ?? []
      sent.delete(id)
      busy.get(worker)?.delete(id)
      for (const [i, w] of waiting.entries()) {
        if (error !== undefined) w.reject(new Error(error))
        else w.resolve(scans![i])
      }
    })
    worker.on('error', (error) => fail(worker, error))
    worker.on('exit', (code) => fail(worker, new Error(`a secret-scan worker stopped (exit code ${code})`)))
  }
  return {
    scan(path) {
      return new Promise((resolve, reject) => {
        if (!chunk) {
          chunk = { paths: [], waiting: [] }
          // What is asked for in one turn of the event loop goes out together, at most CHUNK files a message.
          setImmediate(flush)
        }
        chunk.paths.push(path)
        chunk.waiting.push({ resolve, reject })
        if (chunk.paths.length >= CHUNK) flush()
      })
    },
    async close() {
      const workers = [...busy.keys()]
      busy.clear()
      await Promise.all(workers.map((worker) => worker.terminate()))
    },
  }
}
