import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { git, gitRepo, testdir } from '../helpers.js'

const plan = `version: 1
phases:
  - id: pa
    inputs: ["a/**"]
    tasks: [{ run: "node -e \\"require('fs').appendFileSync('log.txt', 'pa\\\\n')\\"" }]
  - id: pb
    inputs: [b/x.txt]
    tasks: [{ run: "node -e \\"require('fs').appendFileSync('log.txt', 'pb\\\\n')\\"" }]
  - id: pc
    needs: [pb]
    inputs: ["c/**"]
    tasks: [{ run: "node -e \\"require('fs').appendFileSync('log.txt', 'pc\\\\n')\\"" }]
  - id: pd
    needs: [pa]
    inputs: ["c/**"]
    tasks: [{ run: "node -e \\"require('fs').appendFileSync('log.txt', 'pd\\\\n')\\"" }]
`
const env = { GITHUB_ACTIONS: undefined }
const wf = (cwd: string, ...args: string[]) => runCli(args, { cwd, env })
const ran = (cwd: string) => {
  const log = join(cwd, 'log.txt')
  const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []
  rmSync(log, { force: true })
  return lines
}
const listed = async (cwd: string, ...args: string[]) => {
  const result = await wf(cwd, 'list', '--affected', ...args, '--json')
  expect(result.stderr).toBe('')
  return JSON.parse(result.stdout).phases.map((p: { id: string; affected: string }) => `${p.id}: ${p.affected}`)
}

/** A repository on branch `feature`, which changed b/x.txt in a commit; with `run`, main passed every phase first. */
async function branchThatChangedB(options: { run?: boolean } = {}): Promise<string> {
  const cwd = gitRepo({
    'phases/p.yaml': plan,
    'a/x.txt': '1\n',
    'b/x.txt': '1\n',
    'c/x.txt': '1\n',
    '.gitignore': '.wf/\nlog.txt\n',
  })
  if (options.run) {
    expect((await wf(cwd, 'run')).code).toBe(0)
    expect(ran(cwd).sort()).toEqual(['pa', 'pb', 'pc', 'pd'])
  }
  git(cwd, 'checkout', '-q', '-b', 'feature')
  writeFileSync(join(cwd, 'b/x.txt'), '2\n')
  git(cwd, 'commit', '-q', '-am', 'change b')
  return cwd
}

describe('--affected', () => {
  it('runs exactly the phase whose input changed on the branch and its dependants; list shows the same', async () => {
    const cwd = await branchThatChangedB({ run: true })
    expect(await listed(cwd, '--since', 'main')).toEqual(['pb: b/x.txt changed', 'pc: it needs pb'])
    const text = await wf(cwd, 'list', '--affected', '--since', 'main')
    expect(text.stdout).toMatch(/Affected since main \(merge base [0-9a-f]{12}\), 1 changed file:/)
    expect(text.stdout).toMatch(/^pc .* it needs pb$/m)

    const result = await wf(cwd, 'run', '--affected', '--since', 'main', '--json')
    expect(result.code).toBe(0)
    expect(ran(cwd)).toEqual(['pb', 'pc'])
    const json = JSON.parse(result.stdout)
    expect(json.phases.map((p: { id: string; status: string }) => `${p.id} ${p.status}`)).toEqual([
      'pb passed',
      'pc passed',
    ])
    expect(json.affected).toMatchObject({ since: 'main', files: ['b/x.txt'] })
    expect(result.stderr).toContain('pc: it needs pb')
    // Forced, the phases that are not affected still do not run.
    expect((await wf(cwd, 'run', '--affected', '--since', 'main', '--force')).code).toBe(0)
    expect(ran(cwd)).toEqual(['pb', 'pc'])
  })

  it('counts staged, unstaged and untracked files; the default ref is the default branch', async () => {
    const cwd = await branchThatChangedB()
    writeFileSync(join(cwd, 'a/new.txt'), 'untracked\n')
    expect(await listed(cwd)).toEqual([
      'pa: a/new.txt changed',
      'pb: b/x.txt changed',
      'pc: it needs pb',
      'pd: it needs pa',
    ])
    rmSync(join(cwd, 'a/new.txt'))
    git(cwd, 'checkout', '-q', 'main', '--', 'b/x.txt')
    expect(await listed(cwd)).toEqual([])
    const nothing = await wf(cwd, 'run', '--affected')
    expect(nothing.code).toBe(0)
    expect(nothing.stdout).toContain('no phase is affected')
    expect(ran(cwd)).toEqual([])
    writeFileSync(join(cwd, 'c/x.txt'), 'unstaged\n')
    // No ledger here: what pc and pd need has not passed, so it is added.
    const cChanged = [
      'pa: pd needs it and it has not passed (never-run)',
      'pb: pc needs it and it has not passed (never-run)',
      'pc: c/x.txt changed',
      'pd: c/x.txt changed',
    ]
    expect(await listed(cwd)).toEqual(cChanged)
    git(cwd, 'add', 'c/x.txt')
    expect(await listed(cwd)).toEqual(cChanged)
    expect((await wf(cwd, 'run', '--affected')).code).toBe(0)
    expect(ran(cwd).sort()).toEqual(['pa', 'pb', 'pc', 'pd'])
    writeFileSync(join(cwd, 'c/x.txt'), 'again\n')
    expect(await listed(cwd)).toEqual(['pc: c/x.txt changed', 'pd: c/x.txt changed'])
  })

  it('in a depth-1 clone says what to fetch (exit 2), and works once that is fetched', async () => {
    const origin = await branchThatChangedB()
    const cwd = testdir({}, { git: false })
    git(cwd, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${origin}`, '.')
    const missing = await wf(cwd, 'run', '--affected', '--since', 'main')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('`main` names no commit in this shallow clone')
    expect(missing.stderr).toContain('git fetch --unshallow origin main:refs/remotes/origin/main')
    expect(missing.stderr).toContain('fetch-depth: 0')
    expect(ran(cwd)).toEqual([])

    git(cwd, 'fetch', '-q', '--unshallow', 'origin', 'main:refs/remotes/origin/main')
    expect(await listed(cwd, '--since', 'origin/main')).toEqual(['pb: b/x.txt changed', 'pc: it needs pb'])
  })

  it('in a shallow clone without the merge base says to deepen the history (exit 2)', async () => {
    const origin = await branchThatChangedB()
    const cwd = testdir({}, { git: false })
    git(cwd, 'clone', '-q', '--depth', '1', '--no-single-branch', '--branch', 'feature', `file://${origin}`, '.')
    const result = await wf(cwd, 'list', '--affected', '--since', 'origin/main')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('HEAD and `origin/main` have no merge base in this shallow clone')
    expect(result.stderr).toContain('git fetch --unshallow')
  })

  it('does not count the ledger folder as a change, even where .wf/ is not ignored', async () => {
    const cwd = gitRepo({ 'phases/p.yaml': 'version: 1\nphases: [{ id: any }]\n' })
    expect((await wf(cwd, 'run')).code).toBe(0)
    expect(existsSync(join(cwd, '.wf', 'ledger.json'))).toBe(true)
    expect(await listed(cwd, '--since', 'main')).toEqual([])
    writeFileSync(join(cwd, 'notes.txt'), 'x\n')
    expect(await listed(cwd, '--since', 'main')).toEqual([
      'any: it declares no inputs, so any change counts (notes.txt)',
    ])
  })

  it('refuses a ref that git would read as an option', async () => {
    const cwd = gitRepo({ 'phases/p.yaml': plan })
    const result = await wf(cwd, 'run', '--affected', '--since=--output=x')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('a ref may not start with `-`')
    expect(existsSync(join(cwd, 'x'))).toBe(false)
  })
})
