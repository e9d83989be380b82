import { describe, expect, it } from 'vitest'
import { testdir } from '../helpers.js'
import { planWith, runGates } from './run-gates.js'

const plan = (gates: string) => planWith(gates, '    inputs: [README.md]\n')

async function gateResults(files: Record<string, string>) {
  const cwd = testdir(files)
  return { cwd, ...(await runGates(cwd)) }
}

describe('file-contains gate', () => {
  it('text, regex with count, and the line of an extra match', async () => {
    const { gates } = await gateResults({
      'phases/p.yaml': plan(
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
})
