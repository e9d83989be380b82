import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'

// Simple commands (no quotes, variables, pipes or shell words) run in a persistent shell, which
// forks and execs each; these tests pin down that they behave exactly like commands run on their own.
type Task = {
  name: string
  status: string
  exitCode?: number | null
  message?: string
  output?: string
  startedAt?: string
  endedAt?: string
}
async function runPlan(yaml: string, extra: Record<string, string> = {}, env: Record<string, string> = {}) {
  const cwd = testdir({ 'phases/p.yaml': yaml, ...extra })
  const result = await runCli(['run', '--json', '--continue-on-error'], { cwd, env })
  const json = JSON.parse(result.stdout)
  return { cwd, code: result.code, phases: json.phases as { id: string; status: string; tasks: Task[] }[] }
}
const ledgerTasks = (cwd: string, phase: string): Task[] =>
  JSON.parse(readFileSync(join(cwd, '.wf/ledger.json'), 'utf8')).phases[phase].tasks

describe('simple commands', () => {
  it('keep their output, its line breaks, stdout and stderr, and their exit codes', async () => {
    const { cwd, phases } = await runPlan(
      [
        'version: 1',
        'phases:',
        '  - id: a',
        '    tasks:',
        '      - run: printf abc',
        '      - run: printf %s\\\\n\\\\n\\\\nend x',
        '      - run: ls /definitely/not/here',
        '        continue_on_error: true',
        '      - run: "false"',
        '        continue_on_error: true',
        '      - run: seq 1 20000',
        '',
        '',
      ].join('\n'),
    )
    const tasks = ledgerTasks(cwd, 'a')
    expect(phases[0]!.tasks.map((t) => [t.status, t.exitCode])).toEqual([
      ['passed', 0],
      ['passed', 0],
      ['failed', 2],
      ['failed', 1],
      ['passed', 0],
    ])
    expect(tasks[0]!.output).toBe('abc')
    expect(tasks[1]!.output).toBe('x\n\n\nend')
    expect(tasks[2]!.output).toMatch(/No such file or directory/)
    expect(tasks[2]!.message).toBe('`ls /definitely/not/here` failed (exit code 2)')
    // The tail keeps the last 40 lines of a long output, in order.
    expect(tasks[4]!.output!.split('\n')).toEqual(Array.from({ length: 40 }, (_, i) => String(19961 + i)))
  })

  it("see their own phase's environment and folder, and secrets are redacted", async () => {
    const { cwd, phases } = await runPlan(
      [
        'version: 1',
        'phases:',
        '  - id: one',
        '    env: { WHO: first, API_TOKEN: s3cr3t-value }',
        '    tasks: [{ run: printenv WHO }, { run: printenv API_TOKEN }, { run: pwd }]',
        '  - id: two',
        '    env: { WHO: second }',
        '    tasks: [{ run: printenv WHO }, { run: pwd, cwd: sub }]',
        '',
        '',
      ].join('\n'),
      { 'sub/.keep': '' },
    )
    expect(phases.map((p) => p.status)).toEqual(['passed', 'passed'])
    const one = ledgerTasks(cwd, 'one')
    const two = ledgerTasks(cwd, 'two')
    expect(one[0]!.output).toBe('first')
    expect(one[1]!.output).not.toContain('s3cr3t-value')
    expect(one[2]!.output).toBe(cwd)
    expect(two[0]!.output).toBe('second')
    expect(two[1]!.output).toBe(join(cwd, 'sub'))
    expect(readFileSync(join(cwd, '.wf/ledger.json'), 'utf8')).not.toContain('s3cr3t-value')
  })

  it('time out, stop the command, and the next command still runs', async () => {
    // Left alone, the command would outlast the test: the run ends only because the timeout stops it.
    const marker = `sleep 1000.${process.pid}${Date.now() % 100000}`
    const { cwd, phases } = await runPlan(
      [
        'version: 1',
        'phases:',
        '  - id: a',
        '    tasks:',
        `      - run: ${marker}`,
        '        timeout: 300ms',
        '        continue_on_error: true',
        '      - run: echo after',
        '',
        '',
      ].join('\n'),
    )
    expect(phases[0]!.tasks.map((t) => t.status)).toEqual(['failed', 'passed'])
    expect(phases[0]!.tasks[0]!.message).toBe('timed out after 300ms')
    const [stopped, next] = ledgerTasks(cwd, 'a')
    expect(next!.output).toBe('after')
    // The next command started once the stopped one had ended, long before the sleep would have.
    expect(Date.parse(next!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(stopped!.endedAt!))
    expect(Date.parse(stopped!.endedAt!)).toBeLessThan(Date.parse(stopped!.startedAt!) + 1_000_000)
    // The timed-out sleep is gone.
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(marker))
    expect(left).toEqual([])
  })

  it('run the same with WF_SHELL_WORKERS=0 (each command started on its own)', async () => {
    const yaml = [
      'version: 1',
      'phases:',
      '  - id: a',
      '    tasks:',
      '      - run: printf abc',
      '      - run: ls /definitely/not/here',
      '        continue_on_error: true',
      '',
      '',
    ].join('\n')
    const pooled = await runPlan(yaml)
    const alone = await runPlan(yaml, {}, { WF_SHELL_WORKERS: '0' })
    const shape = (cwd: string) =>
      ledgerTasks(cwd, 'a').map((t) => [t.status, t.exitCode, t.output?.replace(/^ls: /, '')])
    expect(shape(pooled.cwd)).toEqual(shape(alone.cwd))
  })
})
