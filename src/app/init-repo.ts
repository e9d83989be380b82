import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { WfError } from '../lib/errors.js'
import { RepoBoundary } from '../lib/inside-repo.js'
import { packageRoot } from '../lib/package-root.js'
import { starterFiles } from './starter.js'

export interface InitOptions {
  cwd: string
  force?: boolean
}

export interface InitResult {
  root: string
  written: string[]
  gitignore: 'added' | 'present'
}

function gitRoot(cwd: string): string | undefined {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir
    if (dirname(dir) === dir) return undefined
  }
}

/** Writes the starter plan into the repository containing `cwd`; refuses to overwrite unless `force`. */
export function initRepo(options: InitOptions): InitResult {
  const root = gitRoot(options.cwd)
  if (!root)
    throw new WfError('WF_NOT_A_REPO', `${options.cwd} is not inside a git repository`, {
      hint: 'run `git init` first, or pass --cwd with a repository',
    })
  const installed = join(root, 'node_modules', 'wf', 'contracts', 'plan.schema.json')
  const schemaRef = existsSync(installed)
    ? '../node_modules/wf/contracts/plan.schema.json'
    : relative(join(root, 'phases'), join(packageRoot, 'contracts', 'plan.schema.json')).startsWith('..' + '/' + '..')
      ? undefined
      : relative(join(root, 'phases'), join(packageRoot, 'contracts', 'plan.schema.json'))
  const files = starterFiles({
    project: basename(root)
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-'),
    schemaRef,
  })
  const existing = Object.keys(files).filter((f) => existsSync(join(root, f)))
  if (existing.length > 0 && !options.force) {
    throw new WfError('WF_INIT_EXISTS', `these files already exist: ${existing.join(', ')}`, {
      hint: 'nothing was written; pass --force to overwrite them',
    })
  }
  // phases/, templates/ and .gitignore are written inside the repository, never through a link out of it.
  const boundary = new RepoBoundary(root)
  for (const [file, content] of Object.entries(files)) boundary.writeFileSync(file, content)
  const gitignorePath = join(root, '.gitignore')
  const current = existsSync(gitignorePath) ? readFileSync(boundary.resolveSync(gitignorePath), 'utf8') : ''
  const present = current.split(/\r?\n/).some((line) => ['.wf', '.wf/', '/.wf', '/.wf/'].includes(line.trim()))
  if (!present)
    boundary.writeFileSync(
      gitignorePath,
      `${current}${current && !current.endsWith('\n') ? '\n' : ''}# wf ledger and locks\n.wf/\n`,
    )
  return { root, written: Object.keys(files), gitignore: present ? 'present' : 'added' }
}
