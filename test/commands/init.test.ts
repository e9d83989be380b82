import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo, testdir } from '../helpers.js'

describe('wf init', () => {
  it('writes a plan that validates, and adds .wf/ to .gitignore', async () => {
    const cwd = testdir({ '.gitignore': 'node_modules/' })
    const result = await runCli(['init'], { cwd })
    expect(result.code).toBe(0)
    expect(existsSync(join(cwd, 'phases/governance.yaml'))).toBe(true)
    // No schemas here: no example contract and no codegen phase.
    expect(existsSync(join(cwd, 'contracts'))).toBe(false)
    expect(readFileSync(join(cwd, '.gitignore'), 'utf8')).toBe('node_modules/\n# wf ledger and locks\n.wf/\n')
    const validate = await runCli(['validate', '--json'], { cwd })
    expect(validate.code).toBe(0)
    const list = JSON.parse((await runCli(['list', '--json'], { cwd })).stdout)
    expect(list.phases.map((p: { id: string }) => p.id)).toEqual(['baseline', 'governance-files', 'quality'])
  })

  it('refuses over a plan of the repository without suggesting --force; replaces its own with --force', async () => {
    const cwd = testdir({}, { git: false })
    execFileSync('git', ['init', '-q'], { cwd })
    expect((await runCli(['init'], { cwd })).code).toBe(0)
    // The same plan again is no conflict; one edited since is.
    expect((await runCli(['init'], { cwd })).code).toBe(0)
    const plan = join(cwd, 'phases', 'governance.yaml')
    writeFileSync(plan, `${readFileSync(plan, 'utf8')}  - id: mine\n`)
    const again = await runCli(['init'], { cwd })
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('phases/governance.yaml')
    expect(again.stderr).toContain('pass --force to replace what `wf init` wrote before')
    writeFileSync(join(cwd, 'phases', 'governance.yaml'), '# mine\n')
    const mine = await runCli(['init'], { cwd })
    expect(mine.code).toBe(2)
    expect(mine.stderr).toContain('these files already exist: phases/governance.yaml')
    expect(mine.stderr).not.toContain('--force')
    expect(readFileSync(join(cwd, 'phases', 'governance.yaml'), 'utf8')).toBe('# mine\n')
    expect((await runCli(['init', '--force'], { cwd })).code).toBe(0)
    expect(readFileSync(join(cwd, 'phases', 'governance.yaml'), 'utf8')).toContain('version: 1')
    expect(readFileSync(join(cwd, '.gitignore'), 'utf8').match(/\.wf\//g)).toHaveLength(1)
  })

  it("baseline leaves test fixtures' .env files alone and still finds the repository's own", async () => {
    const cwd = gitRepo({
      'README.md': '# app\n',
      'test/fixtures/app/.env': 'A=1\n',
      'packages/x/__fixtures__/.env': '',
    })
    expect((await runCli(['init'], { cwd })).code).toBe(0)
    const gate = async () => {
      const run = await runCli(['run', '--only', 'baseline', '--json'], { cwd })
      const phase = JSON.parse(run.stdout).phases.find((p: { id: string }) => p.id === 'baseline')
      return phase.gates.find((g: { name: string }) => g.name === 'no committed key material or env files')
    }
    expect(await gate()).toMatchObject({ status: 'passed' })
    writeFileSync(join(cwd, 'app.env'), '')
    writeFileSync(join(cwd, '.env'), 'A=1\n')
    expect(await gate()).toMatchObject({ status: 'failed', locations: [{ file: '.env' }] })
  })

  it('refuses outside a git repository', async () => {
    const cwd = testdir({}, { git: false })
    const result = await runCli(['init', '--json'], { cwd })
    expect(result.code).toBe(2)
    expect(JSON.parse(result.stdout).error.code).toBe('WF_NOT_A_REPO')
    expect(existsSync(join(cwd, 'phases'))).toBe(false)
  })
})
