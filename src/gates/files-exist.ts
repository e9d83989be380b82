import { GLOB_CHARS, matchFiles, toList } from '../lib/files.js'
import { outsideRepoError } from '../lib/inside-repo.js'
import type { FilesExistGate } from '../plan/plan.generated.js'
import type { GateKind } from './gate-kind.js'

/** `files-exist:` — every path or glob matches at least one file. */
export const filesExistGate: GateKind<FilesExistGate> = {
  describe: (gate) => `files exist: ${toList(gate['files-exist']).join(', ')}`,
  inputs: (gate) => toList(gate['files-exist']),
  async check(gate, { root, workspace }) {
    const patterns = toList(gate['files-exist'])
    const missing: string[] = []
    const outside: string[] = []
    await Promise.all(
      patterns.map(async (pattern) => {
        if ((await matchFiles(root, [pattern])).length === 0) missing.push(pattern)
        // A file named outright that is a link out of the repository is not a file of the repository.
        else if (!GLOB_CHARS.test(pattern) && !(await workspace.boundary.staysInside(pattern).catch(() => true)))
          outside.push(outsideRepoError(root, pattern, 'count').message)
      }),
    )
    if (outside.length > 0) return { status: 'failed', message: outside.sort().join('; ') }
    if (missing.length === 0)
      return {
        status: 'passed',
        message: `${patterns.length === 1 ? patterns[0] : `all ${patterns.length} files`} present`,
      }
    missing.sort((a, b) => patterns.indexOf(a) - patterns.indexOf(b))
    return { status: 'failed', message: `missing: ${missing.join(', ')}` }
  },
}
