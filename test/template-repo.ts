// A repository as template tests need it, and the built-in template library they check against.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { git, gitRepo, repoRoot } from './helpers.js'

/** The built-in template library's manifest (templates/library.json). */
export const library = JSON.parse(readFileSync(join(repoRoot, 'templates/library.json'), 'utf8')) as {
  templates: Record<string, { to: string; vars?: Record<string, { default?: unknown }> }>
}

/** A git repository with an origin remote and a user, as templates read facts from them. */
export function templateRepo(files: Record<string, string> = {}): string {
  const cwd = gitRepo({
    'README.md': '# widgets\n\nWidgets and gadgets for the Acme platform.\n',
    '.gitignore': '.wf/\n',
    ...files,
  })
  git(cwd, 'remote', 'add', 'origin', 'git@github.com:acme/widgets.git')
  git(cwd, 'config', 'user.name', 'Ada Lovelace')
  git(cwd, 'config', 'user.email', 'ada@acme.dev')
  return cwd
}

/** A file of the repository, as text. */
export const read = (cwd: string, path: string) => readFileSync(join(cwd, path), 'utf8')

/** A plan with one phase `files` holding these task lines (and gate lines). */
export const filesPlan = (tasks: string, gates = '') =>
  `version: 1\nphases:\n  - id: files\n    tasks:\n${tasks}${gates ? `    gates:\n${gates}` : ''}`
