import { WfError } from '../lib/errors.js'
import { lazyImport } from '../lib/memo.js'
import type { ResultLocation } from '../ledger/ledger.js'
import type { ManifestGate } from '../plan/plan.generated.js'
import { findFiles, inputGlobs } from './file-options.js'
import type { GateKind } from './gate-kind.js'
import { manifestFormat, type ParsedManifest, parseManifest } from './manifest-formats.js'
import { changelogProblem } from './manifest-changelog.js'

const loadSpdx = lazyImport(() => import('spdx-expression-parse'))

/** `manifest:` — a package manifest parses, has the keys it must (a `license` an SPDX expression), a lockfile when it has dependencies, and a changelog entry for its version. */
export const manifestGate: GateKind<ManifestGate> = {
  describe: (gate) => {
    const spec = gate.manifest
    const checks = [
      spec.require ? `has ${spec.require.join(', ')}` : '',
      spec.lockfile ? `locked by ${spec.lockfile}` : '',
      spec.changelog ? `version in ${spec.changelog}` : '',
    ].filter(Boolean)
    return `${spec.file}${checks.length ? `: ${checks.join('; ')}` : ' parses'}`
  },
  inputs: (gate) => {
    const spec = gate.manifest
    return [
      spec.file,
      ...(spec.changelog ? inputGlobs([spec.changelog], true) : []),
      ...(spec.lockfile ? [spec.lockfile] : []),
    ]
  },
  paths: (gate) => [{ at: ['manifest', 'file'], value: gate.manifest.file, mustExist: false, what: 'manifest' }],
  checkOptions: (gate) =>
    manifestFormat(gate.manifest.file)
      ? []
      : [
          {
            at: ['manifest', 'file'],
            message: `wf does not read ${gate.manifest.file} as a manifest`,
            hint: 'name a package.json, pyproject.toml, Cargo.toml, go.mod or pom.xml',
          },
        ],
  async check(gate, { root, workspace }) {
    const spec = gate.manifest
    const format = manifestFormat(spec.file)
    if (!format)
      return {
        status: 'failed',
        message: `wf does not read ${spec.file} as a manifest (package.json, pyproject.toml…)`,
      }
    let text: string
    try {
      text = await workspace.boundary.readFile(spec.file, 'utf8')
    } catch (error) {
      if (error instanceof WfError) return { status: 'failed', message: error.message }
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOENT') return { status: 'failed', message: `${spec.file} cannot be read (${code})` }
      return spec.missing_ok
        ? { status: 'passed', message: `no ${spec.file} (missing_ok)` }
        : { status: 'failed', message: `${spec.file} does not exist` }
    }
    const parsed = await parseManifest(format, text)
    if ('problem' in parsed) {
      const at = `${spec.file}:${parsed.line}${parsed.col ? `:${parsed.col}` : ''}`
      return {
        status: 'failed',
        message: `${at} ${parsed.problem}`,
        locations: [
          { file: spec.file, line: parsed.line, ...(parsed.col ? { col: parsed.col } : {}), message: parsed.problem },
        ],
      }
    }
    const skip = spec.published_only ? unpublished(parsed) : undefined
    if (skip) return { status: 'passed', message: `${spec.file} ${skip}: nothing to check` }
    const problems: ResultLocation[] = []
    const notes: string[] = []
    const at = (line: number, message: string) => problems.push({ file: spec.file, line, message })
    for (const key of spec.require ?? []) {
      const found = lookup(parsed, key)
      if (isEmpty(found.value)) {
        const { line, exact } = parsed.lineOf(found.path)
        at(line, `${key} is ${exact ? 'empty' : 'missing'}`)
      } else if (typeof found.value === 'string' && found.path.at(-1) === 'license') {
        const problem = await licenseProblem(parsed, found.value)
        if (problem) at(parsed.lineOf(found.path).line, `${key} ${JSON.stringify(found.value)} ${problem}`)
      }
    }
    if (spec.require) notes.push(`has ${spec.require.join(', ')}`)
    if (spec.lockfile) {
      const declared = dependencyKey(parsed)
      const locks = declared ? await findFiles(root, spec.lockfile, { exclude: [] }) : []
      const mismatch = declared && locks.length > 0 ? lockfileMismatch(parsed, locks) : undefined
      if (!declared) notes.push('declares no dependencies')
      else if (locks.length === 0)
        at(
          parsed.lineOf(declared).line,
          `${declared.join('.')} declares dependencies but no lockfile matches ${spec.lockfile}`,
        )
      else if (mismatch) at(mismatch.line, mismatch.message)
      else notes.push(`locked by ${locks.join(', ')}`)
    }
    if (spec.changelog) {
      const version = versionOf(parsed)
      if ('reason' in version) notes.push(version.reason)
      else if (version.value === undefined) at(1, `has no version to look up in ${spec.changelog}`)
      else {
        const problem = await changelogProblem(root, workspace.boundary, spec.changelog, version.value)
        if (problem) at(parsed.lineOf(version.path).line, `version ${version.value} ${problem}`)
        else notes.push(`version ${version.value} is in the changelog`)
      }
    }
    if (problems.length === 0) return { status: 'passed', message: `${spec.file} ${notes.join('; ') || 'parses'}` }
    return {
      status: 'failed',
      message: problems.map((p) => `${p.file}:${p.line} ${p.message}`).join('; '),
      locations: problems,
    }
  },
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true
  if (typeof value === 'string') return value.trim() === ''
  if (Array.isArray(value)) return value.length === 0
  if (typeof value === 'object') return Object.keys(value).length === 0
  return false
}

function get(data: unknown, path: readonly string[]): unknown {
  let node = data
  for (const segment of path) {
    if (Array.isArray(node)) node = /^\d+$/.test(segment) ? node[Number(segment)] : node[0]
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[segment]
  }
  return node
}

const isWorkspaceRef = (value: unknown) =>
  typeof value === 'object' && value !== null && (value as { workspace?: unknown }).workspace === true

/**
 * A dotted key's value and the path it was found at. Where a layout keeps the same field elsewhere it
 * is read there: Poetry 1's `[tool.poetry]` for `project.*`, a Cargo workspace's `[workspace.package]`
 * for `package.*` (and `license-file` for `license`).
 */
function lookup({ format, data }: ParsedManifest, key: string): { value: unknown; path: string[] } {
  const path = key.split('.')
  const direct = { value: get(data, path), path }
  if (!isEmpty(direct.value) && !(format === 'Cargo.toml' && isWorkspaceRef(direct.value))) return direct
  const alternatives: string[][] = []
  if (format === 'pyproject.toml' && path[0] === 'project' && data.project === undefined) {
    const rest = path.slice(1)
    alternatives.push(
      rest.join('.') === 'requires-python' ? ['tool', 'poetry', 'dependencies', 'python'] : ['tool', 'poetry', ...rest],
    )
  }
  if (format === 'Cargo.toml' && path[0] === 'package') {
    const rest = path.slice(1)
    const names = rest.join('.') === 'license' ? [rest, ['license-file']] : [rest]
    for (const name of names) alternatives.push(['package', ...name], ['workspace', 'package', ...name])
  }
  for (const alternative of alternatives) {
    const value = get(data, alternative)
    if (!isEmpty(value) && !isWorkspaceRef(value)) return { value, path: alternative }
  }
  // A `{ workspace = true }` whose workspace does not say: present, and Cargo reports it.
  return direct
}

/** Why a license string is not accepted, or undefined when it is. */
async function licenseProblem({ format }: ParsedManifest, value: string): Promise<string | undefined> {
  // npm documents these two for packages not offered under an open license.
  if (format === 'package.json' && (value === 'UNLICENSED' || /^SEE LICEN[CS]E IN \S/.test(value))) return undefined
  // Cargo still reads the old `MIT/Apache-2.0` as `MIT OR Apache-2.0`.
  const expression = format === 'Cargo.toml' ? value.replace(/\s*\/\s*/g, ' OR ') : value
  const { default: parse } = await loadSpdx()
  try {
    parse(expression)
    return undefined
  } catch {
    return 'is not a valid SPDX expression (e.g. "MIT", "Apache-2.0 OR MIT")'
  }
}

/** Why the manifest describes no published package (`"private": true`, `publish = false`…), or undefined when it does. */
function unpublished({ format, data }: ParsedManifest): string | undefined {
  if (format === 'package.json') return data.private === true ? 'is private ("private": true)' : undefined
  if (format === 'Cargo.toml') {
    if (data.package === undefined) return 'is a virtual workspace manifest (its member crates are the packages)'
    const publish = get(data, ['package', 'publish'])
    return publish === false || (Array.isArray(publish) && publish.length === 0)
      ? 'is not published (publish = false)'
      : undefined
  }
  if (format === 'pyproject.toml') {
    const classifiers = get(data, ['project', 'classifiers'])
    return Array.isArray(classifiers) && classifiers.includes('Private :: Do Not Upload')
      ? 'is not published (Private :: Do Not Upload)'
      : undefined
  }
  return undefined
}

const NODE_LOCKFILES: Record<string, string[]> = {
  npm: ['package-lock.json', 'npm-shrinkwrap.json'],
  pnpm: ['pnpm-lock.yaml'],
  yarn: ['yarn.lock'],
  bun: ['bun.lock', 'bun.lockb'],
}

/**
 * For package.json: lockfiles of two package managers (each resolves the tree its own way, so
 * installs differ by who runs them), or one that is not of the manager `packageManager` names.
 */
function lockfileMismatch(parsed: ParsedManifest, locks: string[]): { line: number; message: string } | undefined {
  if (parsed.format !== 'package.json') return undefined
  const managerOf = (file: string) => {
    const name = file.slice(file.lastIndexOf('/') + 1)
    return Object.keys(NODE_LOCKFILES).find((m) => NODE_LOCKFILES[m]!.includes(name))
  }
  const managers = [...new Set(locks.map(managerOf).filter((m) => m !== undefined))]
  const pinned = typeof parsed.data.packageManager === 'string' ? parsed.data.packageManager : undefined
  const wanted = pinned === undefined ? undefined : /^(npm|pnpm|yarn|bun)@/.exec(pinned)?.[1]
  if (wanted && managers.length > 0 && !managers.includes(wanted))
    return {
      line: parsed.lineOf(['packageManager']).line,
      message: `packageManager ${JSON.stringify(pinned)} but the lockfile is ${locks.join(', ')} (${NODE_LOCKFILES[wanted]!.join(' or ')} expected)`,
    }
  if (managers.length > 1)
    return { line: 1, message: `lockfiles of ${managers.length} package managers: ${locks.join(', ')}; keep one` }
  return undefined
}

const DEPENDENCY_KEYS: Record<ParsedManifest['format'], string[][]> = {
  'package.json': [['dependencies'], ['devDependencies'], ['optionalDependencies'], ['workspaces']],
  'pyproject.toml': [
    ['project', 'dependencies'],
    ['project', 'optional-dependencies'],
    ['dependency-groups'],
    ['tool', 'poetry', 'group'],
  ],
  'Cargo.toml': [
    ['dependencies'],
    ['dev-dependencies'],
    ['build-dependencies'],
    ['target'],
    ['workspace', 'dependencies'],
    ['workspace', 'members'],
  ],
  'go.mod': [['require']],
  'pom.xml': [['dependencies']],
}

/** The key where the manifest declares dependencies, if it does. */
function dependencyKey(parsed: ParsedManifest): string[] | undefined {
  const poetry = get(parsed.data, ['tool', 'poetry', 'dependencies'])
  if (typeof poetry === 'object' && poetry !== null && Object.keys(poetry).some((k) => k !== 'python'))
    return ['tool', 'poetry', 'dependencies']
  return DEPENDENCY_KEYS[parsed.format].find((path) => !isEmpty(get(parsed.data, path)))
}

/** The manifest's version and where it is, or why it has none to check. */
function versionOf(parsed: ParsedManifest): { value?: string; path: string[] } | { reason: string } {
  const { format, data } = parsed
  const found = (path: string[]) => {
    const value = get(data, path)
    return typeof value === 'string' && value.trim() ? { value: value.trim(), path } : undefined
  }
  switch (format) {
    case 'go.mod':
      return { reason: 'go.mod has no version (Go module versions are git tags)' }
    case 'package.json':
      return found(['version']) ?? { path: ['version'] }
    case 'pyproject.toml': {
      const dynamic = get(data, ['project', 'dynamic'])
      if (Array.isArray(dynamic) && dynamic.includes('version'))
        return { reason: 'its version is dynamic (set by the build backend)' }
      return found(['project', 'version']) ?? found(['tool', 'poetry', 'version']) ?? { path: ['project', 'version'] }
    }
    case 'Cargo.toml':
      return (
        found(['package', 'version']) ?? found(['workspace', 'package', 'version']) ?? { path: ['package', 'version'] }
      )
    case 'pom.xml': {
      const version = found(['version']) ?? found(['parent', 'version'])
      const property = version && /^\$\{([^}]+)\}$/.exec(version.value)?.[1]
      if (!property) return version ?? { path: ['version'] }
      const value = get(data, ['properties', property])
      return typeof value === 'string' && value.trim()
        ? { value: value.trim(), path: version.path }
        : { reason: `its version comes from \${${property}}, set at build time` }
    }
  }
}
