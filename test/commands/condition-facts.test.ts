import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'

const plan = `version: 1
phases:
  - id: python-only
    when: { language: python }
    tasks: [{ run: "echo py" }]
  - id: node-only
    when: { language: [node, go] }
    tasks: [{ run: "echo node" }]
  - id: any-lock
    when: { any: [{ uses: poetry }, { uses: npm }] }
    tasks: [{ run: "echo lock" }]
  - id: not-docker
    when: { not: { uses: docker } }
    tasks: [{ run: "echo plain" }]
  - id: ts
    when: { all: [{ language: typescript }, { uses: github-actions }] }
    tasks: [{ run: "echo ts" }]
`

const env = { GITHUB_ACTIONS: undefined }
const statuses = (cwd: string) =>
  Object.fromEntries(
    Object.entries(
      (
        JSON.parse(readFileSync(join(cwd, '.wf', 'ledger.json'), 'utf8')) as {
          phases: Record<string, { status: string; reason?: string }>
        }
      ).phases,
    ).map(([id, p]) => [id, p.status]),
  )
const reasonOf = (cwd: string, id: string) =>
  (JSON.parse(readFileSync(join(cwd, '.wf', 'ledger.json'), 'utf8')) as { phases: Record<string, { reason?: string }> })
    .phases[id]!.reason

describe('when: { language } and when: { uses }', () => {
  it('runs the Python phases in a Python repository and says why the others are skipped', async () => {
    const cwd = testdir({ 'phases/a.yaml': plan, 'pyproject.toml': '[project]\nname = "x"\n', 'poetry.lock': '' })
    const result = await runCli(['run'], { cwd, env })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(statuses(cwd)).toEqual({
      'python-only': 'passed',
      'node-only': 'skipped',
      'any-lock': 'passed',
      'not-docker': 'passed',
      ts: 'skipped',
    })
    expect(reasonOf(cwd, 'node-only')).toBe(
      'condition is false: language node, go: no package.json found, no go.mod found',
    )
    expect(reasonOf(cwd, 'ts')).toBe(
      'condition is false: language typescript: no tsconfig.json or typescript dependency found',
    )
  })

  it('runs the Node phases in a Node repository', async () => {
    const cwd = testdir({
      'phases/a.yaml': plan,
      'package.json': JSON.stringify({ devDependencies: { typescript: '^5' } }),
      'package-lock.json': '{}',
      Dockerfile: 'FROM node:20\n',
      '.github/workflows/ci.yml': 'on: push\n',
    })
    const result = await runCli(['run'], { cwd, env })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(statuses(cwd)).toEqual({
      'python-only': 'skipped',
      'node-only': 'passed',
      'any-lock': 'passed',
      'not-docker': 'skipped',
      ts: 'passed',
    })
    expect(reasonOf(cwd, 'python-only')).toBe('condition is false: language python: no Python manifest found')
    expect(reasonOf(cwd, 'not-docker')).toBe('condition is false: uses docker: Dockerfile found')
  })

  it('says in a dry run why a phase would be skipped', async () => {
    const cwd = testdir({ 'phases/a.yaml': plan, 'go.mod': 'module x\n' })
    const result = await runCli(['run', '--dry-run'], { cwd, env })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toContain(
      'would be skipped python-only: condition is false: language python: no Python manifest found',
    )
    expect(result.stdout).toContain(
      'would be skipped any-lock: condition is false: uses poetry: no poetry.lock found and uses npm: no package-lock.json found',
    )
    expect(result.stdout).toContain('would run node-only')
  })

  it('refuses an unknown language or tool at validate, with its position and a suggestion', async () => {
    const cwd = testdir({
      'phases/a.yaml':
        'version: 1\nphases:\n  - id: a\n    when: { language: pyhton }\n  - id: b\n    when: { uses: [npm, yran] }\n',
    })
    const result = await runCli(['validate'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('phases/a.yaml:4:23: error: `language` in `when` in phase `a` must be one of')
    expect(result.stderr).toContain('did you mean `python`?')
    expect(result.stderr).toContain('phases/a.yaml:6:25: error: item #2 of `uses` in `when` in phase `b`')
    expect(result.stderr).toContain('did you mean `yarn`?')
  })

  it('lists the facts conditions see in wf list --json', async () => {
    const cwd = testdir({ 'phases/a.yaml': plan, 'pyproject.toml': '', 'uv.lock': '', 'go.mod': 'module x\n' })
    const json = JSON.parse((await runCli(['list', '--json'], { cwd })).stdout)
    expect(json.facts).toEqual({ languages: ['python', 'go'], tools: ['uv', 'go'] })
  })
})
