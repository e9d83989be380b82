// The entry of a secret-scan worker thread (dist/secret-worker.cjs): reads the files it is sent and
// scans them with the built-in detectors; see secret-pool.ts for the other side.
import { parentPort } from 'node:worker_threads'
import { readTextSync } from './read-text.js'
import { loadSecretScanner } from './secret-detectors.js'
import type { FileScan, ScanReply, ScanRequest } from './secret-pool.js'

const port = parentPort
if (!port) throw new Error('secret-worker runs in a worker thread')
port.on('message', async ({ id, paths, keepText }: ScanRequest) => {
  let reply: ScanReply
  try {
    const scanner = await loadSecretScanner()
    const scans: (FileScan | undefined)[] = []
    for (const path of paths) {
      const text = readTextSync(path)
      if (text === undefined) scans.push(undefined)
      else {
        const detections = await scanner(path, text)
        scans.push({ text: keepText || detections.length > 0 ? text : undefined, detections })
      }
    }
    reply = { id, scans }
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) }
  }
  port.postMessage(reply)
})
