import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expressionIds, identifyLicense } from './spdx-license.js'
import type { Workspace } from './workspace.js'

/** What tells that a repository uses a language or a tool: names at its root, and what to say when none is there. */
interface Evidence {
  /** Root entry names (exact) or name patterns. */
  files: (string | RegExp)[]
  /** Words for the message when none is found: `no Python manifest found`. */
  missing: string
}

const NODE: Evidence = { files: ['package.json'], missing: 'no package.json found' }
const REQUIREMENTS = /^requirements.*\.txt$/

/** The languages a `when: { language }` condition can name, and what shows each. */
export const LANGUAGES: Record<string, Evidence> = {
  node: NODE,
  javascript: NODE,
  typescript: { files: ['tsconfig.json'], missing: 'no tsconfig.json or typescript dependency found' },
  python: {
    files: ['pyproject.toml', 'setup.py', 'setup.cfg', REQUIREMENTS, 'Pipfile'],
    missing: 'no Python manifest found',
  },
  go: { files: ['go.mod'], missing: 'no go.mod found' },
  rust: { files: ['Cargo.toml'], missing: 'no Cargo.toml found' },
  java: { files: ['pom.xml', 'build.gradle', 'build.gradle.kts'], missing: 'no pom.xml or build.gradle found' },
  ruby: { files: ['Gemfile'], missing: 'no Gemfile found' },
  php: { files: ['composer.json'], missing: 'no composer.json found' },
  dotnet: { files: [/\.csproj$/, /\.sln$/], missing: 'no .csproj or .sln found' },
}

/** The tools a `when: { uses }` condition can name, and what shows each. */
export const TOOLS: Record<string, Evidence> = {
  npm: { files: ['package-lock.json', 'npm-shrinkwrap.json'], missing: 'no package-lock.json found' },
  yarn: { files: ['yarn.lock'], missing: 'no yarn.lock found' },
  pnpm: { files: ['pnpm-lock.yaml'], missing: 'no pnpm-lock.yaml found' },
  bun: { files: ['bun.lockb', 'bun.lock'], missing: 'no bun.lock or bun.lockb found' },
  pip: { files: [REQUIREMENTS], missing: 'no requirements*.txt found' },
  poetry: { files: ['poetry.lock'], missing: 'no poetry.lock found' },
  uv: { files: ['uv.lock'], missing: 'no uv.lock found' },
  pipenv: { files: ['Pipfile.lock', 'Pipfile'], missing: 'no Pipfile found' },
  cargo: { files: ['Cargo.toml'], missing: 'no Cargo.toml found' },
  go: { files: ['go.mod'], missing: 'no go.mod found' },
  maven: { files: ['pom.xml'], missing: 'no pom.xml found' },
  gradle: {
    files: ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts', 'gradlew'],
    missing: 'no build.gradle found',
  },
  bundler: { files: ['Gemfile', 'Gemfile.lock'], missing: 'no Gemfile found' },
  composer: { files: ['composer.json'], missing: 'no composer.json found' },
  docker: { files: ['Dockerfile', 'Containerfile'], missing: 'no Dockerfile found' },
  'github-actions': { files: [], missing: 'no workflow in .github/workflows found' },
}

/** The languages and tools a repository shows at its root, each with the file that shows it. */
export interface RepositoryFacts {
  languages: Map<string, string>
  tools: Map<string, string>
}

/** Facts found in a files epoch: the root is read again only once code wf does not control may have changed it. */
class FactsCache {
  epoch = -1
  facts?: Promise<RepositoryFacts>
}

/** The languages and tools of the workspace's repository, read from the names at its root (one directory read, and package.json when present). */
export function repositoryFacts(workspace: Workspace): Promise<RepositoryFacts> {
  const cache = workspace.scoped(FactsCache)
  if (!cache.facts || cache.epoch !== workspace.filesEpoch) {
    cache.epoch = workspace.filesEpoch
    cache.facts = detectFacts(workspace.root)
  }
  return cache.facts
}

/** The languages and tools a repository shows at its root, read now (for code with no workspace, such as `wf init`). */
export function detectRepositoryFacts(root: string): Promise<RepositoryFacts> {
  return detectFacts(root)
}

async function detectFacts(root: string): Promise<RepositoryFacts> {
  const names = (await listNames(root)).sort()
  const languages = matchEvidence(LANGUAGES, names)
  const tools = matchEvidence(TOOLS, names)
  if (!languages.has('typescript') && languages.has('node') && (await dependsOnTypescript(root)))
    languages.set('typescript', 'package.json (typescript dependency)')
  const workflow = (await listNames(join(root, '.github', 'workflows'))).sort().find((n) => /\.ya?ml$/.test(n))
  if (workflow) tools.set('github-actions', `.github/workflows/${workflow}`)
  return { languages, tools }
}

function matchEvidence(table: Record<string, Evidence>, names: string[]): Map<string, string> {
  const found = new Map<string, string>()
  for (const [name, { files }] of Object.entries(table)) {
    const hit = names.find((n) => files.some((f) => (typeof f === 'string' ? f === n : f.test(n))))
    if (hit) found.set(name, hit)
  }
  return found
}

/** The entry names of a folder; none when it does not exist or cannot be read. */
async function listNames(folder: string): Promise<string[]> {
  try {
    return await readdir(folder)
  } catch {
    return []
  }
}

async function dependsOnTypescript(root: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Record<string, unknown>
    return ['dependencies', 'devDependencies', 'peerDependencies'].some((field) => {
      const deps = manifest[field]
      return typeof deps === 'object' && deps !== null && 'typescript' in deps
    })
  } catch {
    // A package.json that does not parse says nothing about TypeScript; gates that read it report it.
    return false
  }
}

/** The license files the `license` gate and the `license` condition read by default (names match in any case). */
export const DEFAULT_LICENSE_FILES = ['{LICENSE,LICENCE,COPYING}{,.*,-*}']
const LICENSE_NAME = /^(?:LICENSE|LICENCE|COPYING)(?:[.-].*)?$/i

/** Root licenses found in a files epoch. */
class LicensesCache {
  epoch = -1
  licenses?: Promise<Map<string, string>>
}

/**
 * The SPDX ids the repository's root license files are identified as (each with its file), ids
 * whose text is the same and the ids of an `SPDX-License-Identifier:` expression included.
 * Read only when asked: identifying a text loads the SPDX license texts.
 */
export function repositoryLicenses(workspace: Workspace): Promise<Map<string, string>> {
  const cache = workspace.scoped(LicensesCache)
  if (!cache.licenses || cache.epoch !== workspace.filesEpoch) {
    cache.epoch = workspace.filesEpoch
    cache.licenses = detectLicenses(workspace)
  }
  return cache.licenses
}

async function detectLicenses(workspace: Workspace): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  for (const name of (await listNames(workspace.root)).filter((n) => LICENSE_NAME.test(n)).sort()) {
    let text: string
    try {
      text = await workspace.boundary.readFile(name, 'utf8')
    } catch {
      // A folder named LICENSES, or a link out of the repository: not a license file of the root.
      continue
    }
    const result = await identifyLicense(text)
    if (!result.identified) continue
    const ids = result.method === 'text' ? [result.id, ...result.equivalent] : expressionIds(result.id)
    for (const id of ids) if (!found.has(id)) found.set(id, name)
  }
  return found
}
