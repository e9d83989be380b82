import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir, type WfResult } from '../helpers.js'

interface PhaseRecord {
  id: string
  status: string
  reason?: string
  startedAt?: string
  endedAt?: string
  tasks?: {
    name: string
    status: string
    startedAt?: string
    attempts?: number
    message?: string
    allowedFailure?: boolean
    output?: string
  }[]
  gates?: { name: string; status: string; message: string }[]
}

const plainEnv = (env: Record<string, string | undefined>) => ({
  GITHUB_ACTIONS: undefined,
  WF_TEST_FLAG: undefined,
  ...env,
})
/** Runs wf in this process with the plain reporter unless the test asks for GitHub Actions. */
const wf = (cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<WfResult> =>
  runCli(args, { cwd, env: plainEnv(env) })

const ledgerText = (cwd: string) => readFileSync(join(cwd, '.wf', 'ledger.json'), 'utf8')
const ledger = (cwd: string) =>
  JSON.parse(ledgerText(cwd)) as { phases: Record<string, PhaseRecord>; passed: Record<string, unknown> }
const runFiles = (cwd: string) =>
  readdirSync(join(cwd, '.wf', 'runs'))
    .filter((n) => /^\d{8}\.json$/.test(n))
    .sort()
const lastRun = (cwd: string) =>
  JSON.parse(readFileSync(join(cwd, '.wf', 'runs', runFiles(cwd).at(-1)!), 'utf8')) as {
    status: string
    phases: PhaseRecord[]
  }
const statuses = (cwd: string) => Object.fromEntries(Object.values(ledger(cwd).phases).map((p) => [p.id, p.status]))
const lines = (cwd: string, file = 'log.txt') =>
  existsSync(join(cwd, file)) ? readFileSync(join(cwd, file), 'utf8').split('\n').filter(Boolean) : []
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()

/** A temp folder that is a real git repository on `main` with `tree` committed; returns the folder and the commit. */
function gitRepo(tree: Record<string, string>): { cwd: string; first: string } {
  const cwd = testdir(tree, { git: false })
  git(cwd, 'init', '-q', '-b', 'main')
  git(cwd, 'config', 'user.name', 'wf test')
  git(cwd, 'config', 'user.email', 'wf@example.test')
  git(cwd, 'config', 'commit.gpgsign', 'false')
  git(cwd, 'add', '-A')
  git(cwd, 'commit', '-q', '-m', 'initial')
  return { cwd, first: git(cwd, 'rev-parse', 'HEAD') }
}

/** [start, end] in milliseconds of each phase of a run record. */
const intervals = (phases: PhaseRecord[]) =>
  phases.map((p) => [Date.parse(p.startedAt!), Date.parse(p.endedAt!)] as const)

describe('wf run', () => {
  it('runs a diamond in dependency order, one at a time in `wf list` order', async () => {
    const cwd = testdir({
      'phases/diamond.yaml': `version: 1
phases:
  - id: d
    needs: [b, c]
    tasks: [{ run: "echo d >> log.txt" }]
  - id: c
    needs: [a]
    tasks: [{ run: "echo c >> log.txt" }]
  - id: b
    needs: [a]
    tasks: [{ run: "echo b >> log.txt" }]
  - id: a
    tasks: [{ run: "echo a >> log.txt" }]
`,
    })
    const result = await wf(cwd, ['run'])
    expect(result.code, result.stderr).toBe(0)
    const log = lines(cwd)
    expect([...log].sort()).toEqual(['a', 'b', 'c', 'd'])
    expect(log[0]).toBe('a')
    expect(log[3]).toBe('d')
    expect(statuses(cwd)).toEqual({ a: 'passed', b: 'passed', c: 'passed', d: 'passed' })

    const order = JSON.parse((await wf(cwd, ['list', '--json'])).stdout).phases.map((p: { id: string }) => p.id)
    expect(order[0]).toBe('a')
    expect(order[3]).toBe('d')
    rmSync(join(cwd, 'log.txt'))
    const serial = await wf(cwd, ['run', '--force', '--concurrency', '1'])
    expect(serial.code, serial.stderr).toBe(0)
    expect(lines(cwd)).toEqual(order)
    expect(lastRun(cwd).phases.map((p) => p.id)).toEqual(order)
  })

  it('runs independent phases at once up to --concurrency, and one after another with --concurrency 1', {
    timeout: 30_000,
  }, async () => {
    const plan = (sleep: string) => `version: 1
phases:
${['p1', 'p2', 'p3', 'p4'].map((id) => `  - id: ${id}\n    tasks: [{ run: "sleep ${sleep}" }]\n`).join('')}`
    const cwd = testdir({ 'phases/p.yaml': plan('1') })
    const parallel = await wf(cwd, ['run', '--concurrency', '4'])
    expect(parallel.code, parallel.stderr).toBe(0)
    const together = intervals(lastRun(cwd).phases)
    expect(together).toHaveLength(4)
    for (const [start] of together) for (const [, end] of together) expect(start).toBeLessThan(end)

    // One after another needs no long sleeps: no two intervals may overlap, however short.
    writeFileSync(join(cwd, 'phases', 'p.yaml'), plan('0.2'))
    const serial = await wf(cwd, ['run', '--concurrency', '1', '--force'])
    expect(serial.code, serial.stderr).toBe(0)
    const run = lastRun(cwd)
    expect(run.phases.map((p) => p.status)).toEqual(['passed', 'passed', 'passed', 'passed'])
    const apart = intervals(run.phases).sort((x, y) => x[0] - y[0])
    for (let i = 1; i < apart.length; i++) expect(apart[i]![0]).toBeGreaterThanOrEqual(apart[i - 1]![1])
    // Each phase lasted at least its sleep: the ledger records when the work ended, not when it was started.
    for (const [start, end] of apart) expect(end - start).toBeGreaterThanOrEqual(190)
  })

  it('stops at the first failure: cancels running phases and blocks dependants (exit 1)', {
    timeout: 30_000,
  }, async () => {
    const cwd = testdir({
      'phases/p.yaml': `version: 1
phases:
  - id: broken
    tasks: [{ run: "sleep 0.3; exit 3" }]
  - id: slow
    tasks: [{ run: "sleep 30; echo slow >> log.txt" }]
  - id: after
    needs: [broken]
    tasks: [{ run: "echo after >> log.txt" }]
`,
    })
    const result = await wf(cwd, ['run', '--concurrency', '4'])
    expect(result.code, result.stderr).toBe(1)
    const phases = ledger(cwd).phases
    expect(phases.broken!.status).toBe('failed')
    expect(phases.broken!.tasks![0]!.message).toContain('exit code 3')
    // slow was stopped, not waited for: its task never reached its echo (the test would time out first).
    expect(phases.slow!.status).toBe('cancelled')
    expect(phases.slow!.tasks![0]!.status).toBe('cancelled')
    expect(Date.parse(phases.slow!.endedAt!)).toBeGreaterThanOrEqual(Date.parse(phases.broken!.endedAt!))
    expect(phases.after!.status).toBe('blocked')
    expect(phases.after!.reason).toContain('broken')
    expect(lines(cwd)).toEqual([])
    expect(lastRun(cwd).status).toBe('failed')
  })

  it('stops waiting to retry when another phase fails', { timeout: 30_000 }, async () => {
    // flaky counts its attempts in a file; broken fails half a second after the fifth has begun, while
    // flaky waits 4 s (the backoff after attempts 1-5 is 250, 500, 1000, 2000, 4000 ms) for its sixth.
    const cwd = testdir({
      'phases/p.yaml': `version: 1
phases:
  - id: flaky
    tasks: [{ run: "n=$(cat count 2>/dev/null || echo 0); echo $((n+1)) > count; exit 1", retries: 10 }]
  - id: broken
    tasks: [{ run: "until [ \\"$(cat count 2>/dev/null)\\" = 5 ]; do sleep 0.02; done; sleep 0.5; exit 3" }]
`,
    })
    const result = await wf(cwd, ['run', '--concurrency', '2'])
    expect(result.code).toBe(1)
    const phases = ledger(cwd).phases
    expect(phases.broken!.status).toBe('failed')
    expect(phases.flaky!.status).toBe('cancelled')
    const task = phases.flaky!.tasks![0]!
    expect(task).toMatchObject({ status: 'cancelled', attempts: 5, exitCode: 1 })
    expect(readFileSync(join(cwd, 'count'), 'utf8').trim()).toBe('5')
    // flaky was stopped by broken's failure, in its wait before a sixth attempt that never ran.
    expect(Date.parse(phases.flaky!.endedAt!)).toBeGreaterThanOrEqual(Date.parse(phases.broken!.endedAt!))
  })

  it('keeps running independent phases with --continue-on-error and blocks dependants of the failure', async () => {
    const cwd = testdir({
      'phases/p.yaml': `version: 1
phases:
  - id: broken
    tasks: [{ run: "exit 3" }]
  - id: dependant
    needs: [broken]
    tasks: [{ run: "echo dependant >> log.txt" }]
  - id: left
    tasks: [{ run: "sleep 0.3; echo left >> log.txt" }]
  - id: right
    needs: [left]
    tasks: [{ run: "echo right >> log.txt" }]
`,
    })
    const result = await wf(cwd, ['run', '--continue-on-error'])
    expect(result.code, result.stderr).toBe(1)
    expect(statuses(cwd)).toEqual({ broken: 'failed', dependant: 'blocked', left: 'passed', right: 'passed' })
    expect(lines(cwd)).toEqual(['left', 'right'])
    expect(lastRun(cwd).status).toBe('failed')
  })

  it('retries a failing task with backoff and records the attempts', { timeout: 30_000 }, async () => {
    const flaky = 'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; test $n -ge 3'
    const plan = (retries: number) => `version: 1
phases:
  - id: flaky
    tasks: [{ run: "${flaky}", retries: ${retries} }]
`
    const enough = testdir({ 'phases/p.yaml': plan(2) })
    const passed = await wf(enough, ['run'])
    expect(passed.code, passed.stdout + passed.stderr).toBe(0)
    expect(passed.stdout).toMatch(/retrying in 250ms \(attempt 2\)/)
    expect(passed.stdout).toMatch(/retrying in 500ms \(attempt 3\)/)
    const record = ledger(enough).phases.flaky!
    expect(record.status).toBe('passed')
    expect(record.tasks![0]).toMatchObject({ status: 'passed', attempts: 3 })

    const tooFew = testdir({ 'phases/p.yaml': plan(1) })
    const failed = await wf(tooFew, ['run'])
    expect(failed.code).toBe(1)
    expect(ledger(tooFew).phases.flaky!.tasks![0]).toMatchObject({ status: 'failed', attempts: 2 })
    expect(readFileSync(join(tooFew, 'count'), 'utf8').trim()).toBe('2')
  })

  it('fails a task that runs past its timeout, and lets continue_on_error tasks fail without failing the phase', {
    timeout: 30_000,
  }, async () => {
    const cwd = testdir({
      'phases/p.yaml': `version: 1
phases:
  - id: hangs
    tasks: [{ run: "sleep 30; echo hangs >> log.txt", timeout: 500ms }]
  - id: tolerant
    tasks:
      - { run: "exit 4", continue_on_error: true }
      - { run: "echo tolerant >> log.txt" }
`,
    })
    const result = await wf(cwd, ['run', '--continue-on-error'])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('timed out')
    const phases = ledger(cwd).phases
    expect(phases.hangs!.status).toBe('failed')
    expect(phases.hangs!.tasks![0]!.message).toBe('timed out after 500ms')
    // It was killed at its timeout, not waited for: its echo never ran (the test would time out first).
    expect(phases.tolerant!.status).toBe('passed')
    expect(phases.tolerant!.tasks![0]).toMatchObject({ status: 'failed', allowedFailure: true })
    expect(phases.tolerant!.tasks![1]).toMatchObject({ status: 'passed' })
    expect(lines(cwd)).toEqual(['tolerant'])
  })

  it('evaluates when: conditions, and runs the dependants of skipped phases', async () => {
    const { cwd, first } = gitRepo({ '.gitignore': '.wf/\nlog.txt\n', 'present.txt': 'here\n', 'src/a.txt': 'one\n' })
    writeFileSync(join(cwd, 'src', 'a.txt'), 'two\n')
    const plan = `version: 1
phases:
  - id: flag
    when: { env: WF_TEST_FLAG }
    tasks: [{ run: "echo flag >> log.txt" }]
  - id: after-flag
    needs: [flag]
    tasks: [{ run: "echo after-flag >> log.txt" }]
  - id: file-yes
    when: { file: present.txt }
  - id: file-no
    when: { file: missing.txt }
  - id: not-missing
    when: { not: { file: missing.txt } }
  - id: not-present
    when: { not: { file: present.txt } }
  - id: all-of
    when: { all: [{ file: present.txt }, { env: WF_TEST_FLAG }] }
  - id: any-yes
    when: { any: [{ file: missing.txt }, { file: present.txt }] }
  - id: any-no
    when: { any: [{ file: missing.txt }, { env: WF_TEST_FLAG }] }
  - id: run-yes
    when: { run: "test -f present.txt" }
  - id: run-no
    when: { run: "test -f x" }
  - id: on-main
    when: { branch: main }
  - id: on-release
    when: { branch: "release/*" }
  - id: src-changed
    when: { changed: { paths: "src/**", since: ${first} } }
  - id: docs-changed
    when: { changed: { paths: "docs/**", since: ${first} } }
`
    mkdirSync(join(cwd, 'phases'))
    writeFileSync(join(cwd, 'phases', 'p.yaml'), plan)
    git(cwd, 'add', '-A')
    git(cwd, 'commit', '-q', '-m', 'plan and a change in src')

    const unset = await wf(cwd, ['run'])
    expect(unset.code, unset.stdout + unset.stderr).toBe(0)
    expect(statuses(cwd)).toEqual({
      flag: 'skipped',
      'after-flag': 'passed',
      'file-yes': 'passed',
      'file-no': 'skipped',
      'not-missing': 'passed',
      'not-present': 'skipped',
      'all-of': 'skipped',
      'any-yes': 'passed',
      'any-no': 'skipped',
      'run-yes': 'passed',
      'run-no': 'skipped',
      'on-main': 'passed',
      'on-release': 'skipped',
      'src-changed': 'passed',
      'docs-changed': 'skipped',
    })
    const phases = ledger(cwd).phases
    expect(phases.flag!.reason).toContain('WF_TEST_FLAG')
    expect(phases['file-no']!.reason).toContain('missing.txt')
    expect(phases['run-no']!.reason).toContain('test -f x')
    expect(phases['on-release']!.reason).toContain('main')
    expect(phases['docs-changed']!.reason).toContain('docs/**')
    expect(lines(cwd)).toEqual(['after-flag'])
    expect(unset.stdout).toMatch(/flag skipped: condition is false: WF_TEST_FLAG is not set/)
    const again = await wf(cwd, ['run'])
    expect(again.code).toBe(0)
    expect(statuses(cwd)['after-flag']).toBe('up-to-date')
    expect((await wf(cwd, ['explain', 'after-flag'])).stdout).toContain('after-flag is up to date')

    const set = await wf(cwd, ['run'], { WF_TEST_FLAG: '1' })
    expect(set.code, set.stdout + set.stderr).toBe(0)
    const now = statuses(cwd)
    expect(now.flag).toBe('passed')
    expect(now['all-of']).toBe('passed')
    expect(now['any-no']).toBe('passed')
    expect(now['file-no']).toBe('skipped')
    expect(lines(cwd)).toEqual(['after-flag', 'flag', 'after-flag'])
  })

  it('skips up-to-date phases, re-runs what changed and its dependants, and explains why', async () => {
    const plan = (cTask: string) => `version: 1
phases:
  - id: a
    inputs: [src/a.txt]
    tasks: [{ run: "echo a >> log.txt" }]
  - id: b
    needs: [a]
    inputs: [src/b.txt]
    tasks: [{ run: "echo b >> log.txt" }]
  - id: c
    inputs: ["src/c/**"]
    tasks: [{ run: "${cTask}" }]
`
    const cwd = testdir({
      'phases/p.yaml': plan('echo c >> log.txt'),
      'src/a.txt': 'one\n',
      'src/b.txt': 'b\n',
      'src/c/old.txt': 'old\n',
    })
    expect((await wf(cwd, ['run'])).code).toBe(0)
    const after1 = lines(cwd)
    expect([...after1].sort()).toEqual(['a', 'b', 'c'])
    expect(after1.indexOf('a')).toBeLessThan(after1.indexOf('b'))

    const second = await wf(cwd, ['run'])
    expect(second.code).toBe(0)
    expect(lines(cwd)).toEqual(after1)
    expect(statuses(cwd)).toEqual({ a: 'up-to-date', b: 'up-to-date', c: 'up-to-date' })
    expect(lastRun(cwd).phases.map((p) => p.status)).toEqual(['up-to-date', 'up-to-date', 'up-to-date'])
    for (const id of ['a', 'b', 'c']) expect((await wf(cwd, ['explain', id])).stdout).toContain(`${id} is up to date`)

    writeFileSync(join(cwd, 'src', 'a.txt'), 'two\n')
    const explainA = await wf(cwd, ['explain', 'a'])
    expect(explainA.code).toBe(0)
    expect(explainA.stdout).toContain('a would run')
    expect(explainA.stdout).toContain('file modified: src/a.txt')
    expect((await wf(cwd, ['explain', 'b'])).stdout).toContain('needed phase `a` changed')
    expect((await wf(cwd, ['explain', 'c'])).stdout).toContain('c is up to date')

    const ledgerBefore = ledgerText(cwd)
    const runsBefore = runFiles(cwd)
    const dry = await wf(cwd, ['run', '--dry-run'])
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toMatch(/would run a: file modified: src\/a\.txt/)
    expect(dry.stdout).toMatch(/would run b: `a` would run first/)
    expect(dry.stdout).toMatch(/up to date c: nothing changed since it passed at/)
    expect(dry.stdout).toContain('nothing was changed')
    expect(ledgerText(cwd)).toBe(ledgerBefore)
    expect(runFiles(cwd)).toEqual(runsBefore)
    expect(lines(cwd)).toEqual(after1)

    const third = await wf(cwd, ['run'])
    expect(third.code).toBe(0)
    expect(lines(cwd)).toEqual([...after1, 'a', 'b'])
    expect(statuses(cwd)).toEqual({ a: 'passed', b: 'passed', c: 'up-to-date' })
    expect(ledger(cwd).phases.a!.reason).toBe('file modified: src/a.txt')

    writeFileSync(join(cwd, 'src', 'c', 'new.txt'), 'new\n')
    expect((await wf(cwd, ['explain', 'c'])).stdout).toContain('file added: src/c/new.txt')
    expect((await wf(cwd, ['run'])).code).toBe(0)
    expect(lines(cwd).at(-1)).toBe('c')
    expect(statuses(cwd)).toEqual({ a: 'up-to-date', b: 'up-to-date', c: 'passed' })

    rmSync(join(cwd, 'src', 'c', 'old.txt'))
    expect((await wf(cwd, ['explain', 'c'])).stdout).toContain('file removed: src/c/old.txt')
    expect((await wf(cwd, ['run'])).code).toBe(0)

    writeFileSync(join(cwd, 'phases', 'p.yaml'), plan('echo c2 >> log.txt'))
    const changed = await wf(cwd, ['explain', 'c', '--json'])
    expect(JSON.parse(changed.stdout)).toMatchObject({
      phase: 'c',
      upToDate: false,
      changes: ['phase definition changed'],
    })
    expect((await wf(cwd, ['run'])).code).toBe(0)
    expect(lines(cwd).at(-1)).toBe('c2')

    const count = lines(cwd).length
    const forced = await wf(cwd, ['run', '--force'])
    expect(forced.code).toBe(0)
    expect(lines(cwd)).toHaveLength(count + 3)
    expect(statuses(cwd)).toEqual({ a: 'passed', b: 'passed', c: 'passed' })
    expect(ledger(cwd).phases.a!.reason).toBe('forced')
  })

  it('records the commit, the branch and whether the tree was dirty with every run', async () => {
    const { cwd, first } = gitRepo({
      '.gitignore': '.wf/\n',
      'phases/p.yaml': 'version: 1\nphases:\n  - id: a\n    tasks: [{ run: "true" }]\n',
      'README.md': '# x\n',
    })
    const wfProcess = (args: string[], env: Record<string, string | undefined> = {}) =>
      runCli(args, { cwd, env: plainEnv(env) })
    const gitOf = () =>
      (JSON.parse(readFileSync(join(cwd, '.wf', 'runs', runFiles(cwd).at(-1)!), 'utf8')) as { git: unknown }).git
    expect((await wfProcess(['run', '--force'])).code).toBe(0)
    expect(gitOf()).toEqual({ commit: first, branch: 'main', dirty: false })
    writeFileSync(join(cwd, 'README.md'), '# changed\n')
    expect((await wfProcess(['run', '--force'])).code).toBe(0)
    expect(gitOf()).toEqual({ commit: first, branch: 'main', dirty: true })
    git(cwd, 'checkout', '-q', 'README.md')
    writeFileSync(join(cwd, 'untracked.txt'), 'new\n')
    expect((await wfProcess(['run', '--force'])).code).toBe(0)
    expect(gitOf()).toMatchObject({ dirty: true })
    // A detached HEAD (as CI checks out) has no branch, unless GitHub Actions names it.
    git(cwd, 'checkout', '-q', '--detach')
    expect(
      (await wfProcess(['run', '--force'], { GITHUB_HEAD_REF: '', GITHUB_REF_TYPE: '', GITHUB_REF_NAME: '' })).code,
    ).toBe(0)
    expect(gitOf()).toMatchObject({ commit: first, branch: null })
    expect(
      (
        await wfProcess(['run', '--force'], {
          GITHUB_HEAD_REF: '',
          GITHUB_REF_TYPE: 'branch',
          GITHUB_REF_NAME: 'release/1.2',
        })
      ).code,
    ).toBe(0)
    expect(gitOf()).toMatchObject({ commit: first, branch: 'release/1.2' })
  })

  it('reads no file of .wf/ for the whole-tree fingerprint, even where git does not ignore .wf/', async () => {
    // A run's own temp files in .wf/ come and go while a phase without inputs hashes the tree:
    // reading one that was just renamed away stopped the run with an internal error (ENOENT).
    const { cwd } = gitRepo({ 'phases/p.yaml': 'version: 1\nphases:\n  - id: a\n    tasks: [{ run: "true" }]\n' })
    const past = new Date(Date.now() - 3_600_000)
    for (const file of ['.wf/old.json', 'notes.txt']) {
      mkdirSync(join(cwd, file, '..'), { recursive: true })
      writeFileSync(join(cwd, file), '{}\n')
      utimesSync(join(cwd, file), past, past)
    }
    const result = await wf(cwd, ['run'])
    expect(result.code, result.stderr).toBe(0)
    expect(statuses(cwd)).toEqual({ a: 'passed' })
    // The hash cache keeps what was read: the untracked file of the tree, nothing of .wf/.
    const hashed = Object.keys(JSON.parse(readFileSync(join(cwd, '.wf', 'hashes.json'), 'utf8')))
    expect(hashed).toContain('notes.txt')
    expect(hashed.filter((path) => path.startsWith('.wf/'))).toEqual([])
    writeFileSync(join(cwd, '.wf', 'old.json'), '{"changed": true}\n')
    expect((await wf(cwd, ['run'])).code).toBe(0)
    expect(statuses(cwd)).toEqual({ a: 'up-to-date' })
  })

  it('wf run-phase refuses unmet needs without --with-deps and suggests close ids', async () => {
    const cwd = testdir({
      'phases/p.yaml': `version: 1
phases:
  - id: setup
    tasks: [{ run: "echo setup >> log.txt" }]
  - id: build
    needs: [setup]
    tasks: [{ run: "echo build >> log.txt" }]
`,
    })
    const refused = await wf(cwd, ['run-phase', 'build'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('`build` needs `setup` (never-run)')
    expect(refused.stderr).toContain('--with-deps')
    expect(lines(cwd)).toEqual([])

    const withDeps = await wf(cwd, ['run-phase', 'build', '--with-deps'])
    expect(withDeps.code, withDeps.stderr).toBe(0)
    expect(lines(cwd)).toEqual(['setup', 'build'])
    expect(statuses(cwd)).toEqual({ setup: 'passed', build: 'passed' })

    const unknown = await wf(cwd, ['run-phase', 'biuld'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no phase `biuld`')
    expect(unknown.stderr).toContain('did you mean `build`?')
  })

  it('redacts secret values from output and the ledger', async () => {
    const planSecret = 'plan-secret-4f9a2c'
    const processSecret = 'proc-token-7b1e0d'
    const taskSecret = 'task-level-91c3aa'
    const cwd = testdir({
      'phases/p.yaml': `version: 1
env:
  DEPLOY_KEY_VALUE: { value: "${planSecret}", secret: true }
phases:
  - id: talks
    tasks: [{ run: 'echo "plan=$DEPLOY_KEY_VALUE process=$MY_API_TOKEN"' }]
  - id: fails
    tasks: [{ run: 'echo "plan=$DEPLOY_KEY_VALUE" >&2; echo "process=$MY_API_TOKEN"; exit 1' }]
  - id: gate-fails
    gates: [{ command: 'echo "gate $DEPLOY_KEY_VALUE $MY_API_TOKEN"; exit 1' }]
  - id: guarded
    when: { env: { MY_API_TOKEN: "another-value" } }
  - id: task-env
    tasks: [{ run: 'echo "release=[$RELEASE]"', env: { RELEASE: { from: RELEASE_SOURCE, secret: true } } }]
`,
    })
    const env = { MY_API_TOKEN: processSecret, RELEASE_SOURCE: taskSecret }
    const plain = await wf(cwd, ['run', '--continue-on-error'], env)
    const json = await wf(cwd, ['run', '--continue-on-error', '--force', '--json'], env)
    const github = await wf(cwd, ['run', '--continue-on-error', '--force'], { ...env, GITHUB_ACTIONS: 'true' })
    const status = await wf(cwd, ['status', '--detailed', '--json'], env)
    for (const result of [plain, json, github]) expect(result.code).toBe(1)
    const written = [ledgerText(cwd), ...runFiles(cwd).map((n) => readFileSync(join(cwd, '.wf', 'runs', n), 'utf8'))]
    for (const text of [
      plain.stdout,
      plain.stderr,
      json.stdout,
      json.stderr,
      github.stdout,
      github.stderr,
      status.stdout,
      ...written,
    ]) {
      expect(text).not.toContain(planSecret)
      expect(text).not.toContain(processSecret)
      expect(text).not.toContain(taskSecret)
    }
    expect(plain.stdout).toContain('plan=*** process=***')
    expect(plain.stdout).toContain('fails │ plan=***')
    expect(plain.stdout).toContain('fails │ process=***')
    expect(plain.stdout).toContain('gate ***')
    expect(plain.stdout).toContain('task-env │ release=[***]')
    const phases = ledger(cwd).phases
    expect(phases.talks!.tasks![0]!.output).toContain('plan=*** process=***')
    expect(phases.fails!.tasks![0]!.output).toContain('plan=***')
    expect(phases['gate-fails']!.gates![0]!.message).toContain('gate *** ***')
    expect(phases.guarded).toMatchObject({
      status: 'skipped',
      reason: 'condition is false: MY_API_TOKEN is "***", not "another-value"',
    })
  })

  it('groups output per phase and annotates failures under GitHub Actions', async () => {
    const cwd = testdir({
      'phases/p.yaml': `version: 1
phases:
  - id: fine
    tasks: [{ run: "echo fine" }]
  - id: bad-task
    tasks: [{ run: "echo boom; exit 3", name: explode }]
  - id: bad-gate
    tasks: [{ run: "true" }]
    gates: [{ files-exist: missing.txt }]
`,
    })
    const result = await wf(cwd, ['run', '--continue-on-error'], { GITHUB_ACTIONS: 'true' })
    expect(result.code).toBe(1)
    const out = result.stdout
    const groups = out.match(/^::group::.*$/gm) ?? []
    expect(groups.sort()).toEqual(['::group::bad-gate: failed', '::group::bad-task: failed', '::group::fine: passed'])
    expect(out.match(/^::endgroup::$/gm)).toHaveLength(3)
    expect(out).toMatch(/^::error title=bad-task%3A explode::`echo boom; exit 3` failed \(exit code 3\)%0Aboom$/m)
    expect(out).toMatch(/^::error title=bad-gate%3A files exist%3A missing\.txt::missing: missing\.txt$/m)
    expect(out).toMatch(/^::error title=wf phase bad-task failed::/m)
    for (const group of out.split('::endgroup::').slice(0, -1)) {
      const id = /::group::([a-z-]+):/.exec(group)![1]
      expect(
        group
          .split('\n')
          .filter((l) => l.includes('▶'))
          .every((l) => l.includes(`▶ ${id}`)),
      ).toBe(true)
    }
    expect(out).not.toMatch(/^\d\d:\d\d:\d\d /m)
  })

  it('prints the result as JSON on stdout with --json and progress on stderr', async () => {
    const cwd = testdir({
      'phases/p.yaml': `version: 1
phases:
  - id: one
    tasks: [{ run: "echo hello-$((40+2))" }]
  - id: two
    needs: [one]
    gates: [{ files-exist: missing.txt }]
`,
    })
    const result = await wf(cwd, ['run', '--json'])
    expect(result.code).toBe(1)
    const json = JSON.parse(result.stdout)
    expect(json).toMatchObject({ status: 'failed', runId: expect.stringMatching(/^1-[0-9a-f]{6}$/) })
    expect(json.phases.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual([
      ['one', 'passed'],
      ['two', 'failed'],
    ])
    expect(json.phases[0].tasks).toEqual([
      expect.objectContaining({ name: 'echo hello-$((40+2))', status: 'passed', exitCode: 0, attempts: 1 }),
    ])
    expect(json.phases[1].gates).toEqual([
      expect.objectContaining({ kind: 'files-exist', status: 'failed', message: 'missing: missing.txt' }),
    ])
    expect(result.stdout).not.toContain('hello-42')
    expect(result.stderr).toContain('one │ hello-42')
    expect(result.stderr).toContain('run failed')
    expect(lastRun(cwd).phases.map((p) => p.id)).toEqual(['one', 'two'])
  })

  it('wf status shows the latest results, gate messages and why a phase would run', async () => {
    const cwd = testdir({
      'phases/p.yaml': `version: 1
phases:
  - id: build
    inputs: [src/x.txt]
    tasks: [{ run: "true" }]
  - id: check
    needs: [build]
    gates:
      - files-exist: [README.md, LICENSE]
  - id: later
    needs: [check]
`,
      'src/x.txt': 'x\n',
      'README.md': '# r\n',
    })
    expect((await wf(cwd, ['run'])).code).toBe(1)
    const table = await wf(cwd, ['status'])
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/^build\s+passed\s/m)
    expect(table.stdout).toMatch(/^check\s+failed\s/m)
    expect(table.stdout).toMatch(/^later\s+blocked\s/m)

    const detailedText = await wf(cwd, ['status', '--detailed'])
    expect(detailedText.stdout).toContain('gate failed    files exist: README.md, LICENSE: missing: LICENSE')

    writeFileSync(join(cwd, 'src', 'x.txt'), 'changed\n')
    const detailed = await wf(cwd, ['status', '--detailed', '--json'])
    expect(detailed.code).toBe(0)
    const report = JSON.parse(detailed.stdout)
    const byId = Object.fromEntries(report.phases.map((p: { id: string }) => [p.id, p]))
    expect(byId.build.status).toBe('passed')
    expect(byId.build.freshness).toEqual({ upToDate: false, changes: ['file modified: src/x.txt'] })
    expect(byId.check.status).toBe('failed')
    expect(byId.check.record.gates).toEqual([
      expect.objectContaining({ status: 'failed', message: 'missing: LICENSE' }),
    ])
    expect(byId.check.freshness).toEqual({ upToDate: false, changes: ['it has not passed before'] })
    expect(byId.later.status).toBe('blocked')
    expect(report.recent).toHaveLength(1)
    expect(report.recent[0]).toMatchObject({ seq: 1, status: 'failed', counts: { passed: 1, failed: 1, blocked: 1 } })
    expect(report.active).toBeNull()
  })
})
