import { type Dirent, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ALWAYS_IGNORED, candidateFiles, GLOB_CHARS, matchFiles, toList } from '../lib/files.js'

/** The short form (a path or glob, or a list) or the long form `{paths, nocase?, exclude?}` of a file gate's value. */
export type FileGateValue =
  | string
  | string[]
  | { paths: string | string[]; nocase?: boolean; exclude?: string | string[] }

/** How a file gate matches names. */
export interface FileOptions {
  /** undefined: case-insensitive for well-known governance file names only. */
  nocase?: boolean
  exclude: string[]
}

// Repolinter and GitHub find these whatever their case: `license`, `readme.md`, `.github/security.md`.
const WELL_KNOWN_NAME =
  /^(?:LICENSE|LICENCE|COPYING|README|SECURITY|CONTRIBUTING|CODE_OF_CONDUCT|CHANGELOG|SUPPORT|NOTICE|CODEOWNERS)(?:\.[A-Za-z0-9]+)?$/i
const WELL_KNOWN_STEM =
  /LICENSE|LICENCE|COPYING|README|SECURITY|CONTRIBUTING|CODE_OF_CONDUCT|CHANGELOG|SUPPORT|NOTICE|CODEOWNERS/i

/** True when a file's name is a well-known governance file name (LICENSE, readme.md, …) in any case. */
export const isWellKnownName = (file: string) => WELL_KNOWN_NAME.test(file.slice(file.lastIndexOf('/') + 1))

/** The paths and options of a file gate's value, short form or long. */
export function fileGateValue(value: FileGateValue): { paths: string[] } & FileOptions {
  if (typeof value === 'string' || Array.isArray(value)) return { paths: toList(value), exclude: [] }
  return { paths: toList(value.paths), nocase: value.nocase, exclude: value.exclude ? toList(value.exclude) : [] }
}

/**
 * The files (sorted) matching one path or glob, among `only` when given: exactly, or ignoring case
 * when `nocase` is on (or, by default, for well-known governance file names), less `exclude`.
 */
export async function findFiles(
  root: string,
  pattern: string,
  options: FileOptions,
  only?: readonly string[],
): Promise<string[]> {
  const exact = (!only && plainFile(root, pattern)) || (await candidateFiles(root, [pattern], only))
  if (!(options.nocase ?? WELL_KNOWN_STEM.test(pattern))) return excludeFiles(root, exact, options.exclude)
  const found = await anyCaseFiles(root, pattern, only)
  const kept = options.nocase ? found : found.filter(isWellKnownName)
  return excludeFiles(root, [...exact, ...kept], options.exclude)
}

/**
 * A plain path as the repository has it, told by one stat (a folder is left to `candidateFiles`,
 * which lists the files under it): `[path]` for a file, `[]` for nothing there.
 */
function plainFile(root: string, pattern: string): string[] | undefined {
  if (!SIMPLE_PATH.test(pattern) || DOT_SEGMENT.test(pattern)) return undefined
  try {
    const info = statSync(join(root, pattern), { throwIfNoEntry: false })
    if (!info) return []
    return info.isFile() ? [pattern] : info.isDirectory() ? undefined : []
  } catch {
    return []
  }
}

async function anyCaseFiles(root: string, pattern: string, only?: readonly string[]): Promise<string[]> {
  if (only) {
    const { default: picomatch } = await import('picomatch')
    const isMatch = picomatch(GLOB_CHARS.test(pattern) ? pattern : `${pattern.replace(/\/$/, '')}{,/**}`, {
      dot: true,
      nocase: true,
    })
    return only.filter((f) => isMatch(f))
  }
  // The exact spelling of a plain path (and the files under it, when it is a folder) are the caller's `exact`.
  const walked = SIMPLE_PATH.test(pattern) ? anyCaseWalk(root, pattern) : undefined
  if (walked) return walked
  const { glob } = await import('tinyglobby')
  const plain = GLOB_CHARS.test(pattern) ? [] : await matchFiles(root, [pattern])
  return [
    ...plain,
    ...(await glob([pattern], {
      cwd: root,
      dot: true,
      onlyFiles: true,
      ignore: ALWAYS_IGNORED,
      expandDirectories: false,
      caseSensitiveMatch: false,
    })),
  ]
}

/** A plain path of names made of letters, digits, `.`, `_` and `-` (no glob, no `./`, no empty segment). */
const SIMPLE_PATH = /^[\w.-]+(?:\/[\w.-]+)*$/
const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)/
/** Segments the glob treats apart (`.`, `..`, folders wf never matches in): left to it. */
const SPECIAL_SEGMENT = /^(?:\.{1,2}|\.git|\.wf|node_modules)$/i

/**
 * What the glob finds for a plain path in any case, by reading the one folder it names: the glob
 * takes the folders of a plain path as they are spelled (its crawl starts there) and matches the
 * last name in any case, among files. Undefined when only the glob can say (a symbolic link of a
 * matching name, a folder that cannot be read, a special segment).
 */
function anyCaseWalk(root: string, pattern: string): string[] | undefined {
  const segments = pattern.split('/')
  if (segments.some((segment) => SPECIAL_SEGMENT.test(segment))) return undefined
  const name = segments.pop()!
  const folder = segments.join('/')
  let entries: Dirent[]
  try {
    entries = readdirSync(join(root, folder), { withFileTypes: true })
  } catch {
    return undefined
  }
  // The glob's own test (a regular expression with the `i` flag), so the same names match.
  const same = new RegExp(`^${name.replaceAll('.', '\\.')}$`, 'i')
  const found: string[] = []
  for (const entry of entries) {
    if (!same.test(entry.name)) continue
    if (entry.isSymbolicLink()) return undefined
    if (entry.isFile()) found.push(folder ? `${folder}/${entry.name}` : entry.name)
  }
  return found
}

/**
 * The globs a file gate reads, for its phase's fingerprint: each path, and where names may match in
 * any case a glob that matches every spelling (`[lL][iI]…`), so a `license` file counts as an input too.
 */
export function inputGlobs(paths: readonly string[], nocase: boolean | undefined): string[] {
  return paths.flatMap((p) => ((nocase ?? WELL_KNOWN_STEM.test(p)) ? [p, anyCaseGlob(p)] : [p]))
}

/** A glob matching every spelling of `pattern` (letters inside `[…]` are left as they are). */
function anyCaseGlob(pattern: string): string {
  let inClass = false
  let out = ''
  for (const c of pattern) {
    if (c === '[') inClass = true
    else if (c === ']') inClass = false
    out += !inClass && c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c
  }
  return out
}

/** `files` less those matching an `exclude` glob (a plain path also leaves out what is under it). */
export async function excludeFiles(root: string, files: readonly string[], exclude: readonly string[]) {
  const left = exclude.length === 0 ? new Set<string>() : new Set(await candidateFiles(root, exclude, files))
  return [...new Set(files)].filter((f) => !left.has(f)).sort()
}
