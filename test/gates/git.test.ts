import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { gitRepo, testdir } from '../helpers.js'
import { expectInvalid, planWith, runGates } from './run-gates.js'

function writeFiles(cwd: string, files: Record<string, string>) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, path)), { recursive: true })
    writeFileSync(join(cwd, path), content)
  }
}

describe('git gate', () => {
  it('passes in a clean repository on a matching branch with small tracked files (.wf/ ignored)', async () => {
    const cwd = gitRepo({
      'phases/p.yaml': planWith(
        '      - git: { clean: true, branch: "{main,release/*}", tracked: [README.md, "docs/*.md"], max_file_size: 1KB }\n',
      ),
      'README.md': '# x\n',
      'docs/a.md': 'a\n',
    })
    const { code, gates } = await runGates(cwd)
    expect(gates[0]).toMatchObject({
      status: 'passed',
      name: 'git: working tree clean, branch matches {main,release/*}, tracked: README.md, docs/*.md, tracked files at most 1KB',
      message:
        'working tree clean; branch main matches {main,release/*}; README.md, docs/*.md tracked; no tracked file larger than 1KB',
    })
    expect(code).toBe(0)
  })

  it('names uncommitted, untracked and large files, and a branch that does not match', async () => {
    const cwd = gitRepo({
      'phases/p.yaml': planWith(
        [
          '      - git: { clean: true }',
          '      - git: { branch: "release/*" }',
          '      - git: { tracked: "docs/*.md" }',
          '      - git: { max_file_size: 1KB }',
          '',
        ].join('\n'),
      ),
      'README.md': '# x\n',
      'docs/a.md': 'a\n',
      'big.bin': 'x'.repeat(1500),
    })
    writeFiles(cwd, { 'README.md': '# changed\n', 'docs/new.md': 'new\n' })
    const { code, gates } = await runGates(cwd)
    expect(code).toBe(1)
    expect(gates.map((g) => g.status)).toEqual(['failed', 'failed', 'failed', 'failed'])
    expect(gates[0]!.message).toBe(
      'the working tree has 2 uncommitted changes: README.md (modified), docs/new.md (untracked); commit or stash them',
    )
    expect(gates[0]!.locations).toEqual([
      { file: 'README.md', message: 'modified' },
      { file: 'docs/new.md', message: 'untracked' },
    ])
    expect(gates[1]!.message).toBe('branch main does not match release/*')
    expect(gates[2]!.message).toBe('not tracked: docs/*.md: 1 untracked file: docs/new.md')
    expect(gates[2]!.locations).toEqual([
      { file: 'docs/new.md', message: 'not tracked by git (`git add docs/new.md`)' },
    ])
    expect(gates[3]!.message).toBe('1 tracked file is larger than 1KB: big.bin (1.5 KB)')
    expect(gates[3]!.locations).toEqual([{ file: 'big.bin', message: '1.5 KB, larger than 1KB' }])
  })

  it('fails outside a git repository', async () => {
    const cwd = testdir({ 'phases/p.yaml': planWith('      - git: { clean: true }\n') })
    const { gates } = await runGates(cwd)
    expect(gates[0]!.status).toBe('failed')
    expect(gates[0]!.message).toMatch(/is not inside a git repository; run `git init` there or remove the git gate$/)
  })

  it('rejects an invalid branch glob at plan time', async () => {
    const cwd = testdir({ 'phases/p.yaml': planWith('      - git: { branch: "release/[" }\n') })
    await expectInvalid(cwd, 'phases/p.yaml:5:24', 'branch glob `release/[` is invalid: Missing closing: "]"')
  })
})
