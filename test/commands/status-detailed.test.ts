import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo } from '../helpers.js'

const wf = (cwd: string, args: string[]) => runCli(args, { cwd, env: { GITHUB_ACTIONS: undefined, NO_COLOR: '1' } })

const PLAN = `version: 1
phases:
  - id: build
    inputs: [src.txt]
    tasks:
      - run: node -e "setTimeout(() => {}, 150)"
    gates:
      - files-exist: [src.txt]
`

interface Row {
  id: string
  status: string
  passedRun?: {
    runId: string
    endedAt: string
    durationMs: number
    tasks: { name: string; status: string }[]
    gates: { name: string; status: string }[]
  } | null
}

describe('wf status --detailed on up-to-date phases', () => {
  it('shows the tasks, gates, time and duration of the run that passed the phase', async () => {
    const cwd = gitRepo({ 'phases/p.yaml': PLAN, 'src.txt': 'x\n' })
    const first = JSON.parse((await wf(cwd, ['run', '--json'])).stdout)
    expect(first.phases[0].status).toBe('passed')
    const again = JSON.parse((await wf(cwd, ['run', '--json'])).stdout)
    expect(again.phases[0].status).toBe('up-to-date')

    const status = await wf(cwd, ['status', '--detailed', '--json'])
    const [row] = JSON.parse(status.stdout).phases as Row[]
    expect(row!.status).toBe('up-to-date')
    expect(row!.passedRun).toMatchObject({
      runId: first.runId,
      tasks: [{ name: 'node -e "setTimeout(() => {}, 150)"', status: 'passed' }],
      gates: [{ name: 'files exist: src.txt', status: 'passed' }],
    })
    // The passing run's own duration (its task slept), not the 0 ms of the up-to-date check.
    expect(row!.passedRun!.durationMs).toBeGreaterThan(0)
    expect(row!.passedRun!.durationMs).toBe(first.phases[0].durationMs)

    const text = (await wf(cwd, ['status', '--detailed'])).stdout
    expect(text).toContain(`passed in run ${first.runId} at ${row!.passedRun!.endedAt}`)
    expect(text).toMatch(/task passed\s+node -e/)
    expect(text).toMatch(/gate passed\s+files exist: src\.txt/)
  })

  it('says so when the run that passed the phase is no longer kept', async () => {
    const cwd = gitRepo({ 'phases/p.yaml': PLAN, 'src.txt': 'x\n' })
    expect((await wf(cwd, ['run'])).code).toBe(0)
    expect((await wf(cwd, ['run'])).code).toBe(0)
    rmSync(join(cwd, '.wf', 'runs', '00000001.json'))
    const [row] = JSON.parse((await wf(cwd, ['status', '--detailed', '--json'])).stdout).phases as Row[]
    expect(row!.passedRun).toBeNull()
    expect((await wf(cwd, ['status', '--detailed'])).stdout).toContain('the run it passed in is no longer kept')
  })
})
