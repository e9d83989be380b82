import { GLOB_CHARS } from '../lib/files.js'
import { outsideRepoError } from '../lib/inside-repo.js'
import type { FilesExistGate } from '../plan/plan.generated.js'
import { fileGateValue, findFiles, inputGlobs } from './file-options.js'
import type { GateKind } from './gate-kind.js'

/** `files-exist:` — every path or glob matches at least one file (not excluded; see `nocase`). */
export const filesExistGate: GateKind<FilesExistGate> = {
  describe: (gate) => `files exist: ${fileGateValue(gate['files-exist']).paths.join(', ')}`,
  inputs: (gate) => {
    const { paths, nocase } = fileGateValue(gate['files-exist'])
    return inputGlobs(paths, nocase)
  },
  async check(gate, { root, workspace }) {
    const { paths: patterns, ...options } = fileGateValue(gate['files-exist'])
    const missing: string[] = []
    const outside: string[] = []
    await Promise.all(
      patterns.map(async (pattern) => {
        const found = await findFiles(root, pattern, options)
        if (found.length === 0) missing.push(pattern)
        // A file named outright that is a link out of the repository is not a file of the repository.
        else if (!GLOB_CHARS.test(pattern))
          for (const file of found)
            if (!(await workspace.boundary.staysInside(file).catch(() => true)))
              outside.push(outsideRepoError(root, file, 'count').message)
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
