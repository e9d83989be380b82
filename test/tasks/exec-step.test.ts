import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'

describe('timeouts of run tasks and command gates', () => {
  it('refuses at validate a timeout longer than a timer can wait, with its place in the plan', async () => {
    const cwd = testdir({
      'phases/plan.yaml': [
        'version: 1',
        'phases:',
        '  - id: a',
        '    tasks: [{ run: "true", timeout: 600h }]',
        '    gates: [{ command: "true", timeout: 3000000s }]',
        '',
      ].join('\n'),
    })
    const result = await runCli(['validate'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/phases\/plan\.yaml:4:\d+.*timeout 600h is longer than wf can wait/)
    expect(result.stderr).toMatch(/phases\/plan\.yaml:5:\d+.*timeout 3000000s is longer than wf can wait/)
  })

  it('keeps the longest timeout a timer can wait, and runs the task to its end', async () => {
    const cwd = testdir({
      'phases/plan.yaml': 'version: 1\nphases:\n  - id: a\n    tasks: [{ run: "true", timeout: 596h }]\n',
    })
    expect((await runCli(['validate'], { cwd })).code).toBe(0)
    const run = await runCli(['run'], { cwd })
    expect(run.code, run.stdout + run.stderr).toBe(0)
  })
})
