import { ALWAYS_IGNORED, candidateFiles, matchFiles, toList } from '../lib/files.js'
import type { GitRepository } from '../lib/git.js'

/** Which of the repository's files a whole-tree gate looks at: `in` globs (default: all) less `exclude` globs. */
export interface RepositoryFilesOptions {
  in?: string | string[]
  exclude?: string[]
}

/**
 * Every file git does not ignore (or every file outside git), or just `only`, narrowed by `in`
 * and less `exclude` and what wf never looks into; sorted.
 */
export async function repositoryFiles(
  root: string,
  repository: GitRepository,
  options: RepositoryFilesOptions,
  only?: string[],
): Promise<string[]> {
  let files = only ?? (await notIgnoredFiles(root, repository))
  if (options.in) files = await candidateFiles(root, toList(options.in), files)
  const left = new Set(await candidateFiles(root, [...ALWAYS_IGNORED, ...(options.exclude ?? [])], files))
  return files.filter((f) => !left.has(f)).sort()
}

async function notIgnoredFiles(root: string, repository: GitRepository): Promise<string[]> {
  const git = await repository.client()
  if (!git) return matchFiles(root, ['**/*'])
  const out = await git.raw(['ls-files', '--cached', '--others', '--exclude-standard', '-z'])
  return [...new Set(out.split('\0').filter(Boolean))]
}
