import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { runCli } from '../../cli-in-process.js'
import { gitRepo, hasStackTrace } from '../../helpers.js'

const PLAN = `version: 1
phases:
  - id: lint
    tasks: [{ run: "echo lint" }]
  - id: test
    needs: [lint]
    tasks: [{ run: "echo test" }]
  - id: 3rd-party
    needs: [lint]
    gates: [{ files-exist: [README.md] }]
  - id: release
    needs: [test, 3rd-party]
    gates: [{ files-exist: [README.md] }]
`
const WORKFLOW = '.github/workflows/wf.yml'

describe('wf ci github', () => {
  it('--use-action puts the action in each phase job; --check needs the same flag', async () => {
    const repo = gitRepo({ 'phases/ci.yaml': PLAN, 'README.md': '# r\n' })
    const ref = 'acme/wf@0123456789abcdef0123456789abcdef01234567'
    const write = await runCli(['ci', 'github', '--use-action', ref], { cwd: repo })
    expect(write.code, write.stderr).toBe(0)
    const text = readFileSync(join(repo, WORKFLOW), 'utf8')
    expect(text.match(new RegExp(`uses: ${ref}\n`, 'g'))).toHaveLength(4)
    expect(text).not.toMatch(/run: .*run-phase/)
    expect((await runCli(['ci', 'github', '--check', '--use-action', ref], { cwd: repo })).code).toBe(0)
    expect((await runCli(['ci', 'github', '--check'], { cwd: repo })).code).toBe(1)
    const bad = await runCli(['ci', 'github', '--use-action', 'acme/wf'], { cwd: repo })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('is not a reference to an action')
  })

  it('writes the workflow with a job per phase, and --check passes on it', async () => {
    const repo = gitRepo({ 'phases/ci.yaml': PLAN, 'README.md': '# r\n' })
    const write = await runCli(['ci', 'github'], { cwd: repo })
    expect(write.code, write.stderr).toBe(0)
    expect(write.stdout).toContain(`wrote ${WORKFLOW}: 5 jobs`)
    const jobs = (parse(readFileSync(join(repo, WORKFLOW), 'utf8')) as { jobs: Record<string, { needs?: string[] }> })
      .jobs
    expect(Object.fromEntries(Object.entries(jobs).map(([id, job]) => [id, job.needs ?? []]))).toEqual({
      lint: [],
      test: ['lint'],
      'phase-3rd-party': ['lint'],
      release: ['test', 'phase-3rd-party'],
      'wf-ledger': ['lint', 'test', 'phase-3rd-party', 'release'],
    })
    const check = await runCli(['ci', 'github', '--check'], { cwd: repo })
    expect(check.code, check.stderr).toBe(0)
    expect(check.stdout).toContain(`${WORKFLOW} is current`)
    const again = await runCli(['ci', 'github'], { cwd: repo })
    expect(again.stdout).toContain('is unchanged')
  })

  it('--check fails with a diff after the workflow is edited, and after the plan changes', async () => {
    const repo = gitRepo({ 'phases/ci.yaml': PLAN, 'README.md': '# r\n' })
    expect((await runCli(['ci', 'github'], { cwd: repo })).code).toBe(0)
    const file = join(repo, WORKFLOW)
    const generated = readFileSync(file, 'utf8')
    writeFileSync(file, generated.replace('runs-on: ubuntu-latest', 'runs-on: windows-latest'))
    const edited = await runCli(['ci', 'github', '--check'], { cwd: repo })
    expect(edited.code).toBe(1)
    expect(edited.stderr).toMatch(/^-\s+runs-on: windows-latest$/m)
    expect(edited.stderr).toMatch(/^\+\s+runs-on: ubuntu-latest$/m)
    expect(edited.stderr).toContain('run `wf ci github` to regenerate it')
    expect(readFileSync(file, 'utf8')).toContain('windows-latest') // --check writes nothing

    writeFileSync(file, generated)
    expect((await runCli(['ci', 'github', '--check'], { cwd: repo })).code).toBe(0)
    writeFileSync(
      join(repo, 'phases/ci.yaml'),
      `${PLAN}  - id: deploy\n    needs: [release]\n    tasks: [{ run: "echo deploy" }]\n`,
    )
    const changed = await runCli(['ci', 'github', '--check', '--json'], { cwd: repo })
    expect(changed.code).toBe(1)
    const result = JSON.parse(changed.stdout) as { state: string; diff: string }
    expect(result.state).toBe('stale')
    expect(result.diff).toMatch(/^\+ {2}deploy:$/m)
    // Flags count too: the same plan with another runner label is a different workflow.
    expect((await runCli(['ci', 'github'], { cwd: repo })).code).toBe(0)
    expect((await runCli(['ci', 'github', '--check'], { cwd: repo })).code).toBe(0)
    expect((await runCli(['ci', 'github', '--check', '--runs-on', 'ubuntu-24.04'], { cwd: repo })).code).toBe(1)
  })

  it('--check on a missing workflow exits 1 and says what to run', async () => {
    const repo = gitRepo({ 'phases/ci.yaml': PLAN, 'README.md': '# r\n' })
    const result = await runCli(['ci', 'github', '--check'], { cwd: repo })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`${WORKFLOW} does not exist; run \`wf ci github\``)
    expect(existsSync(join(repo, WORKFLOW))).toBe(false)
  })

  it('honours --output and the job settings', async () => {
    const repo = gitRepo({ 'phases/ci.yaml': PLAN, 'README.md': '# r\n' })
    const result = await runCli(
      [
        'ci',
        'github',
        '--output',
        'ci/wf.yaml',
        '--wf-command',
        './bin/run.js',
        '--node-version',
        '22',
        '--runs-on',
        'ubuntu-24.04',
        '--branch',
        'main',
        '--branch',
        'release',
      ],
      { cwd: repo },
    )
    expect(result.code, result.stderr).toBe(0)
    const text = readFileSync(join(repo, 'ci/wf.yaml'), 'utf8')
    const workflow = parse(text) as {
      on: { push: { branches: string[] } }
      jobs: Record<string, { 'runs-on': string; steps: { run?: string; with?: Record<string, unknown> }[] }>
    }
    expect(workflow.on.push.branches).toEqual(['main', 'release'])
    expect(workflow.jobs.test!['runs-on']).toBe('ubuntu-24.04')
    expect(workflow.jobs.test!.steps.map((s) => s.run)).toContain('./bin/run.js run-phase test')
    expect(workflow.jobs.test!.steps.find((s) => s.with?.['node-version'])!.with).toEqual({
      'node-version': '22',
      cache: 'npm',
    })
    // Another installer: no npm cache (it would need package-lock.json).
    expect(
      (
        await runCli(
          [
            'ci',
            'github',
            '--output',
            'ci/pnpm.yaml',
            '--install',
            'corepack enable && pnpm install --frozen-lockfile',
          ],
          { cwd: repo },
        )
      ).code,
    ).toBe(0)
    const pnpm = parse(readFileSync(join(repo, 'ci/pnpm.yaml'), 'utf8')) as typeof workflow
    expect(pnpm.jobs.test!.steps.find((s) => s.with?.['node-version'])!.with).toEqual({ 'node-version': '20' })
    expect(pnpm.jobs.test!.steps.map((s) => s.run)).toContain('corepack enable && pnpm install --frozen-lockfile')
  })

  it('an invalid plan exits 2 with the plan error and writes nothing', async () => {
    const repo = gitRepo({ 'phases/ci.yaml': PLAN.replace('needs: [lint]', 'needs: [lnt]') })
    const result = await runCli(['ci', 'github'], { cwd: repo })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('lnt')
    expect(hasStackTrace(result.stderr)).toBe(false)
    expect(existsSync(join(repo, WORKFLOW))).toBe(false)
  })

  it('passes the workflow checks of builtin:governance', async () => {
    const repo = gitRepo({
      'phases/ci.yaml': `${PLAN}  - id: gov\n    extends: builtin:governance\n`,
      'README.md': '# r\n',
    })
    expect((await runCli(['ci', 'github'], { cwd: repo })).code).toBe(0)
    const check = await runCli(['check', 'gov', '--json'], { cwd: repo })
    const gates = (
      JSON.parse(check.stdout) as { phases: { gates: { name: string; status: string; message: string }[] }[] }
    ).phases[0]!.gates
    const workflowGates = gates.filter((g) => /workflow/.test(g.name))
    expect(workflowGates.map((g) => g.name).sort()).toEqual([
      'workflow actions pinned to a commit',
      'workflow permissions declared',
    ])
    for (const gate of workflowGates) expect(gate.status, gate.message).toBe('passed')
  })

  it('has help with examples', async () => {
    const result = await runCli(['ci', 'github', '--help'], { cwd: gitRepo({ 'phases/ci.yaml': PLAN }) })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/EXAMPLES/)
    expect(result.stdout).toContain('--check')
    expect(result.stdout).toContain('--wf-command')
  })
})
