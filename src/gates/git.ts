import { lstat } from 'node:fs/promises'
import { join, posix } from 'node:path'
import { toList } from '../lib/files.js'
import type { GitRepository } from '../lib/git.js'
import { parseSize } from '../lib/units.js'
import type { ResultLocation } from '../ledger/ledger.js'
import type { GitGate } from '../plan/plan.generated.js'
import type { GateKind } from './gate-kind.js'
import { globProblem } from '../lib/patterns.js'

type SimpleGit = import('simple-git').SimpleGit

/** What one check of the gate found: whether it holds, in a sentence, and the files at fault. */
interface Finding {
  ok: boolean
  message: string
  locations?: ResultLocation[]
}

const SHOWN = 10
const GLOB_CHARS = /[*?[\]{}!]/

/** `git:` — the working tree is clean, the branch matches, paths are tracked, tracked files are small enough. */
export const gitGate: GateKind<GitGate> = {
  describe: (gate) => `git: ${describeChecks(gate.git).join(', ') || 'nothing to check'}`,
  async checkOptions(gate) {
    const problem = gate.git.branch === undefined ? undefined : await globProblem(gate.git.branch)
    if (!problem) return []
    return [
      {
        at: ['git', 'branch'],
        message: `branch glob \`${gate.git.branch}\` is invalid: ${problem}`,
        hint: 'fix the glob, e.g. `release/*` or `{main,develop}`; escape a literal bracket with `\\`',
      },
    ]
  },
  async check(gate, { root, workspace }) {
    const git = await workspace.git.client()
    if (!git)
      return {
        status: 'failed',
        message: `${root} is not inside a git repository; run \`git init\` there or remove the git gate`,
      }
    const spec = gate.git
    const findings = await Promise.all([
      spec.clean ? checkClean(git) : undefined,
      spec.branch !== undefined ? checkBranch(git, workspace.git, spec.branch) : undefined,
      spec.tracked !== undefined ? checkTracked(git, toList(spec.tracked)) : undefined,
      spec.max_file_size !== undefined ? checkSizes(git, root, spec.max_file_size) : undefined,
    ])
    const done = findings.filter((f): f is Finding => f !== undefined)
    const failed = done.filter((f) => !f.ok)
    if (failed.length === 0)
      return { status: 'passed', message: done.map((f) => f.message).join('; ') || 'nothing to check' }
    const locations = failed.flatMap((f) => f.locations ?? [])
    return {
      status: 'failed',
      message: failed.map((f) => f.message).join('; '),
      ...(locations.length ? { locations } : {}),
    }
  },
}

function describeChecks(spec: GitGate['git']): string[] {
  return [
    spec.clean ? 'working tree clean' : '',
    spec.branch !== undefined ? `branch matches ${spec.branch}` : '',
    spec.tracked !== undefined ? `tracked: ${toList(spec.tracked).join(', ')}` : '',
    spec.max_file_size !== undefined
      ? `tracked files at most ${spec.max_file_size}${typeof spec.max_file_size === 'number' ? ' bytes' : ''}`
      : '',
  ].filter(Boolean)
}

const list = (items: string[]) =>
  items.slice(0, SHOWN).join(', ') + (items.length > SHOWN ? ` and ${items.length - SHOWN} more` : '')
const nulSeparated = (out: string) => out.split('\0').filter(Boolean)

/** `clean`: no uncommitted or untracked file outside .wf/ (`git status --porcelain`). */
async function checkClean(git: SimpleGit): Promise<Finding> {
  const prefix = (await git.raw(['rev-parse', '--show-prefix'])).trim()
  const entries = nulSeparated(await git.raw(['status', '--porcelain=v1', '-z', '--untracked-files=all']))
  const dirty: ResultLocation[] = []
  for (let i = 0; i < entries.length; i++) {
    const code = entries[i]!.slice(0, 2)
    const file = posix.relative(prefix || '.', entries[i]!.slice(3))
    if (code[0] === 'R' || code[0] === 'C') i++
    if (file === '.wf' || file.startsWith('.wf/')) continue
    dirty.push({ file, message: describeStatus(code) })
  }
  if (dirty.length === 0) return { ok: true, message: 'working tree clean' }
  const shown = dirty.map((d) => `${d.file} (${d.message})`)
  return {
    ok: false,
    message: `the working tree has ${dirty.length} uncommitted ${dirty.length === 1 ? 'change' : 'changes'}: ${list(shown)}; commit or stash ${dirty.length === 1 ? 'it' : 'them'}`,
    locations: dirty,
  }
}

function describeStatus(code: string): string {
  if (code === '??') return 'untracked'
  if (code.includes('U') || code === 'AA' || code === 'DD') return 'unmerged'
  if (code.includes('D')) return 'deleted'
  if (code[0] === 'R') return 'renamed'
  if (code[0] === 'C') return 'copied'
  if (code[0] === 'A') return 'added'
  return 'modified'
}

/** `branch`: the current branch matches a glob. */
async function checkBranch(git: SimpleGit, repository: GitRepository, pattern: string): Promise<Finding> {
  const branch =
    (await git.raw(['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => '')).trim() ||
    (await repository.facts()).branch
  if (!branch)
    return {
      ok: false,
      message: `HEAD is detached, not on a branch matching ${pattern}; check out a matching branch (under GitHub Actions the branch comes from GITHUB_HEAD_REF / GITHUB_REF_NAME)`,
    }
  const { default: picomatch } = await import('picomatch')
  const ok = picomatch(pattern)(branch)
  return { ok, message: `branch ${branch} ${ok ? 'matches' : 'does not match'} ${pattern}` }
}

/** `tracked`: each path or glob names files tracked by git, and none of the files it names is untracked. */
async function checkTracked(git: SimpleGit, patterns: string[]): Promise<Finding> {
  const [tracked, untracked] = await Promise.all([
    git.raw(['ls-files', '-z']).then(nulSeparated),
    git.raw(['ls-files', '-z', '--others', '--exclude-standard']).then(nulSeparated),
  ])
  const { default: picomatch } = await import('picomatch')
  const problems: string[] = []
  const locations: ResultLocation[] = []
  for (const pattern of patterns) {
    const isMatch = picomatch(
      GLOB_CHARS.test(pattern) ? pattern : `${pattern.replace(/^\.\//, '').replace(/\/$/, '')}{,/**}`,
      { dot: true },
    )
    const notTracked = untracked.filter((f) => isMatch(f))
    if (notTracked.length > 0) {
      problems.push(
        `${pattern}: ${notTracked.length} untracked ${notTracked.length === 1 ? 'file' : 'files'}: ${list(notTracked)}`,
      )
      locations.push(...notTracked.map((file) => ({ file, message: `not tracked by git (\`git add ${file}\`)` })))
    } else if (!tracked.some((f) => isMatch(f))) problems.push(`${pattern}: no file tracked by git matches`)
  }
  if (problems.length === 0) return { ok: true, message: `${patterns.join(', ')} tracked` }
  return { ok: false, message: `not tracked: ${problems.join('; ')}`, ...(locations.length ? { locations } : {}) }
}

/** `max_file_size`: no tracked file in the working tree is larger than the limit. */
async function checkSizes(git: SimpleGit, root: string, limit: string | number): Promise<Finding> {
  const max = parseSize(limit)
  const files = nulSeparated(await git.raw(['ls-files', '-z']))
  const large: { file: string; size: number }[] = []
  for (let i = 0; i < files.length; i += 256) {
    await Promise.all(
      files.slice(i, i + 256).map(async (file) => {
        const info = await lstat(join(root, file)).catch(() => undefined)
        if (info?.isFile() && info.size > max) large.push({ file, size: info.size })
      }),
    )
  }
  const limitText = typeof limit === 'number' ? formatSize(limit) : limit
  if (large.length === 0) return { ok: true, message: `no tracked file larger than ${limitText}` }
  large.sort((a, b) => b.size - a.size || (a.file < b.file ? -1 : 1))
  return {
    ok: false,
    message: `${large.length} tracked ${large.length === 1 ? 'file is' : 'files are'} larger than ${limitText}: ${list(large.map((l) => `${l.file} (${formatSize(l.size)})`))}`,
    locations: large.map(({ file, size }) => ({ file, message: `${formatSize(size)}, larger than ${limitText}` })),
  }
}

function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  const units = ['KB', 'MB', 'GB']
  let value = bytes / 1000
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${Number(value.toFixed(1))} ${units[unit]}`
}
