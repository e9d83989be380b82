import { lstat } from 'node:fs/promises'
import { join } from 'node:path'
import { mapLimit, READ_AHEAD, toList } from '../lib/files.js'
import type { GitRepository } from '../lib/git.js'
import { parseSize } from '../lib/units.js'
import type { LargeFilesGate } from '../plan/plan.generated.js'
import { type GateKind, WHOLE_TREE } from './gate-kind.js'
import { repositoryFiles } from './repository-files.js'

const SHOWN = 5

const largeFilesOptions = (value: LargeFilesGate['large-files']) =>
  typeof value === 'object' ? value : { max: value, in: undefined, exclude: undefined }

/** `large-files:` — no file git does not ignore is larger than `max` (files Git LFS stores do not count: git holds only a pointer). */
export const largeFilesGate: GateKind<LargeFilesGate> = {
  describe: (gate) => `no file larger than ${largeFilesOptions(gate['large-files']).max}`,
  inputs: (gate) => {
    const within = largeFilesOptions(gate['large-files']).in
    return within ? toList(within) : [WHOLE_TREE]
  },
  perFile: true,
  async check(gate, { root, only, workspace }) {
    const options = largeFilesOptions(gate['large-files'])
    const max = parseSize(options.max)
    const exclude = options.exclude ? toList(options.exclude) : []
    const files = await repositoryFiles(root, workspace.git, { in: options.in, exclude }, only)
    if (only && files.length === 0) return { status: 'passed', message: 'no staged file to check' }
    const sizes = await mapLimit(files, READ_AHEAD, async (file) => {
      const info = await lstat(join(root, file)).catch(() => undefined)
      return info?.isFile() ? info.size : 0
    })
    const over = files.filter((_, i) => sizes[i]! > max)
    const lfs = await lfsFiles(workspace.git, over)
    const large = files
      .flatMap((file, i) => (sizes[i]! > max && !lfs.has(file) ? [{ file, size: sizes[i]! }] : []))
      .sort((a, b) => b.size - a.size || a.file.localeCompare(b.file))
    if (large.length === 0)
      return { status: 'passed', message: `no file larger than ${formatSize(max)} among ${files.length}` }
    const shown = large
      .slice(0, SHOWN)
      .map((f) => `${f.file} (${formatSize(f.size)})`)
      .join(', ')
    const more = large.length > SHOWN ? ` and ${large.length - SHOWN} more` : ''
    return {
      status: 'failed',
      message: `${large.length} ${large.length === 1 ? 'file' : 'files'} larger than ${formatSize(max)}: ${shown}${more}`,
      locations: large.map((f) => ({
        file: f.file,
        message: `${formatSize(f.size)}, over the limit of ${formatSize(max)}`,
      })),
    }
  },
}

/** Which of `files` `.gitattributes` gives to Git LFS (`filter=lfs`), as git itself reads the attributes. */
async function lfsFiles(repository: GitRepository, files: string[]): Promise<Set<string>> {
  const git = files.length === 0 ? undefined : await repository.client()
  if (!git) return new Set()
  const out = await git.raw(['check-attr', '-z', 'filter', '--', ...files]).catch(() => '')
  const fields = out.split('\0')
  const lfs = new Set<string>()
  for (let i = 0; i + 2 < fields.length; i += 3) if (fields[i + 2] === 'lfs') lfs.add(fields[i]!)
  return lfs
}

/** `5.2 MB`, `740 KB`, `12 B` (decimal units, as `5MB` in a plan means 5,000,000 bytes). */
function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ['GB', 1e9],
    ['MB', 1e6],
    ['KB', 1e3],
  ] as const)
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`
  return `${bytes} B`
}
