// Real disk faults: a small tmpfs filled to k free pages (ENOSPC at a different write of a run for
// each k) and a read-only bind mount of .wf (EROFS). Mounting needs root, as in CI; the commands run
// in this process, which sees the mounts it makes.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readLedger } from '../../src/ledger/ledger.js'
import { WF_VERSION } from '../../src/lib/wf-version.js'
import { runCli } from '../cli-in-process.js'
import { git, gitRepo, hasStackTrace, testdir } from '../helpers.js'
import { type Ledger, readJson } from '../ledger/ledger-files.js'
import { visiblyPassed } from './crash-kit.js'

const wf = (cwd: string, args: string[]) => runCli(args, { cwd, env: { GITHUB_ACTIONS: undefined } })
const sh = (command: string, ...args: string[]) => spawnSync(command, args, { encoding: 'utf8' })

/** Why mounts cannot be made here, or undefined when they can (a tmpfs is mounted and removed to find out). */
function cannotMount(): string | undefined {
  if (process.platform !== 'linux') return 'tmpfs and bind mounts are Linux only'
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root (CI runs these tests as root)'
  const probe = mkdtempSync(join(tmpdir(), 'wf-mount-probe-'))
  try {
    const mounted = sh('mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe)
    if (mounted.status !== 0) return `mount failed: ${mounted.stderr.trim()}`
    sh('umount', probe)
    return undefined
  } finally {
    rmdirSync(probe)
  }
}
const skip = cannotMount()
if (skip) console.warn(`disk-fault tests skipped: ${skip}`)

const mounts: string[] = []
/** Mounts with `mount ARGS… DIR`; unmounted after the file (or by `unmount`) unless it only remounts. */
function mount(dir: string, ...args: string[]): void {
  const result = sh('mount', ...args, dir)
  if (result.status !== 0) throw new Error(`mount ${args.join(' ')} ${dir}: ${result.stderr}`)
  if (!args.some((a) => a.includes('remount'))) mounts.push(dir)
}
function unmount(dir: string): void {
  const result = sh('umount', dir)
  if (result.status !== 0) throw new Error(`umount ${dir}: ${result.stderr}`)
  mounts.splice(mounts.lastIndexOf(dir), 1)
}
afterAll(() => {
  for (const dir of mounts.reverse()) sh('umount', '-l', dir)
})

/** Every temp file under `dir` (outside .git). */
const tempFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.tmp') && !n.startsWith('.git'))

/** Eight phases that end close together: shell tasks, a template, gates; the ledger grows with each. */
const plan = `version: 1
phases:
  - id: a
    tasks: [{ run: "echo a > out-a.txt" }]
  - id: b
    tasks: [{ template: "builtin:security-policy", to: SECURITY.md, vars: { contact: security@example.com } }]
    gates: [{ files-exist: [SECURITY.md] }]
${['c', 'd', 'e', 'f', 'g']
  .map(
    (id) =>
      `  - id: ${id}\n    tasks: [{ run: "echo ${id} > out-${id}.txt" }]\n    gates: [{ files-exist: [out-${id}.txt] }]\n`,
  )
  .join('')}  - id: h
    needs: [a, b, c, d, e, f, g]
    tasks: [{ run: "cat out-*.txt > all.txt" }]
`

const LEDGER_FAULT =
  /^error: (no space left on device|read-only file system) writing (\S+); the ledger was left as it was before this write \[WF_LEDGER_WRITE\]$/m

describe.skipIf(skip !== undefined)(`disk faults${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('ENOSPC at each write of a run: exit 3 saying what failed, a ledger that verifies, and the next run completes once space is back', {
    timeout: 300_000,
  }, async () => {
    const cwd = testdir({}, { git: false })
    mount(cwd, '-t', 'tmpfs', '-o', 'size=4m', 'tmpfs')
    try {
      git(cwd, 'init', '-q', '-b', 'main')
      mkdirSync(join(cwd, 'phases'))
      writeFileSync(join(cwd, 'phases', 'plan.yaml'), plan)
      writeFileSync(join(cwd, '.gitignore'), '.wf/\nout-*.txt\nall.txt\n')
      git(cwd, 'add', '-A')
      git(cwd, 'commit', '-q', '-m', 'plan')
      const first = await wf(cwd, ['run'])
      expect(first.code, first.stderr).toBe(0)

      const ballast = join(cwd, '.git', 'ballast')
      const failedAt: string[] = []
      for (let k = 0; ; k++) {
        expect(k, 'a run fits in 64 free pages').toBeLessThan(64)
        const { bavail, bsize } = statfsSync(cwd)
        writeFileSync(ballast, Buffer.alloc((bavail - k) * bsize))
        expect(statfsSync(cwd).bavail, `${k} pages are free`).toBe(k)
        const label = `${k} free pages`

        const full = await wf(cwd, ['run', '--force'])
        expect(hasStackTrace(full.stderr), `${label}: ${full.stderr}`).toBe(false)
        expect(tempFiles(cwd), `${label}: the failed write left no temp file`).toEqual([])
        const verify = await wf(cwd, ['ledger', 'verify'])
        expect(verify.code, `${label}: ${verify.stdout}${verify.stderr}`).toBe(0)
        if (full.code === 0) break
        expect(full.code, `${label}: ${full.stdout}${full.stderr}`).toBe(3)
        const fault = LEDGER_FAULT.exec(full.stderr)
        expect(fault, `${label}: ${full.stderr}`).not.toBeNull()
        expect(full.stderr).toContain('hint: free space, then run `wf run --force` again')
        // Where it landed: which file, after how many of the run's phases were on disk.
        // As readers see it: ledger.json with the run's journal replayed over it.
        const { ledger } = await readLedger(cwd, WF_VERSION)
        const mine = Object.values(ledger.phases).filter((p) => p?.runId === ledger.active?.runId)
        failedAt.push(`${fault![2]!.replace(/\d{8}/, 'N')} after ${mine.length} phases`)
        for (const id of visiblyPassed(full.stdout))
          expect(ledger.phases[id], `${label}: ${id} was shown passed, so it is on disk`).toMatchObject({
            status: 'passed',
            runId: ledger.active?.runId,
          })
        const status = await wf(cwd, ['status'])
        expect(status.code, `${label}: readers still work: ${status.stderr}`).toBe(0)

        rmSync(ballast)
        const next = await wf(cwd, ['run'])
        expect(next.code, `${label}, then space is back: ${next.stdout}${next.stderr}`).toBe(0)
        const after = await wf(cwd, ['ledger', 'verify'])
        expect(after.code, `${label}, then space is back: ${after.stdout}${after.stderr}`).toBe(0)
      }
      rmSync(ballast, { force: true })
      // The failure moved from write to write: the lock, the run record, ledger.json as phases ended.
      expect(failedAt.slice(0, 2), failedAt.join('\n')).toEqual([
        '.wf/lock after 0 phases',
        '.wf/runs/N.json after 0 phases',
      ])
      expect(new Set(failedAt).size, failedAt.join('\n')).toBeGreaterThanOrEqual(4)
    } finally {
      unmount(cwd)
    }
  })

  it('read-only .wf: `wf run` exits 3 saying so; status and verify still answer', { timeout: 60_000 }, async () => {
    const cwd = testdir({ 'phases/plan.yaml': plan })
    expect((await wf(cwd, ['run'])).code).toBe(0)
    const dir = join(cwd, '.wf')
    mount(dir, '--bind', dir)
    try {
      mount(dir, '-o', 'remount,bind,ro', dir)
      const run = await wf(cwd, ['run', '--force'])
      expect(run.code, run.stderr).toBe(3)
      expect(run.stderr).toMatch(LEDGER_FAULT)
      expect(run.stderr).toContain('read-only file system writing .wf/lock')
      expect(run.stderr).toContain('hint: make the folder of .wf/lock writable, then run `wf run --force` again')
      expect(hasStackTrace(run.stderr)).toBe(false)
      const json = await wf(cwd, ['run', '--json'])
      expect(json.code).toBe(3)
      expect(JSON.parse(json.stdout).error.code).toBe('WF_LEDGER_WRITE')
      expect((await wf(cwd, ['status'])).code).toBe(0)
      expect((await wf(cwd, ['ledger', 'verify'])).code).toBe(0)
    } finally {
      unmount(dir)
    }
    const again = await wf(cwd, ['run', '--force'])
    expect(again.code, again.stderr).toBe(0)
  })

  it('a write the disk refuses anywhere else is said in words, not as an internal error', {
    timeout: 30_000,
  }, async () => {
    const cwd = gitRepo({ 'README.md': 'hello\n' })
    mount(cwd, '--bind', cwd)
    try {
      mount(cwd, '-o', 'remount,bind,ro', cwd)
      const hooks = await wf(cwd, ['hooks', 'install'])
      expect(hooks.code).toBe(1)
      expect(hooks.stderr).toMatch(/^error: read-only file system writing \S+pre-commit \[WF_WRITE_FAILED\]$/m)
      expect(hooks.stderr).not.toContain('internal error')
    } finally {
      unmount(cwd)
    }
  })

  it('a generated file the disk refuses fails its task saying so, and the ledger records it', {
    timeout: 60_000,
  }, async () => {
    const cwd = testdir({
      'phases/plan.yaml': `version: 1
phases:
  - id: docs
    tasks: [{ template: "builtin:security-policy", to: docs/SECURITY.md, vars: { contact: security@example.com } }]
`,
      'docs/README.md': 'docs\n',
    })
    const docs = join(cwd, 'docs')
    mount(docs, '--bind', docs)
    try {
      mount(docs, '-o', 'remount,bind,ro', docs)
      const run = await wf(cwd, ['run'])
      expect(run.code, run.stderr).toBe(1)
      expect(run.stdout).toContain('read-only file system writing docs/SECURITY.md')
      expect(hasStackTrace(run.stdout + run.stderr)).toBe(false)
      expect(tempFiles(cwd)).toEqual([])
      expect(readJson<Ledger>(join(cwd, '.wf', 'ledger.json')).phases.docs?.status).toBe('failed')
      expect((await wf(cwd, ['ledger', 'verify'])).code).toBe(0)
    } finally {
      unmount(docs)
    }
    const again = await wf(cwd, ['run'])
    expect(again.code, again.stderr).toBe(0)
  })
})
