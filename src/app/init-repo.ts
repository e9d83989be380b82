import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { WfError } from '../lib/errors.js'
import { RepoBoundary } from '../lib/inside-repo.js'
import { packageName } from '../lib/package-name.js'
import { packageRoot } from '../lib/package-root.js'
import { detectRepositoryFacts } from '../lib/repository-facts.js'
import { BUILTIN_PHASES } from '../plan/builtin-phases.js'
import { STARTER_MARK, type StarterFacts, starterFiles } from './starter.js'

export interface InitOptions {
  cwd: string
  force?: boolean
  /** Where vulnerability reports go: an email address or a URL. */
  securityContact?: string
  /** Default code owners: `@user`, `@org/team` or an email address. */
  owners?: string[]
}

export interface InitResult {
  root: string
  written: string[]
  gitignore: 'added' | 'present'
  /** Built-in presets the plan extends because they fit the repository. */
  presets: string[]
  /** What the plan checks but wf could not write, and how to supply it. */
  missing: string[]
}

/** The ecosystem presets `wf init` extends when the repository shows the language. */
const ECOSYSTEMS = ['node', 'python', 'go', 'rust', 'java'] as const

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/
const URL_CONTACT = /^https?:\/\/[^\s/]+\.[^\s]+$/
const OWNER = /^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9._-]+)?$/

function gitRoot(cwd: string): string | undefined {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir
    if (dirname(dir) === dir) return undefined
  }
}

/** The first of `candidates` (repository-relative) that exists, matching names in any case. */
function findFile(root: string, candidates: string[]): string | undefined {
  for (const candidate of candidates) {
    const folder = dirname(candidate)
    let names: string[]
    try {
      names = readdirSync(join(root, folder))
    } catch {
      continue
    }
    const name = names.find((n) => n.toLowerCase() === basename(candidate).toLowerCase())
    if (name) return folder === '.' ? name : `${folder}/${name}`
  }
  return undefined
}

function hasJsonSchemas(root: string): boolean {
  try {
    return readdirSync(join(root, 'contracts'), { recursive: true }).some((n) => String(n).endsWith('.json'))
  } catch {
    return false
  }
}

function checkFlags(options: InitOptions): void {
  const contact = options.securityContact
  if (contact !== undefined && !EMAIL.test(contact) && !URL_CONTACT.test(contact))
    throw new WfError('WF_USAGE', `--security-contact ${contact} is neither an email address nor an http(s) URL`, {
      hint: 'pass the address reports go to, e.g. --security-contact security@your-domain or a URL of a reporting form',
    })
  for (const owner of options.owners ?? [])
    if (!OWNER.test(owner) && !EMAIL.test(owner))
      throw new WfError('WF_USAGE', `--owner ${owner} is not a GitHub user, team or email address`, {
        hint: 'write @user or @org/team (or an email address); repeat --owner for several',
      })
}

function schemaRefFor(root: string): string | undefined {
  const installed = `node_modules/${packageName()}/contracts/plan.schema.json`
  if (existsSync(join(root, installed))) return `../${installed}`
  const own = relative(join(root, 'phases'), join(packageRoot, 'contracts', 'plan.schema.json'))
  return own.startsWith('../..') ? undefined : own
}

/** Writes a plan that fits the repository containing `cwd`; never invents a contact or an owner, never overwrites a file it did not write. */
export async function initRepo(options: InitOptions): Promise<InitResult> {
  const root = gitRoot(options.cwd)
  if (!root)
    throw new WfError('WF_NOT_A_REPO', `${options.cwd} is not inside a git repository`, {
      hint: 'run `git init` first, or pass --cwd with a repository',
    })
  checkFlags(options)
  const detected = await detectRepositoryFacts(root)
  const presets = ECOSYSTEMS.filter((name) => detected.languages.has(name) && name in BUILTIN_PHASES)
  const found = [
    ...[...detected.languages].map(([name, file]) => `${name} (${file})`),
    ...[...detected.tools].map(([name, file]) => `${name} (${file})`),
  ]
  const securityPolicy = findFile(root, ['SECURITY.md', '.github/SECURITY.md', 'docs/SECURITY.md'])
  const codeowners = findFile(root, ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS'])
  const facts: StarterFacts = {
    project: basename(root)
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-'),
    schemaRef: schemaRefFor(root),
    found,
    readme: findFile(root, ['README', 'README.md', 'README.rst', 'README.txt']) !== undefined,
    ...(securityPolicy ? { securityPolicy } : {}),
    ...(codeowners ? { codeowners } : {}),
    ...(options.securityContact ? { securityContact: options.securityContact } : {}),
    ...(options.owners?.length ? { owners: options.owners } : {}),
    presets,
    contracts: hasJsonSchemas(root) && (detected.languages.has('node') || detected.languages.has('typescript')),
  }
  const files = starterFiles(facts)
  // phases/, templates/ and .gitignore are read and written inside the repository, never through a link out of it.
  const boundary = new RepoBoundary(root)
  const current = (f: string) =>
    existsSync(join(root, f)) ? readFileSync(boundary.resolveSync(join(root, f)), 'utf8') : undefined
  const existing = Object.keys(files).filter((f) => current(f) !== undefined && current(f) !== files[f])
  if (existing.length > 0 && !options.force) {
    // --force is offered only over files wf init wrote: a plan or template of the repository's own is kept.
    const ours = existing.every((f) => current(f)?.includes(STARTER_MARK))
    throw new WfError('WF_INIT_EXISTS', `these files already exist: ${existing.join(', ')}`, {
      hint: ours
        ? 'nothing was written; pass --force to replace what `wf init` wrote before'
        : 'nothing was written and they are kept; extend the built-in presets in your own plan (`wf presets` lists them)',
    })
  }
  for (const [file, content] of Object.entries(files)) boundary.writeFileSync(file, content)
  const gitignorePath = join(root, '.gitignore')
  const ignored = existsSync(gitignorePath) ? readFileSync(boundary.resolveSync(gitignorePath), 'utf8') : ''
  const present = ignored.split(/\r?\n/).some((line) => ['.wf', '.wf/', '/.wf', '/.wf/'].includes(line.trim()))
  if (!present)
    boundary.writeFileSync(
      gitignorePath,
      `${ignored}${ignored && !ignored.endsWith('\n') ? '\n' : ''}# wf ledger and locks\n.wf/\n`,
    )
  const missing: string[] = []
  if (!facts.readme) missing.push('README: none found; the plan warns until there is one')
  if (!securityPolicy && !options.securityContact)
    missing.push('SECURITY.md: none found; pass --security-contact EMAIL|URL, or write one (the plan warns until then)')
  if (!codeowners && !options.owners?.length)
    missing.push('CODEOWNERS: none found; pass --owner @user|@org/team, or write one (the plan warns until then)')
  return { root, written: Object.keys(files), gitignore: present ? 'present' : 'added', presets, missing }
}
