import { createHash } from 'node:crypto'
import type { FileHasher } from './files.js'
import { matchFiles } from './files.js'
import { gitClient } from './git.js'

const cache = new Map<string, Promise<string>>()

/**
 * A hash of the whole working tree, computed once per process: in git, the index's blob ids plus
 * the content of modified and untracked files (ignored files and .wf/ are left out); elsewhere,
 * every file's content.
 */
export function repositoryState(root: string, hasher: FileHasher): Promise<string> {
  let state = cache.get(root)
  if (!state) {
    state = compute(root, hasher)
    cache.set(root, state)
  }
  return state
}

/** Forgets the cached state (after tasks changed files). */
export function forgetRepositoryState(root: string): void {
  cache.delete(root)
}

async function compute(root: string, hasher: FileHasher): Promise<string> {
  const hash = createHash('sha256')
  const git = await gitClient(root)
  if (git) {
    hash.update(await git.raw(['ls-files', '--stage', '-z']))
    const changed = (await git.raw(['ls-files', '--modified', '--others', '--deleted', '--exclude-standard', '-z'])).split('\0').filter((p) => p && !p.startsWith('.wf/'))
    for (const path of [...new Set(changed)].sort()) hash.update(`\0${path}\0${(await hasher.hash(path)) ?? 'deleted'}`)
  } else {
    const files = await matchFiles(root, ['**/*'])
    for (const [path, digest] of Object.entries(await hasher.hashAll(files))) hash.update(`\0${path}\0${digest}`)
  }
  return hash.digest('hex').slice(0, 32)
}
