import { candidateFiles, toList } from '../lib/files.js'
import type { FilesAbsentGate } from '../plan/plan.generated.js'
import type { GateKind } from './gate-kind.js'

/** `files-absent:` — no file matches any of the paths or globs. */
export const filesAbsentGate: GateKind<FilesAbsentGate> = {
  describe: (gate) => `files absent: ${toList(gate['files-absent']).join(', ')}`,
  inputs: (gate) => toList(gate['files-absent']),
  perFile: true,
  async check(gate, { root, only }) {
    const found = await candidateFiles(root, toList(gate['files-absent']), only)
    if (found.length === 0) return { status: 'passed', message: 'none present' }
    const shown = found.slice(0, 10).join(', ') + (found.length > 10 ? ` and ${found.length - 10} more` : '')
    return {
      status: 'failed',
      message: `${found.length} forbidden ${found.length === 1 ? 'file' : 'files'} present: ${shown}`,
      locations: found.map((file) => ({ file, message: 'this file must not be in the repository' })),
    }
  },
}
