import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'

const planWith = (gates: string) => `version: 1\nphases:\n  - id: check\n    inputs: [README.md]\n    gates:\n${gates}`

async function gateResults(files: Record<string, string>) {
  const cwd = testdir(files)
  const result = await runCli(['run', '--json'], { cwd })
  const json = JSON.parse(result.stdout)
  return {
    cwd,
    code: result.code,
    gates: json.phases[0].gates as {
      name: string
      status: string
      message: string
      locations?: { file: string; line?: number }[]
    }[],
  }
}

describe('gates', () => {
  it('files-exist: passes when every pattern matches, names what is missing', async () => {
    const { code, gates } = await gateResults({
      'phases/p.yaml': planWith(
        '      - files-exist: [README.md, "docs/*.md"]\n      - files-exist: [LICENSE, README.md, SECURITY.md]\n',
      ),
      'README.md': '# x\n',
      'docs/a.md': 'a',
    })
    expect(code).toBe(1)
    expect(gates[0]!.status).toBe('passed')
    expect(gates[1]).toMatchObject({ status: 'failed', message: 'missing: LICENSE, SECURITY.md' })
  })

  it('files-absent: lists each forbidden file as a location, ignoring node_modules', async () => {
    const { gates } = await gateResults({
      'phases/p.yaml': planWith('      - files-absent: ["**/*.pem", "**/.env"]\n'),
      'README.md': '',
      'certs/server.pem': 'x',
      'app/.env': 'A=1',
      'node_modules/pkg/test.pem': 'x',
    })
    expect(gates[0]!.status).toBe('failed')
    expect(gates[0]!.locations!.map((l) => l.file)).toEqual(['app/.env', 'certs/server.pem'])
  })

  it('file-contains: text, regex with count, and the line of an extra match', async () => {
    const { gates } = await gateResults({
      'phases/p.yaml': planWith(
        [
          '      - file-contains: { in: README.md, text: "## Install" }',
          '      - file-contains: { in: "docs/*.md", regex: "^# ", flags: m, count: 1 }',
          '      - file-contains: { in: README.md, regex: "todo", flags: i, count: 0 }',
          '',
        ].join('\n'),
      ),
      'README.md': '# Title\n\n## Install\n\nTODO: write\n',
      'docs/a.md': '# A\n',
      'docs/b.md': '# B\n\n# B again\n',
    })
    expect(gates.map((g) => g.status)).toEqual(['passed', 'failed', 'failed'])
    expect(gates[1]!.locations).toEqual([{ file: 'docs/b.md', line: 3, message: '2 matches of /^# /m, expected 1' }])
    expect(gates[2]!.locations).toEqual([{ file: 'README.md', line: 5, message: '1 match of /todo/i, expected 0' }])
  })

  it('command: exit code and stdout match; waivers and severity apply', async () => {
    const { cwd, code, gates } = await gateResults({
      'phases/p.yaml': planWith(
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
