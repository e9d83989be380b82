import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir, type WfResult } from '../helpers.js'

const wf = (cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<WfResult> =>
  runCli(args, { cwd, env: { GITHUB_ACTIONS: undefined, ...env } })

const ledgerText = (cwd: string) => readFileSync(join(cwd, '.wf', 'ledger.json'), 'utf8')
const phaseRecord = (cwd: string, id: string) =>
  (JSON.parse(ledgerText(cwd)) as { phases: Record<string, { status: string; reason?: string; tasks?: unknown[] }> })
    .phases[id]!
const written = (cwd: string) => [
  ledgerText(cwd),
  ...readdirSync(join(cwd, '.wf', 'runs'))
    .filter((n) => n.endsWith('.json'))
    .map((n) => readFileSync(join(cwd, '.wf', 'runs', n), 'utf8')),
]

describe('env files', () => {
  it('gives tasks the variables of .env and env_file, in the documented precedence', async () => {
    const cwd = testdir({
      '.env': 'FROM_PROCESS=dotenv\nA=dotenv\nB=dotenv\n# a comment\nQUOTED="two words"\n',
      'plan.env': 'B=plan-file\nC=plan-file\n',
      'phase.env': 'C=phase-file\nD=phase-file\n',
      'phases/p.yaml': `version: 1
env_file: plan.env
env:
  D: plan-env
phases:
  - id: own
    inputs: [phases/p.yaml]
    env_file: [phase.env]
    tasks: [{ run: 'echo "own $FROM_PROCESS $A $B $C $D [$QUOTED]"' }]
  - id: plain
    inputs: [phases/p.yaml]
    env: { D: phase-env }
    tasks: [{ run: 'echo "plain $FROM_PROCESS $A $B $C $D"' }]
`,
    })
    const result = await wf(cwd, ['run'], { FROM_PROCESS: 'process' })
    expect(result.code, result.stderr).toBe(0)
    // process < .env < plan env_file < phase env_file < plan env < phase env
    expect(result.stdout).toContain('own dotenv dotenv plan-file phase-file plan-env [two words]')
    expect(result.stdout).toContain('plain dotenv dotenv plan-file plan-file phase-env')
  })

  it('redacts values from env files whose names say secret or that the plan declares secret', async () => {
    const named = 'dotenv-token-5d2e8f'
    const declared = 'declared-value-a71c04'
    const cwd = testdir({
      '.env': `SERVICE_TOKEN=${named}\nLICENSE_KEY_TEXT=${declared}\n`,
      'phases/p.yaml': `version: 1
phases:
  - id: talks
    inputs: [phases/p.yaml]
    env:
      LICENSE_KEY_TEXT: { from: LICENSE_KEY_TEXT, secret: true }
    tasks: [{ run: 'echo "token=$SERVICE_TOKEN key=$LICENSE_KEY_TEXT"' }]
`,
    })
    const plain = await wf(cwd, ['run'])
    const json = await wf(cwd, ['run', '--force', '--json'])
    const status = await wf(cwd, ['status', '--detailed', '--json'])
    expect(plain.code, plain.stderr).toBe(0)
    expect(plain.stdout).toContain('token=*** key=***')
    for (const text of [plain.stdout, plain.stderr, json.stdout, json.stderr, status.stdout, ...written(cwd)]) {
      expect(text).not.toContain(named)
      expect(text).not.toContain(declared)
    }
  })

  it('refuses a plan naming an env file that does not exist, with its position (exit 2)', async () => {
    const cwd = testdir({
      '.env.stage': '',
      'phases/p.yaml': `version: 1
phases:
  - id: deploy
    env_file: [.env.staging]
    tasks: [{ run: 'echo hi' }]
`,
      'phases/q.yaml': `version: 1
env_file: shared.env
phases:
  - id: other
`,
    })
    for (const args of [['validate'], ['run']]) {
      const result = await wf(cwd, args)
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/phases\/p\.yaml:4:\d+/)
      expect(result.stderr).toContain('env file `.env.staging` does not exist')
      expect(result.stderr).toContain('did you mean `.env.stage`?')
      expect(result.stderr).toMatch(/phases\/q\.yaml:2:\d+/)
      expect(result.stderr).toContain('env file `shared.env` does not exist')
    }
    expect(existsSync(join(cwd, '.wf', 'ledger.json'))).toBe(false)
  })

  it('re-runs the phases that use an env file when it is edited', async () => {
    const cwd = testdir({
      '.env': 'GREETING=hello\n',
      'deploy.env': 'TARGET=staging\n',
      'phases/p.yaml': `version: 1
phases:
  - id: greet
    inputs: [phases/p.yaml]
    tasks: [{ run: 'echo "$GREETING"' }]
  - id: deploy
    inputs: [phases/p.yaml]
    env_file: deploy.env
    tasks: [{ run: 'echo "$TARGET"' }]
`,
    })
    expect((await wf(cwd, ['run'])).code).toBe(0)
    const again = await wf(cwd, ['run'])
    expect(again.stdout).not.toContain('hello')
    expect(again.stdout).not.toContain('staging')

    writeFileSync(join(cwd, 'deploy.env'), 'TARGET=production\n')
    const explain = await wf(cwd, ['explain', 'deploy'])
    expect(explain.stdout).toContain('file modified: deploy.env')
    const edited = await wf(cwd, ['run'])
    expect(edited.stdout).toContain('production')
    expect(edited.stdout).not.toContain('hello')

    // Every phase reads .env.
    writeFileSync(join(cwd, '.env'), 'GREETING=bonjour\n')
    const both = await wf(cwd, ['run'])
    expect(both.stdout).toContain('greet: file modified: .env')
    expect(both.stdout).toContain('deploy: file modified: .env')
    expect(both.stdout).toContain('bonjour')
  })
})

describe('requires', () => {
  const plan = `version: 1
phases:
  - id: deploy
    inputs: [phases/p.yaml]
    requires: [DEPLOY_TARGET, DEPLOY_REGION]
    tasks: [{ run: 'echo "$DEPLOY_TARGET" > marker.txt' }]
`

  it('fails the phase before any task runs, naming the missing variables', async () => {
    const cwd = testdir({ 'phases/p.yaml': plan })
    const result = await wf(cwd, ['run'], { DEPLOY_TARGET: 'staging', DEPLOY_REGION: '' })
    expect(result.code).toBe(1)
    expect(existsSync(join(cwd, 'marker.txt'))).toBe(false)
    expect(`${result.stdout}${result.stderr}`).toContain('`DEPLOY_REGION`')
    const record = phaseRecord(cwd, 'deploy')
    expect(record.status).toBe('failed')
    expect(record.tasks).toEqual([])
    expect(record.reason).toContain('required variable `DEPLOY_REGION` is not set, so no task ran')
    expect(record.reason).not.toContain('DEPLOY_TARGET')

    const dry = await wf(cwd, ['run', '--dry-run'], { DEPLOY_TARGET: undefined, DEPLOY_REGION: undefined })
    expect(dry.stdout).toContain('would fail: required variables `DEPLOY_TARGET`, `DEPLOY_REGION` are not set')
  })

  it('runs the phase when .env sets what it requires', async () => {
    const cwd = testdir({ 'phases/p.yaml': plan, '.env': 'DEPLOY_TARGET=staging\nDEPLOY_REGION=eu\n' })
    const result = await wf(cwd, ['run'], { DEPLOY_TARGET: undefined, DEPLOY_REGION: undefined })
    expect(result.code, result.stdout).toBe(0)
    expect(readFileSync(join(cwd, 'marker.txt'), 'utf8')).toBe('staging\n')
  })
})
