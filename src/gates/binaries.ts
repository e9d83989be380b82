import { lstat, open } from 'node:fs/promises'
import { join } from 'node:path'
import { mapLimit, READ_AHEAD, toList } from '../lib/files.js'
import type { BinariesGate } from '../plan/plan.generated.js'
import { binaryKind, HEAD_BYTES } from './binary-kind.js'
import { type GateKind, WHOLE_TREE } from './gate-kind.js'
import { repositoryFiles } from './repository-files.js'

const SHOWN = 5

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
  async check(gate, { root, only, workspace }) {
    const options = binariesOptions(gate.binaries)
    const exclude = [...toList(options.exclude ?? []), ...toList(options.allow ?? [])]
    const files = await repositoryFiles(root, workspace.git, { in: options.in, exclude }, only)
    if (only && files.length === 0) return { status: 'passed', message: 'no staged file to check' }
    const kinds = await mapLimit(files, READ_AHEAD, async (file) => binaryKind(file, await readHead(join(root, file))))
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

/** The first HEAD_BYTES of a regular file (empty for anything else): a big binary costs no more than a small one. */
async function readHead(path: string): Promise<Uint8Array> {
  // Not through a link (it may lead out of the repository), nor a FIFO (opening one waits for a writer).
  if (!(await lstat(path).catch(() => undefined))?.isFile()) return new Uint8Array()
  const handle = await open(path, 'r').catch(() => undefined)
  if (!handle) return new Uint8Array()
  try {
    const buffer = Buffer.alloc(HEAD_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}
