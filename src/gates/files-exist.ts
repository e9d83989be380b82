import { matchFiles } from '../engine/files.js'
import type { FilesExistGate } from '../plan/plan.generated.js'
import type { GateKind } from './gate-kind.js'

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value])

/** `files-exist:` — every path or glob matches at least one file. */
export const filesExistGate: GateKind<FilesExistGate> = {
  describe: (gate) => `files exist: ${list(gate['files-exist']).join(', ')}`,
  inputs: (gate) => list(gate['files-exist']),
  async check(gate, { root }) {
    const patterns = list(gate['files-exist'])
    const missing: string[] = []
    await Promise.all(patterns.map(async (pattern) => {
      if ((await matchFiles(root, [pattern])).length === 0) missing.push(pattern)
    }))
    if (missing.length === 0) return { status: 'passed', message: `${patterns.length === 1 ? patterns[0] : `all ${patterns.length} files`} present` }
    missing.sort((a, b) => patterns.indexOf(a) - patterns.indexOf(b))
    return { status: 'failed', message: `missing: ${missing.join(', ')}` }
  },
}
