import { describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from '../cli-in-process.js'
import { git, gitRepo, testdir } from '../helpers.js'
import { expectInvalid, planWith, runGates } from './run-gates.js'

const plan = (gates: string) => planWith(gates, '    inputs: [README.md]\n')

async function gateResults(files: Record<string, string>) {
  const cwd = testdir(files)
  return { cwd, ...(await runGates(cwd)) }
}

describe('files-absent gate', () => {
  it('lists each forbidden file as a location, ignoring node_modules', async () => {
    const { gates } = await gateResults({
      'phases/p.yaml': plan('      - files-absent: ["**/*.pem", "**/.env"]\n'),
      'README.md': '',
      'certs/server.pem': 'x',
      'app/.env': 'A=1',
      'node_modules/pkg/test.pem': 'x',
    })
    expect(gates[0]!.status).toBe('failed')
    expect(gates[0]!.locations!.map((l) => l.file)).toEqual(['app/.env', 'certs/server.pem'])
  })

  it('leaves out files matching `exclude` (a folder or a glob), still reporting the rest', async () => {
    const { gates } = await gateResults({
      'phases/p.yaml': plan(
        '      - files-absent: { paths: "**/.env", exclude: ["**/fixtures/**", playground] }\n      - files-absent: "**/.env"\n',
      ),
      'README.md': '',
      '.env': 'A=1',
      'test/fixtures/app/.env': 'A=1',
      'playground/env/.env': 'A=1',
    })
    expect(gates[0]).toMatchObject({ status: 'failed', locations: [{ file: '.env' }] })
    expect(gates[1]!.locations!.map((l) => l.file)).toEqual(['.env', 'playground/env/.env', 'test/fixtures/app/.env'])
  })

  it('matches case-insensitively with `nocase: true`, exactly by default for names that are not well known', async () => {
    const { gates } = await gateResults({
      'phases/p.yaml': plan(
        '      - files-absent: { paths: "**/*.PEM", nocase: true }\n      - files-absent: "**/*.PEM"\n      - files-absent: { paths: "**/*.PEM" }\n',
      ),
      'README.md': '',
      'certs/server.pem': 'x',
    })
    expect(gates.map((g) => g.status)).toEqual(['failed', 'passed', 'passed'])
    expect(gates[0]!.locations).toEqual([
      { file: 'certs/server.pem', message: 'this file must not be in the repository' },
    ])
  })

  it('under wf check --staged applies `exclude` and `nocase` to the staged files', async () => {
    const cwd = gitRepo({
      'phases/p.yaml': plan(
        '      - files-absent: { paths: ["**/.env", "**/*.PEM"], nocase: true, exclude: "**/fixtures/**" }\n',
      ),
      'README.md': '',
    })
    mkdirSync(join(cwd, 'test/fixtures'), { recursive: true })
    writeFileSync(join(cwd, 'test/fixtures/.env'), 'A=1\n')
    writeFileSync(join(cwd, 'server.pem'), 'x\n')
    writeFileSync(join(cwd, 'other.pem'), 'x\n')
    git(cwd, 'add', 'test/fixtures/.env', 'server.pem')
    const staged = await runCli(['check', '--staged', '--json'], { cwd })
    expect(staged.code).toBe(1)
    expect(JSON.parse(staged.stdout).phases[0].gates[0].locations).toEqual([
      { file: 'server.pem', message: 'this file must not be in the repository' },
    ])
  })

  it('refuses a malformed `nocase` or `exclude` at its place', async () => {
    await expectInvalid(
      testdir({ 'phases/p.yaml': plan('      - files-absent: { paths: "**/.env", nocase: maybe }\n') }),
      'phases/p.yaml:6:51',
      '`nocase` in `files-absent` in gate #1 of phase `check` must be true or false',
    )
    await expectInvalid(
      testdir({ 'phases/p.yaml': plan('      - files-absent: { paths: "**/.env", exclude: [] }\n') }),
      'phases/p.yaml:6:52',
      '`exclude` in `files-absent` in gate #1 of phase `check` must not be an empty list',
    )
  })
})
