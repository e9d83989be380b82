import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import { join } from 'node:path'
import { toList } from '../lib/files.js'
import type { BinariesGate } from '../plan/plan.generated.js'
import { binaryKind, HEAD_BYTES } from './binary-kind.js'
import { type GateKind, WHOLE_TREE } from './gate-kind.js'
import { repositoryFiles } from './repository-files.js'

const SHOWN = 5
const CHUNK = 256

const binariesOptions = (value: BinariesGate['binaries']) => (value === true ? {} : value)

/** `binaries:` — no file git does not ignore is a binary artifact (by its first bytes, or by extension and non-text content), except those `allow` names. */
export const binariesGate: GateKind<BinariesGate> = {
  describe: (gate) => {
    const { in: within } = binariesOptions(gate.binaries)
    return `no binary artifacts${within ? ` in ${toList(within).join(', ')}` : ''}`
  },
  inputs: (gate) => {
    const { in: within } = binariesOptions(gate.binaries)
    return within ? toList(within) : [WHOLE_TREE]
  },
  perFile: true,
  async check(gate, { root, only, workspace, signal }) {
    const options = binariesOptions(gate.binaries)
    const exclude = [...toList(options.exclude ?? []), ...toList(options.allow ?? [])]
    const files = await repositoryFiles(root, workspace.git, { in: options.in, exclude }, only)
    if (only && files.length === 0) return { status: 'passed', message: 'no staged file to check' }
    const heads = await readHeads(root, files, signal)
    const kinds = files.map((file, i) => binaryKind(file, heads[i]!))
    const found = files.flatMap((file, i) => (kinds[i] ? [{ file, message: kinds[i] }] : []))
    if (found.length === 0)
      return {
        status: 'passed',
        message: `no binary artifact among ${files.length} ${files.length === 1 ? 'file' : 'files'}`,
      }
    const shown = found
      .slice(0, SHOWN)
      .map((f) => `${f.file} (${f.message})`)
      .join(', ')
    const more = found.length > SHOWN ? ` and ${found.length - SHOWN} more` : ''
    return {
      status: 'failed',
      message: `${found.length} binary ${found.length === 1 ? 'artifact' : 'artifacts'}: ${shown}${more}`,
      locations: found,
    }
  },
}

/**
 * The first HEAD_BYTES of each regular file (empty for anything else), read synchronously in
 * chunks: four system calls a file and no round trip through the thread pool, which is what
 * dominates over thousands of small files; the event loop gets a turn between chunks.
 */
async function readHeads(root: string, files: readonly string[], signal: AbortSignal): Promise<Uint8Array[]> {
  const heads: Uint8Array[] = []
  const buffer = Buffer.alloc(HEAD_BYTES)
  for (let start = 0; start < files.length; start += CHUNK) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve))
    signal.throwIfAborted()
    for (const file of files.slice(start, start + CHUNK)) heads.push(readHead(join(root, file), buffer))
  }
  return heads
}

function readHead(path: string, buffer: Buffer): Uint8Array {
  let fd: number | undefined
  try {
    // Not through a link (it may lead out of the repository), nor blocking on a FIFO.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0))
    if (!fstatSync(fd).isFile()) return new Uint8Array()
    return Uint8Array.from(buffer.subarray(0, readSync(fd, buffer, 0, HEAD_BYTES, 0)))
  } catch {
    return new Uint8Array()
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
