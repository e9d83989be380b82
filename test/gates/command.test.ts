import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'
import { planWith, runGates } from './run-gates.js'

const plan = (gates: string) => planWith(gates, '    inputs: [README.md]\n')

async function gateResults(files: Record<string, string>) {
  const cwd = testdir(files)
  return { cwd, ...(await runGates(cwd)) }
}

describe('command gate', () => {
  it('exit code and stdout match; waivers and severity apply', async () => {
    const { cwd, code, gates } = await gateResults({
      'phases/p.yaml': plan(
        [
          '      - command: echo version 1.2.3',
          '        stdout: "version \\\\d+"',
          '      - command: echo nope',
          '        stdout: "^yes$"',
          '        severity: warning',
          '      - command: exit 3',
          '        waive: { reason: known, owner: "@ops", until: 2999-01-01 }',
          '      - command: exit 4',
          '        waive: { reason: old, owner: "@ops", until: 2000-01-01 }',
          '',
        ].join('\n'),
      ),
      'README.md': '',
    })
    expect(gates.map((g) => g.status)).toEqual(['passed', 'warned', 'waived', 'failed'])
    expect(gates[3]!.message).toContain('expired on 2000-01-01')
    expect(code).toBe(1)
    // wf status names each waiver as the run recorded its gate.
    const status = JSON.parse((await runCli(['status', '--json'], { cwd })).stdout)
    expect(status.waivers.map((w: { gate: string }) => w.gate)).toEqual([gates[2]!.name, gates[3]!.name])
    expect(gates[2]!.name).toBe('command exit 3')
  })
})
