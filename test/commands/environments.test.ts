import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo } from '../helpers.js'

// The task appends the target it sees to a log outside git's view of the phase (the log is in .gitignore).
const plan = `version: 1
env: { TARGET: dev }
environments:
  staging:
    env: { TARGET: staging }
phases:
  - id: deploy
    inputs: [app.txt]
    tasks:
      - run: node -e "require('fs').appendFileSync('deploy.log', process.env.TARGET + '\\\\n')"
`
const prod = `env: { TARGET: prod }
phases:
  deploy:
    gates:
      - files-exist: [app.txt]
`

const status = async (cwd: string, ...args: string[]) => {
  const result = await runCli(['status', '--json', ...args], { cwd })
  expect(result.code).toBe(0)
  const report = JSON.parse(result.stdout)
  return { environment: report.environment, deploy: report.phases[0] }
}
const log = (cwd: string) => readFileSync(join(cwd, 'deploy.log'), 'utf8').trim().split('\n')

describe('environments', () => {
  it('keeps results per environment: a prod run leaves the staging and default results as they were', async () => {
    const cwd = gitRepo({
      'phases/plan.yaml': plan,
      'phases/env/prod.yaml': prod,
      'app.txt': 'v1\n',
      '.gitignore': 'deploy.log\n.wf/\n',
    })
    expect((await runCli(['run', '--env', 'staging'], { cwd })).code).toBe(0)
    const staging = await status(cwd, '--env', 'staging')
    expect(staging.environment).toBe('staging')
    expect(staging.deploy.status).toBe('passed')
    expect((await status(cwd)).deploy.status).toBe('never-run')

    const prodRun = await runCli(['run', '--env', 'prod', '--json'], { cwd })
    expect(prodRun.code).toBe(0)
    // The overlay changed what the task saw, and its gates replaced the phase's (none) in prod.
    expect(log(cwd)).toEqual(['staging', 'prod'])
    const prodRecord = JSON.parse(prodRun.stdout).phases[0]
    expect(prodRecord.gates.map((g: { kind: string }) => g.kind)).toEqual(['files-exist'])
    const prodStatus = (await status(cwd, '--env', 'prod')).deploy
    expect(prodStatus.status).toBe('passed')
    expect(prodStatus.endedAt).not.toBe(staging.deploy.endedAt)
    expect(await status(cwd, '--env', 'staging')).toEqual(staging)
    expect((await status(cwd)).deploy.status).toBe('never-run')

    // Each environment is up to date against its own last pass.
    expect((await runCli(['run', '--env', 'staging'], { cwd })).code).toBe(0)
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    expect(log(cwd)).toEqual(['staging', 'prod', 'dev'])
    writeFileSync(join(cwd, 'app.txt'), 'v2\n')
    const explained = await runCli(['explain', 'deploy', '--env', 'prod', '--json'], { cwd })
    expect(JSON.parse(explained.stdout)).toMatchObject({
      upToDate: false,
      changes: [expect.stringContaining('app.txt')],
    })

    // The results of every environment are under the hash chain.
    expect((await runCli(['ledger', 'verify'], { cwd })).code).toBe(0)
    const ledger = JSON.parse(readFileSync(join(cwd, '.wf', 'ledger.json'), 'utf8'))
    expect(Object.keys(ledger.phases).sort()).toEqual(['deploy', 'deploy@prod', 'deploy@staging'])
  })

  it('WF_ENV selects the environment as --env does', async () => {
    const cwd = gitRepo({ 'phases/plan.yaml': plan, 'app.txt': 'v1\n', '.gitignore': 'deploy.log\n.wf/\n' })
    expect((await runCli(['run'], { cwd, env: { WF_ENV: 'staging' } })).code).toBe(0)
    expect(log(cwd)).toEqual(['staging'])
    expect((await status(cwd, '--env', 'staging')).deploy.status).toBe('passed')
    expect((await status(cwd)).deploy.status).toBe('never-run')
  })

  it("an environment's `when` for a phase replaces the phase's own there only", async () => {
    const dev = 'environments:\n  dev:\n    phases:\n      deploy: { when: { env: WF_TEST_NEVER_SET } }\n'
    const overlay = plan.replace('environments:\n', dev)
    const cwd = gitRepo({ 'phases/plan.yaml': overlay, 'app.txt': 'v1\n', '.gitignore': 'deploy.log\n.wf/\n' })
    expect((await runCli(['run', '--env', 'dev'], { cwd })).code).toBe(0)
    expect((await status(cwd, '--env', 'dev')).deploy.status).toBe('skipped')
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    expect(log(cwd)).toEqual(['dev'])
  })

  it('an unknown environment is a usage error naming the closest one', async () => {
    const cwd = gitRepo({ 'phases/plan.yaml': plan, 'phases/env/prod.yaml': prod, 'app.txt': 'v1\n' })
    for (const args of [
      ['run', '--env', 'prd'],
      ['status', '--env', 'prd'],
    ]) {
      const result = await runCli(args, { cwd })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('no environment `prd`')
      expect(result.stderr).toContain('did you mean `prod`?')
    }
    const far = await runCli(['run', '--env', 'qa'], { cwd })
    expect(far.code).toBe(2)
    expect(far.stderr).toContain('known environments: prod, staging')
  })

  it('an environment file with a bad key is a plan error at its file:line:col', async () => {
    const bad = 'env: { TARGET: prod }\nphases:\n  deploy:\n    gatez: []\n'
    const cwd = gitRepo({ 'phases/plan.yaml': plan, 'phases/env/prod.yaml': bad, 'app.txt': 'v1\n' })
    const result = await runCli(['run', '--env', 'prod'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('phases/env/prod.yaml:4:5')
    expect(result.stderr).toContain('unknown key `gatez` in `deploy` in `phases`')
    expect(result.stderr).toContain('did you mean `gates`?')
    // `wf validate` checks every environment file.
    const validated = await runCli(['validate'], { cwd })
    expect(validated.code).toBe(2)
    expect(validated.stderr).toContain('phases/env/prod.yaml:4:5')
    // A phase the plan does not define is named where the overlay names it.
    writeFileSync(join(cwd, 'phases/env/prod.yaml'), 'phases:\n  deply: { env: { A: b } }\n')
    const unknown = await runCli(['run', '--env', 'prod'], { cwd })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('phases/env/prod.yaml:2:3')
    expect(unknown.stderr).toContain('did you mean `deploy`?')
  })
})
