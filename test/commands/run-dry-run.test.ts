import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo } from '../helpers.js'

const wf = (cwd: string, args: string[]) =>
  runCli(args, { cwd, env: { GITHUB_ACTIONS: undefined, NO_COLOR: '1', WF_DRY_UNSET: undefined } })

const PLAN = `version: 1
phases:
  - id: whole
    tasks: [{ run: "echo whole" }]
  - id: after
    needs: [whole]
    inputs: [after.txt]
    tasks: [{ run: "echo after" }]
    gates: [{ files-exist: [after.txt] }]
  - id: steady
    inputs: [steady.txt]
    tasks: [{ run: "echo steady" }]
  - id: off
    when: { env: WF_DRY_UNSET }
    tasks: [{ run: "echo off" }]
  - id: unknown
    when: { run: "true" }
    tasks: [{ run: "echo unknown" }]
`

interface Planned {
  id: string
  decision: string
  reason: string
  steps: string[]
}

const LABELS: Record<string, string> = {
  run: 'would run',
  'up-to-date': 'up to date',
  'not-evaluated': 'not evaluated',
  skipped: 'would be skipped',
  blocked: 'would be blocked',
}

describe('wf run --dry-run --json', () => {
  it('lists every phase with what it would do and why, as the text output says', async () => {
    const cwd = gitRepo({ 'phases/p.yaml': PLAN, 'after.txt': 'a\n', 'steady.txt': 's\n' })
    expect((await wf(cwd, ['run'])).code).toBe(0)
    writeFileSync(join(cwd, 'notes.txt'), 'new\n')

    const json = await wf(cwd, ['run', '--dry-run', '--json'])
    expect(json.code, json.stderr).toBe(0)
    const output = JSON.parse(json.stdout)
    expect(output.dryRun).toBe(true)
    const phases = output.phases as Planned[]
    expect(output.planned).toEqual(phases)
    expect(phases.map((p) => [p.id, p.decision])).toEqual([
      ['whole', 'run'],
      ['after', 'run'],
      ['steady', 'up-to-date'],
      ['off', 'skipped'],
      ['unknown', 'not-evaluated'],
    ])
    expect(phases[0]).toEqual({
      id: 'whole',
      decision: 'run',
      reason: 'file added: notes.txt',
      steps: ['task: echo whole'],
    })
    expect(phases[1]).toMatchObject({
      reason: '`whole` would run first',
      steps: ['task: echo after', 'gate: files exist: after.txt'],
    })
    expect(phases[2]!.reason).toMatch(/^nothing changed since it passed at /)
    expect(phases[3]!.reason).toBe('condition is false: WF_DRY_UNSET is not set')

    const text = (await wf(cwd, ['run', '--dry-run', '--reporter', 'plain'])).stdout
    // Phases print as they are decided (concurrently): compare each phase's lines, in any order.
    const blocks: string[][] = []
    for (const line of text.split('\n')) {
      if (/^\d\d:\d\d:\d\d /.test(line) || !line.trim()) continue
      if (line.startsWith(' ')) blocks.at(-1)!.push(line)
      else blocks.push([line])
    }
    const expected = phases.map((p) => [
      `${LABELS[p.decision]} ${p.id}: ${p.reason}`,
      ...p.steps.map((s) => `    ${s}`),
    ])
    expect(blocks.map((b) => b.join('\n')).sort()).toEqual(expected.map((b) => b.join('\n')).sort())
  })
})
