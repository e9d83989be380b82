import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { isInside, toPosix } from '../lib/paths.js'

/** An `include: npm:NAME@RANGE[/PATH]` entry taken apart. */
export interface PackageSpec {
  name: string
  range: string
  /** The plan file inside the package, when the entry names one. */
  file?: string
}

/** What an `npm:` include resolves to: the plan file to load, or what is wrong and what to do. */
export type PackageInclude = { path: string } | { message: string; hint: string }

const NAME = String.raw`(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*`
const SPEC = new RegExp(String.raw`^npm:(${NAME})(?:@([^/]+))?(?:\/(.+))?$`, 'i')

/** The package name, version range and plan file an `npm:` include entry names, or undefined when it is not one. */
export function parsePackageSpec(target: string): (Partial<PackageSpec> & { name: string }) | undefined {
  const match = SPEC.exec(target.trim())
  if (!match) return undefined
  const [, name, range, file] = match
  return { name: name!, ...(range ? { range: range.trim() } : {}), ...(file ? { file } : {}) }
}

/** The nearest `node_modules/NAME` at or above `from`, not above the repository root. */
function findPackage(root: string, from: string, name: string): string | undefined {
  for (let dir = from; isInside(root, dir); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dir === root) break
  }
  return undefined
}

/**
 * Resolves `npm:@acme/wf-policies@^2[/phases/x.yaml]` to a plan file of the package installed in
 * the repository's node_modules, checking that its version satisfies the range.
 */
export async function resolvePackageInclude(root: string, from: string, target: string): Promise<PackageInclude> {
  const spec = parsePackageSpec(target)
  if (!spec)
    return {
      message: `include \`${target}\` is not a package reference`,
      hint: 'write `npm:NAME@RANGE`, e.g. `npm:@acme/wf-policies@^2` or `npm:@acme/wf-policies@^2/phases/security.yaml`',
    }
  const { name, range, file } = spec
  if (!range)
    return {
      message: `include \`${target}\` names no version range`,
      hint: `pin the policies this plan was written for, e.g. \`npm:${name}@^1\``,
    }
  const semver = (await import('semver')).default
  if (!semver.validRange(range))
    return {
      message: `include \`${target}\`: \`${range}\` is not a semver range`,
      hint: `write a range such as \`^2\`, \`~2.1\` or \`>=2.1 <3\``,
    }
  const folder = findPackage(root, from, name)
  if (!folder)
    return {
      message: `package ${name} is not installed (included as \`${target}\`)`,
      hint: `run \`npm install -D ${name}@${range}\` in the repository`,
    }
  const where = toPosix(relative(root, folder))
  let manifest: { version?: unknown; wf?: { plan?: unknown } }
  try {
    manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'))
  } catch {
    return {
      message: `${where}/package.json does not parse`,
      hint: `reinstall the package: \`npm install -D ${name}@${range}\``,
    }
  }
  const version = typeof manifest.version === 'string' ? manifest.version : undefined
  if (!version || !semver.satisfies(version, range))
    return {
      message: `${name}: installed ${version ?? '(no version)'}, this plan needs ${range}`,
      hint: `run \`npm install -D ${name}@${range}\`, or change the range in the include after reading the package's changelog`,
    }
  const planFile = file ?? (typeof manifest.wf?.plan === 'string' ? manifest.wf.plan : 'wf.yaml')
  const path = resolve(folder, planFile)
  const shown = `${where}/${toPosix(planFile)}`
  if (!isInside(folder, path))
    return { message: `include \`${target}\` leaves the package folder`, hint: 'name a plan file inside the package' }
  if (!existsSync(path) || !statSync(path).isFile())
    return {
      message: `${name}@${version} has no plan file ${toPosix(planFile)} (looked for ${shown})`,
      hint: file
        ? 'check the path after the range; it is relative to the package folder'
        : 'the package names its plan in package.json `wf.plan` (default wf.yaml), and lists it in `files`',
    }
  if (!/\.ya?ml$/i.test(path))
    return {
      message: `${shown} is not a YAML plan file`,
      hint: 'include plan files: YAML files ending in .yml or .yaml',
    }
  return { path }
}
