import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { outsideRepoError, type RepoBoundary } from '../lib/inside-repo.js'
import { toList } from '../lib/files.js'
import type { ResultLocation } from '../ledger/ledger.js'
import type { ForbidGate } from '../plan/plan.generated.js'
import { type GateKind, WHOLE_TREE } from './gate-kind.js'
import { type LinearRegex, pauser, type RegexProblem } from '../lib/patterns.js'
import { planRegex, planRegexProblem } from './plan-regex.js'
import { readText } from './read-text.js'
import { repositoryFiles } from './repository-files.js'
import { loadSecretScanner, mask, type Detection } from './secret-detectors.js'
import { type FileScan, type SecretPool, scanThreads, secretPool } from './secret-pool.js'

/** The `patterns` entry that names the built-in secret detectors. */
const SECRETS = 'secrets'
/** Flags every forbidden pattern is compiled with (plan loading checks them the same way). */
const FORBID_FLAGS = 'm'
/** A finding on a line containing this text is ignored. */
const ALLOW_MARKER = 'wf-allow-secret'

/** Files read and scanned ahead of the one whose findings are being collected: here, and in worker threads (which keep no text). */
const AHEAD = 32
const AHEAD_IN_WORKERS = 512
/** Worker threads start when the files not yet scanned are likely to hold this many bytes (about 100 ms of scanning). */
const POOL_BYTES = 2 * 1024 * 1024
/** …judged once this many bytes have been read, at their average size a file. */
const SAMPLE_BYTES = 256 * 1024
const SHOWN = 5

/** Why a `patterns` entry is not a regular expression wf can run (in linear time), or undefined. */
export async function patternProblem(pattern: string): Promise<RegexProblem | undefined> {
  return pattern === SECRETS ? undefined : planRegexProblem(pattern, FORBID_FLAGS)
}

interface Finding extends Required<ResultLocation> {
  value: string
  secret: boolean
}

interface Detectors {
  regexes: { regex: LinearRegex; source: string }[]
  secrets: boolean
}

/** `forbid:` — no scanned file contains a forbidden pattern or, with `secrets`, a credential. */
export const forbidGate: GateKind<ForbidGate> = {
  describe: (gate) =>
    `forbid ${gate.forbid.patterns.map((p) => (p === SECRETS ? p : `/${p}/`)).join(', ')}${gate.forbid.in ? ` in ${toList(gate.forbid.in).join(', ')}` : ''}`,
  inputs: (gate) => [
    ...(gate.forbid.in ? toList(gate.forbid.in) : [WHOLE_TREE]),
    ...(gate.forbid.allowlist ? [gate.forbid.allowlist] : []),
  ],
  perFile: true,
  paths: (gate) =>
    gate.forbid.allowlist === undefined
      ? []
      : [{ at: ['forbid', 'allowlist'], value: gate.forbid.allowlist, mustExist: 'file', what: 'allow-list' }],
  checkOptions: async (gate) =>
    (
      await Promise.all(
        gate.forbid.patterns.map(async (pattern, i) => {
          const found = await patternProblem(pattern)
          return found
            ? [
                {
                  at: ['forbid', 'patterns', i],
                  message: `pattern \`${pattern}\` is not a valid regular expression: ${found.problem}`,
                  hint:
                    found.hint ??
                    'escape characters meant literally with `\\` (such as `\\(`, `\\[`, `\\*`); `secrets` names the built-in detectors',
                },
              ]
            : []
        }),
      )
    ).flat(),
  async check(gate, { root, only, workspace, signal }) {
    const spec = gate.forbid
    const ignored = spec.patterns.includes(SECRETS) ? await secretlintIgnore(root) : []
    const exclude = [...ignored, ...(spec.exclude ? toList(spec.exclude) : [])]
    const files = await repositoryFiles(root, workspace.git, { in: spec.in, exclude }, only)
    if (only && files.length === 0) return { status: 'passed', message: 'no staged file to check' }
    const [detectors, allowed] = await Promise.all([loadDetectors(spec.patterns), readAllowlist(root, spec.allowlist)])
    let scanned = 0
    const findings: Finding[] = []
    const pause = pauser(signal)
    const scanner = fileScanner(root, files.length, detectors)
    try {
      for await (const [file, scan] of scanFiles(workspace.boundary, files, scanner.scan, scanner.window)) {
        if (scan === undefined) continue
        scanned++
        await pause()
        for (const f of await findingsOf(file, scan, detectors, pause))
          if (!allowed.has(f.value) && !allowed.has(`${f.file}:${f.line}`)) findings.push(f)
      }
    } finally {
      await scanner.close()
    }
    const what = describeWhat(spec.patterns)
    if (findings.length === 0)
      return { status: 'passed', message: `no ${what} in ${scanned} scanned ${scanned === 1 ? 'file' : 'files'}` }
    return {
      status: 'failed',
      message: summarize(findings),
      locations: findings.map(({ file, line, col, message }) => ({ file, line, col, message })),
    }
  },
}

/**
 * Globs from `.secretlintignore` (secretlint's own convention, gitignore-like: one pattern a
 * line; a pattern without `/` matches at any depth, a trailing `/` means a folder).
 */
async function secretlintIgnore(root: string): Promise<string[]> {
  const text = await readFile(join(root, '.secretlintignore'), 'utf8').catch(() => '')
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'))
    .map((line) => {
      const folder = line.endsWith('/')
      const pattern = line.replace(/^\//, '').replace(/\/$/, '')
      const anchored = line.startsWith('/') || pattern.includes('/')
      return `${anchored ? '' : '**/'}${pattern}${folder ? '/**' : ''}`
    })
}

async function loadDetectors(patterns: readonly string[]): Promise<Detectors> {
  const regexes = patterns
    .filter((p) => p !== SECRETS)
    .map(async (source) => ({ regex: await planRegex(source, FORBID_FLAGS), source }))
  return { regexes: await Promise.all(regexes), secrets: patterns.includes(SECRETS) }
}

/** The allow-list's entries: matched texts and `path:line`s, without blank lines and `#` comments. */
async function readAllowlist(root: string, allowlist?: string): Promise<Set<string>> {
  if (!allowlist) return new Set()
  const text = await readFile(join(root, allowlist), 'utf8').catch(() => {
    throw new Error(`cannot read the allow-list ${allowlist}`)
  })
  return new Set(
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  )
}

/**
 * Scans files here, and in worker threads too once the files left are likely to hold enough bytes
 * to pay for starting them (or from the start, with `WF_SCAN_THREADS`). A file's text is kept
 * when regexes must run on it or it holds a secret.
 */
function fileScanner(root: string, count: number, detectors: Detectors) {
  const { count: threads, forced } = scanThreads()
  const keepText = detectors.regexes.length > 0
  let pool: SecretPool | undefined =
    forced && threads > 0 && detectors.secrets ? secretPool(threads, keepText) : undefined
  let bytes = 0
  let started = 0
  const here = async (path: string): Promise<FileScan | undefined> => {
    const text = await readText(path)
    if (text === undefined) return undefined
    bytes += text.length
    const detections = detectors.secrets ? await (await loadSecretScanner())(path, text) : []
    return { text, detections }
  }
  return {
    scan: (file: string): Promise<FileScan | undefined> => {
      const path = join(root, file)
      started++
      if (!pool && !forced && threads > 0 && detectors.secrets && bytes >= SAMPLE_BYTES)
        if ((bytes / started) * (count - started) >= POOL_BYTES) pool = secretPool(threads, keepText)
      return pool ? pool.scan(path) : here(path)
    },
    window: () => (pool && !keepText ? AHEAD_IN_WORKERS : AHEAD),
    close: async () => pool?.close(),
  }
}

/**
 * Each file in order with what scanning it found (undefined: not scanned), up to `window()` files
 * read and scanned ahead. A folder whose real path leads out of the repository fails the gate.
 */
async function* scanFiles(
  boundary: RepoBoundary,
  files: readonly string[],
  scan: (file: string) => Promise<FileScan | undefined>,
  window: () => number,
): AsyncGenerator<[string, FileScan | undefined]> {
  const root = boundary.root
  // Each folder's real path once (not each file's).
  const folders = new Map<string, Promise<boolean>>()
  const inside = async (file: string) => {
    const folder = dirname(join(root, file))
    let stays = folders.get(folder)
    if (!stays) {
      stays = boundary.staysInside(folder).catch(() => true)
      folders.set(folder, stays)
    }
    if (!(await stays)) throw outsideRepoError(root, file, 'read')
  }
  const start = (file: string) => {
    const scanned = inside(file).then(() => scan(file))
    // Awaited in file order below; a failure is raised there, not as an unhandled rejection before.
    scanned.catch(() => {})
    return scanned
  }
  const ahead: Promise<FileScan | undefined>[] = []
  let next = 0
  for (let i = 0; i < files.length; i++) {
    while (next < files.length && ahead.length < window()) ahead.push(start(files[next++]!))
    yield [files[i]!, await ahead.shift()!]
  }
}

const shorten = (source: string) => (source.length > 40 ? `${source.slice(0, 37)}…` : source)

/** The findings of every pattern and detector in one scanned file. */
async function findingsOf(
  file: string,
  { text, detections }: FileScan,
  detectors: Detectors,
  pause: () => Promise<void>,
): Promise<Finding[]> {
  if (text === undefined) return []
  const found: (Detection & { secret: boolean })[] = []
  for (const { regex, source } of detectors.regexes) {
    for (const { index, value } of regex.matches(text)) {
      if (value) found.push({ index, value, message: `/${shorten(source)}/ matched ${mask(value)}`, secret: false })
      await pause()
    }
  }
  found.push(...detections.map((d) => ({ ...d, secret: true })))
  return found.length === 0 ? [] : locate(file, text, found)
}

/** Lines and columns (1-based) of detections, one per position and value, leaving out lines marked `wf-allow-secret`. */
function locate(file: string, text: string, found: (Detection & { secret: boolean })[]): Finding[] {
  const starts = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  const seen = new Set<string>()
  const findings: Finding[] = []
  for (const d of found.sort((a, b) => a.index - b.index)) {
    const key = `${d.index}\0${d.value}`
    if (seen.has(key)) continue
    seen.add(key)
    const line = lineOf(starts, d.index)
    if (text.slice(starts[line - 1], starts[line] ?? text.length).includes(ALLOW_MARKER)) continue
    findings.push({
      file,
      line,
      col: d.index - starts[line - 1]! + 1,
      message: d.message,
      value: d.value,
      secret: d.secret,
    })
  }
  return findings
}

function lineOf(starts: readonly number[], index: number): number {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if (starts[mid]! <= index) low = mid
    else high = mid - 1
  }
  return low + 1
}

function describeWhat(patterns: readonly string[]): string {
  const regexes = patterns.filter((p) => p !== SECRETS).map((p) => `/${p}/`)
  if (regexes.length === 0) return 'secrets'
  return `${patterns.includes(SECRETS) ? 'secrets or ' : ''}match of ${regexes.join(', ')}`
}

/** `3 secrets in 2 files: src/a.ts:3, …` */
function summarize(findings: readonly Finding[]): string {
  const n = findings.length
  const noun = findings.every((f) => f.secret)
    ? n === 1
      ? 'secret'
      : 'secrets'
    : n === 1
      ? 'forbidden match'
      : 'forbidden matches'
  const files = new Set(findings.map((f) => f.file)).size
  const shown = findings
    .slice(0, SHOWN)
    .map((f) => `${f.file}:${f.line}`)
    .join(', ')
  return `${n} ${noun} in ${files} ${files === 1 ? 'file' : 'files'}: ${shown}${n > SHOWN ? ` and ${n - SHOWN} more` : ''}`
}
