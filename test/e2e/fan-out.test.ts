// Runs a generated workflow's steps in bash, as a runner would, where each wf step starts
// bin/run.js: the failing fan-out proves every kind of step that way. The passing fan-out runs its
// wf steps in-process, as do the test's own calls (generate, one whole run, status, verify).
import { spawnSync } from 'node:child_process'
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { runCli } from '../cli-in-process.js'
import { binPath, gitRepo, repoRoot, testdir } from '../helpers.js'

interface Step {
  name?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, string | boolean>
}
interface Job {
  needs?: string[]
  if?: string
  steps: Step[]
}
type JobResult = 'success' | 'failure' | 'skipped'

/**
 * The words of a simple command line: plain words and double-quoted ones (with `$NAME` expanded),
 * and a final `>> FILE`. Anything else is refused, so a step that needs a real shell says so.
 */
function simpleCommand(line: string, env: Record<string, string>): { words: string[]; append?: string } {
  const words: string[] = []
  let append: string | undefined
  let redirect = false
  for (const [token, quoted, plain, op] of line.matchAll(/"([^"\\`$]*(?:\$\w+[^"\\`$]*)*)"|([\w./:=@+-]+)|(>>)|\S+/g)) {
    if (op) {
      redirect = true
      continue
    }
    if (quoted === undefined && plain === undefined) throw new Error(`no simulation for \`${token}\` in: ${line}`)
    const word = quoted !== undefined ? quoted.replace(/\$(\w+)/g, (_, name: string) => env[name] ?? '') : plain!
    if (redirect) {
      append = word
      redirect = false
    } else words.push(word)
  }
  return { words, append }
}

/**
 * Runs a generated workflow the way GitHub Actions would, on this machine: jobs in the order
 * written (the plan's dependency order), each on a fresh copy of the repository with its own
 * RUNNER_TEMP; a job whose needs did not all succeed is skipped unless `if: always()`; steps
 * after a failed one are skipped unless their `if` says otherwise; artifacts are folders.
 * Steps run in bash; with `wfInProcess`, a step that is a simple `node bin/run.js …` command runs
 * that command in this process instead.
 */
async function runWorkflow(text: string, repo: string, root: string, options: { wfInProcess?: boolean } = {}) {
  const workflow = parse(text) as { jobs: Record<string, Job> }
  const artifacts = join(root, 'artifacts')
  mkdirSync(artifacts, { recursive: true })
  const results: Record<string, JobResult> = {}
  const workspaces: Record<string, string> = {}
  const summaries: Record<string, string> = {}
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const needs = (job.needs ?? []).map((n) => results[n])
    expect(needs, `${id} runs after what it needs`).not.toContain(undefined)
    if (job.if !== 'always()' && needs.some((r) => r !== 'success')) {
      results[id] = 'skipped'
      continue
    }
    const workspace = join(root, 'jobs', id, 'workspace')
    const temp = join(root, 'jobs', id, 'temp')
    mkdirSync(temp, { recursive: true })
    workspaces[id] = workspace
    const summary = join(temp, 'step-summary.md')
    const expand = (value: string) => {
      const out = value.replaceAll('${{ runner.temp }}', temp)
      expect(out, 'no expression is left unhandled').not.toContain('${{')
      return out
    }
    const condition = (step: Step, failed: boolean): boolean => {
      if (step.if === undefined) return !failed
      if (step.if === 'always()') return true
      if (step.if === "always() && (contains(needs.*.result, 'failure') || contains(needs.*.result, 'cancelled'))")
        return needs.includes('failure')
      throw new Error(`no simulation for the condition ${step.if}`)
    }
    // What GitHub Actions sets for every step of the job.
    const runner = { RUNNER_TEMP: temp, GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true', CI: 'true' }
    let failed = false
    for (const step of job.steps) {
      if (!condition(step, failed)) continue
      const action = step.uses?.split('@')[0]
      let ok = true
      if (action === 'actions/checkout') cpSync(repo, workspace, { recursive: true })
      else if (action === 'actions/setup-node') expect(step.with?.['node-version']).toBeTruthy()
      else if (action === 'actions/download-artifact') {
        const names =
          typeof step.with!.name === 'string'
            ? [step.with!.name]
            : readdirSync(artifacts).filter((n) => n.startsWith(String(step.with!.pattern).replace(/\*$/, '')))
        for (const name of names) {
          if (!existsSync(join(artifacts, name))) ok = false
          // With `name` the files land in `path`; with `pattern`, each artifact in its own folder under it.
          else
            cpSync(
              join(artifacts, name),
              step.with!.name ? expand(String(step.with!.path)) : join(expand(String(step.with!.path)), name),
              { recursive: true },
            )
        }
      } else if (action === 'actions/upload-artifact') {
        const from = expand(String(step.with!.path))
        rmSync(join(artifacts, String(step.with!.name)), { recursive: true, force: true })
        if (existsSync(from)) cpSync(from, join(artifacts, String(step.with!.name)), { recursive: true })
      } else if (action === './') {
        // wf's own action (action.yml): its wf step in bash, its env evaluated from the step's `with:` over the defaults.
        const { inputs, runs } = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as {
          inputs: Record<string, { default?: string }>
          runs: { steps: { id?: string; run?: string; env?: Record<string, string> }[] }
        }
        const entry = runs.steps.find((s) => s.id === 'wf')!
        const given = (name: string) => String(step.with?.[name] ?? inputs[name]?.default ?? '')
        const env = Object.fromEntries(
          Object.entries(entry.env ?? {}).map(([name, value]) => [
            name,
            value.replace(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_, input: string) => given(input)),
          ]),
        )
        const result = spawnSync('bash', ['-c', entry.run!], {
          cwd: workspace,
          encoding: 'utf8',
          env: {
            ...process.env,
            ...env,
            ...runner,
            GITHUB_ACTION_PATH: repoRoot,
            NO_COLOR: '1',
            DEBUG: '',
          },
        })
        ok = result.status === 0
      } else if (step.run && options.wfInProcess && step.run.startsWith(`node ${binPath} `)) {
        const { words, append } = simpleCommand(expand(step.run), runner)
        expect(words.slice(0, 2)).toEqual(['node', binPath])
        const result = await runCli(words.slice(2), { cwd: workspace, env: runner })
        if (append) appendFileSync(append, result.stdout)
        ok = result.code === 0
      } else if (step.run) {
        const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', expand(step.run)], {
          cwd: workspace,
          encoding: 'utf8',
          env: {
            ...process.env,
            ...runner,
            NO_COLOR: '1',
            DEBUG: '',
          },
        })
        ok = result.status === 0
      } else throw new Error(`no simulation for ${step.uses}`)
      if (!ok) failed = true
    }
    results[id] = failed ? 'failure' : 'success'
    summaries[id] = existsSync(summary) ? readFileSync(summary, 'utf8') : ''
  }
  return { results, workspaces, summaries }
}

const PLAN = `version: 1
phases:
  - id: setup
    tasks: [{ run: "mkdir -p out && echo setup > out/setup.txt" }]
    gates: [{ files-exist: [out/setup.txt] }]
  - id: lint
    needs: [setup]
    inputs: ["src/**"]
    gates: [{ file-contains: { in: "src/main.js", text: "use strict" } }]
  - id: unit
    needs: [setup]
    tasks: [{ run: "node src/check.js" }]
  - id: docs
    needs: [setup]
    when: { env: WF_FAN_OUT_NEVER_SET }
    tasks: [{ run: "exit 1" }]
  - id: build
    needs: [lint, unit]
    tasks: [{ run: "mkdir -p out && cp src/main.js out/main.js" }]
    gates: [{ files-exist: [out/main.js] }]
  - id: 2nd-pass
    needs: [build]
    gates: [{ command: "node -e 0" }]
  - id: release
    needs: [2nd-pass, docs]
    gates: [{ files-exist: [README.md] }]
`

function repoWith(check: string) {
  return gitRepo({
    'phases/ci.yaml': PLAN,
    'src/main.js': "'use strict'\nconsole.log('main')\n",
    'src/check.js': check,
    'README.md': '# demo\n',
    '.gitignore': '.wf/\nout/\n',
  })
}

async function statuses(cwd: string): Promise<Record<string, string>> {
  const result = await runCli(['status', '--json'], { cwd })
  expect(result.code, result.stderr).toBe(0)
  return Object.fromEntries(
    (JSON.parse(result.stdout) as { phases: { id: string; status: string }[] }).phases.map((p) => [p.id, p.status]),
  )
}

async function generate(repo: string, root: string, flags: string[] = []): Promise<string> {
  const output = join(root, 'wf.yml')
  const result = await runCli(
    ['ci', 'github', '--output', output, '--wf-command', `node ${binPath}`, '--install', 'true', ...flags],
    { cwd: repo },
  )
  expect(result.code, result.stderr).toBe(0)
  return readFileSync(output, 'utf8')
}

describe('fan-out over jobs', { timeout: 240_000 }, () => {
  it('running each phase in its own job and merging the ledgers gives the same status as one wf run', async () => {
    const repo = repoWith("console.log('ok')\n")
    const root = testdir({}, { git: false })
    const text = await generate(repo, root)

    const single = join(root, 'single')
    cpSync(repo, single, { recursive: true })
    const run = await runCli(['run', '--reporter', 'plain'], { cwd: single })
    expect(run.code, run.stderr).toBe(0)
    const expected = await statuses(single)
    expect(expected).toEqual({
      setup: 'passed',
      lint: 'passed',
      unit: 'passed',
      docs: 'skipped',
      build: 'passed',
      '2nd-pass': 'passed',
      release: 'passed',
    })

    const { results, workspaces, summaries } = await runWorkflow(text, repo, root, { wfInProcess: true })
    expect(results).toEqual({
      setup: 'success',
      lint: 'success',
      unit: 'success',
      docs: 'success',
      build: 'success',
      'phase-2nd-pass': 'success',
      release: 'success',
      'wf-ledger': 'success',
    })
    const final = workspaces['wf-ledger']!
    expect(await statuses(final)).toEqual(expected)
    const verify = await runCli(['ledger', 'verify'], { cwd: final })
    expect(verify.code, verify.stderr).toBe(0)
    // Every phase ran exactly once over all the jobs, and the merged history holds each run once.
    const ledger = JSON.parse(readFileSync(join(final, '.wf', 'ledger.json'), 'utf8')) as {
      lastSeq: number
      phases: Record<string, { runId: string }>
    }
    expect(ledger.lastSeq).toBe(7)
    expect(new Set(Object.values(ledger.phases).map((p) => p.runId)).size).toBe(7)
    expect(readdirSync(join(final, '.wf', 'runs')).length).toBe(7)
    expect(summaries['wf-ledger']).toMatch(/release/)
    // A job that needs another saw its result: the build job's ledger holds setup, lint and unit too.
    expect(
      Object.keys(
        JSON.parse(readFileSync(join(root, 'artifacts', 'wf-ledger-build', 'ledger.json'), 'utf8')).phases,
      ).sort(),
    ).toEqual(['build', 'lint', 'setup', 'unit'])
  })

  it('with --use-action, each phase runs through the action after its needs came in their ledgers', async () => {
    const repo = repoWith("console.log('ok')\n")
    const root = testdir({}, { git: false })
    const text = await generate(repo, root, ['--use-action', './'])
    expect(text).not.toMatch(/run: .*run-phase/)
    const { results, workspaces } = await runWorkflow(text, repo, root, { wfInProcess: true })
    expect(Object.values(results).every((r) => r === 'success')).toBe(true)
    expect(Object.keys(results)).toHaveLength(8)
    const status = await statuses(workspaces['wf-ledger']!)
    expect(status).toMatchObject({ setup: 'passed', build: 'passed', release: 'passed', docs: 'skipped' })
    // Every phase ran once over all the jobs, and the merged history holds each run once.
    const ledger = JSON.parse(readFileSync(join(workspaces['wf-ledger']!, '.wf', 'ledger.json'), 'utf8')) as {
      lastSeq: number
    }
    expect(ledger.lastSeq).toBe(7)
  })

  it('a failing phase fails its job, skips the jobs that need it, and fails the last job with the failure in the merged ledger', async () => {
    const repo = repoWith("console.error('unit tests failed'); process.exit(1)\n")
    const root = testdir({}, { git: false })
    const text = await generate(repo, root)
    const { results, workspaces, summaries } = await runWorkflow(text, repo, root)
    expect(results).toEqual({
      setup: 'success',
      lint: 'success',
      unit: 'failure',
      docs: 'success',
      build: 'skipped',
      'phase-2nd-pass': 'skipped',
      release: 'skipped',
      'wf-ledger': 'failure',
    })
    const final = workspaces['wf-ledger']!
    expect(await statuses(final)).toEqual({
      setup: 'passed',
      lint: 'passed',
      unit: 'failed',
      docs: 'skipped',
      build: 'never-run',
      '2nd-pass': 'never-run',
      release: 'never-run',
    })
    expect((await runCli(['ledger', 'verify'], { cwd: final })).code).toBe(0)
    expect(summaries['wf-ledger']).toMatch(/unit/)
    expect(summaries['wf-ledger']).toMatch(/failed/)
  })
})
