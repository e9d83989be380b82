import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'

const plan = (...lines: string[]) => ['version: 1', 'phases:', '  - id: a', ...lines, ''].join('\n')

describe('plan values that validate by shape but cannot work', () => {
  it.each([
    {
      what: 'a waiver until a day that is not in the calendar',
      lines: [
        '    gates:',
        '      - files-exist: README.md',
        '        waive: { reason: r, owner: o, until: 2026-02-30 }',
      ],
      at: /phases\/plan\.yaml:6:46: .*waiver date `2026-02-30` is not a day of the calendar/,
    },
    {
      what: 'a count range no file can satisfy',
      lines: ['    gates:', '      - file-contains: { in: README.md, text: x, count: { min: 5, max: 1 } }'],
      at: /phases\/plan\.yaml:5:57: .*at least 5 and at most 1 matches/,
    },
    {
      what: 'a template written to the repository root',
      lines: ['    tasks:', '      - { template: t.njk, to: . }'],
      at: /phases\/plan\.yaml:5:32: .*output path `\.` is a folder/,
    },
    {
      what: 'a template written to a folder',
      lines: ['    tasks:', '      - { template: t.njk, to: gen/ }'],
      at: /phases\/plan\.yaml:5:32: .*output path `gen\/` is a folder/,
    },
    {
      what: 'a template written onto an existing folder',
      lines: ['    tasks:', '      - { template: t.njk, to: src }'],
      at: /phases\/plan\.yaml:5:32: .*output path `src` is a folder/,
    },
  ])('refuses $what at validate and at run, with its position', async ({ lines, at }) => {
    const cwd = testdir({
      'phases/plan.yaml': plan(...lines),
      'README.md': 'x\n',
      't.njk': 'hello\n',
      'src/keep.txt': 'x\n',
    })
    for (const command of ['validate', 'run']) {
      const result = await runCli([command], { cwd })
      expect(result.code, `${command}: ${result.stdout}${result.stderr}`).toBe(2)
      expect(result.stderr).toMatch(at)
    }
    expect(existsSync(join(cwd, '.wf', 'ledger.json'))).toBe(false)
  })

  it('points at the include entry that names a folder or a file that is not YAML', async () => {
    const cwd = testdir({
      'phases/plan.yaml': ['version: 1', 'include: [../README.md, ../src]', 'phases: []', ''].join('\n'),
      'README.md': '# Title\n\nSome text\n',
      'src/keep.txt': 'x\n',
    })
    const result = await runCli(['validate'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/phases\/plan\.yaml:2:11: .*included file `\.\.\/README\.md` is not a YAML plan file/)
    expect(result.stderr).toMatch(/phases\/plan\.yaml:2:25: .*included `\.\.\/src` is not a file/)
  })

  it('refuses at run, as at validate, a json-schema gate whose schema is no valid JSON Schema (even as a warning)', async () => {
    const cwd = testdir({
      'phases/plan.yaml': plan(
        '    gates:',
        '      - json-schema: { schema: s.json, files: d.json }',
        '        severity: warning',
      ),
      's.json': '{"type": "nope"}\n',
      'd.json': '{}\n',
    })
    for (const command of ['validate', 'run']) {
      const result = await runCli([command], { cwd })
      expect(result.code, `${command}: ${result.stdout}${result.stderr}`).toBe(2)
      expect(result.stderr).toMatch(/phases\/plan\.yaml:5:32: .*schema s\.json is not a valid JSON Schema/)
    }
  })
})
