import type { FilesAbsentGate } from '../plan/plan.generated.js'
import { fileGateValue, findFiles, inputGlobs } from './file-options.js'
import type { GateKind } from './gate-kind.js'

/** `files-absent:` — no file (not excluded; see `nocase`) matches any of the paths or globs. */
export const filesAbsentGate: GateKind<FilesAbsentGate> = {
  describe: (gate) => `files absent: ${fileGateValue(gate['files-absent']).paths.join(', ')}`,
  inputs: (gate) => {
    const { paths, nocase } = fileGateValue(gate['files-absent'])
    return inputGlobs(paths, nocase)
  },
  perFile: true,
  async check(gate, { root, only }) {
    const { paths, ...options } = fileGateValue(gate['files-absent'])
    const found = [...new Set((await Promise.all(paths.map((p) => findFiles(root, p, options, only)))).flat())].sort()
    if (found.length === 0) return { status: 'passed', message: 'none present' }
    const shown = found.slice(0, 10).join(', ') + (found.length > 10 ? ` and ${found.length - 10} more` : '')
    return {
      status: 'failed',
      message: `${found.length} forbidden ${found.length === 1 ? 'file' : 'files'} present: ${shown}`,
      locations: found.map((file) => ({ file, message: 'this file must not be in the repository' })),
    }
  },
}
