import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { testdir } from '../helpers.js'
import { planWith, runGates } from './run-gates.js'

const plan = (gates: string) => planWith(gates, '    inputs: [README.md]\n')

async function gateResults(files: Record<string, string>) {
  const cwd = testdir(files)
  return { cwd, ...(await runGates(cwd)) }
}

describe('file-contains gate', () => {
  it('skips files matching `exclude`, and with `nocase` reads names in any case', async () => {
    const { gates } = await gateResults({
      'phases/p.yaml': plan(
        [
          '      - file-contains: { in: "**/*.md", exclude: "docs/drafts/**", text: "# " }',
          '      - file-contains: { in: "**/*.md", text: "# " }',
          '      - file-contains: { in: NOTES.MD, text: "# ", nocase: true }',
          '      - file-contains: { in: NOTES.MD, text: "# ", nocase: false }',
          '',
        ].join('\n'),
      ),
      'README.md': '# Title\n',
      'docs/drafts/wip.md': 'nothing yet\n',
      'notes.md': 'plain\n',
    })
    expect(gates.map((g) => g.status)).toEqual(['failed', 'failed', 'failed', 'failed'])
    expect(gates[0]!.locations).toEqual([{ file: 'notes.md', message: '0 matches of "# ", expected at least 1' }])
    expect(gates[1]!.locations!.map((l) => l.file)).toEqual(['docs/drafts/wip.md', 'notes.md'])
    expect(gates[2]!.locations).toEqual([{ file: 'notes.md', message: '0 matches of "# ", expected at least 1' }])
    expect(gates[3]!.message).toBe('no file matches NOTES.MD')
  })

  it('names at most ten failing files in its message, and every one of them as a location', async () => {
    const files: Record<string, string> = {
      'phases/p.yaml': plan('      - file-contains: { in: "src/*.ts", text: "SPDX" }\n'),
    }
    for (let i = 10; i < 35; i++) files[`src/f${i}.ts`] = 'export {}\n'
    const { gates } = await gateResults(files)
    expect(gates[0]!.locations).toHaveLength(25)
    // Files that fail the same way are one group: the pattern is said once, not once per file.
    expect(gates[0]!.message).toBe(
      `0 matches of "SPDX", expected at least 1 in 25 files: ${Array.from({ length: 10 }, (_, i) => `src/f${10 + i}.ts`).join(', ')} and 15 more`,
    )
  })

  it('names files that fail differently one by one, within the same ten', async () => {
    const files: Record<string, string> = {
      'phases/p.yaml': plan('      - file-contains: { in: "src/*.ts", text: "SPDX", count: 1 }\n'),
      'src/a.ts': 'SPDX SPDX\n',
    }
    for (let i = 10; i < 22; i++) files[`src/f${i}.ts`] = 'export {}\n'
    const { gates } = await gateResults(files)
    expect(gates[0]!.message).toBe(
      `src/a.ts: 2 matches of "SPDX", expected 1; 0 matches of "SPDX", expected 1 in 12 files: ${Array.from({ length: 9 }, (_, i) => `src/f${10 + i}.ts`).join(', ')} and 3 more`,
    )
  })

  it('counts a file found in another case among its phase inputs: editing it makes the phase run again', async () => {
    const { cwd, gates } = await gateResults({
      'phases/p.yaml': plan('      - file-contains: { in: LICENSE, text: MIT }\n'),
      'README.md': '',
      license: 'MIT License\n',
    })
    expect(gates[0]).toMatchObject({ status: 'passed' })
    writeFileSync(join(cwd, 'license'), 'All rights reserved\n')
    const again = await runGates(cwd)
    expect(again.gates[0]).toMatchObject({ status: 'failed', locations: [{ file: 'license' }] })
  })

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
