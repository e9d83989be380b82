import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'
import { plan } from './sample-plan.js'

describe('wf list', () => {
  it('lists phases in dependency order with needs and source', async () => {
    const cwd = testdir({ 'phases/a.yaml': plan })
    const result = await runCli(['list'], { cwd })
    expect(result.code).toBe(0)
    const ids = result.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/)[0])
    expect(ids).toEqual(['lint', 'build', 'test', 'docs'])
    expect(result.stdout).toMatch(/test\s+test\s+build\s+0\s+1\s+phases\/a\.yaml:9/)
    const json = JSON.parse((await runCli(['list', '--json'], { cwd })).stdout)
    expect(json.phases[1]).toEqual({
      id: 'build',
      name: 'Build',
      needs: ['lint'],
      tasks: 0,
      gates: 0,
      source: 'phases/a.yaml:6',
    })
  })

  it('orders phases across files by their needs', async () => {
    const cwd = testdir({
      'phases/1-late.yaml': 'version: 1\nphases: [{ id: release, needs: [build] }]\n',
      'phases/2-early.yaml': 'version: 1\nphases: [{ id: build }]\n',
    })
    const json = JSON.parse((await runCli(['list', '--json'], { cwd })).stdout)
    expect(json.phases.map((p: { id: string }) => p.id)).toEqual(['build', 'release'])
  })
})
