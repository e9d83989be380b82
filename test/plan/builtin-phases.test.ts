import { execFileSync } from 'node:child_process'
import { copyFileSync, lstatSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { repoRoot, testdir } from '../helpers.js'

const plan = 'version: 1\nphases:\n  - id: governance\n    extends: builtin:governance\n'
type Gate = {
  name: string
  status: string
  message: string
  hint?: string
  locations?: { file: string; line?: number }[]
}
async function governance(files: Record<string, string>) {
  const cwd = testdir({ 'phases/p.yaml': plan, ...files })
  const result = await runCli(['check', '--json'], { cwd })
  const gates: Gate[] = JSON.parse(result.stdout).phases[0].gates
  return { code: result.code, gates, byName: Object.fromEntries(gates.map((g) => [g.name, g])) }
}
const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11'

describe('builtin:governance', () => {
  it('fails an empty repository with one actionable message per missing item', async () => {
    const { code, gates } = await governance({})
    expect(code).toBe(1)
    const failed = gates.filter((g) => g.status === 'failed')
    expect(failed.map((g) => g.name)).toEqual([
      'license present',
      'security policy',
      'code owners',
      'contributing guide',
      'readme describes the project',
      'dependency updates configured',
    ])
    for (const gate of failed) expect(gate.hint, gate.name).toMatch(/^add /)
    expect(failed.find((g) => g.name === 'security policy')!.hint).toContain('builtin:security-policy')
  })

  it('passes a well-kept repository, with pinned actions and declared permissions', async () => {
    const { code, gates } = await governance({
      LICENSE: 'MIT License\n\nCopyright (c) 2026 Acme\n',
      'SECURITY.md': '# Security\n',
      'CONTRIBUTING.md': '# Contributing\n',
      '.github/CODEOWNERS': '# owners\n*       @acme/platform\n/docs/  docs@acme.dev @alice\n',
      'README.md': '# acme\n\nAcme is a service that turns orders into shipments.\n',
      '.github/dependabot.yml': 'version: 2\nupdates: []\n',
      '.github/workflows/ci.yml': `name: ci\non: push\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${SHA} # v4\n      - uses: ./.github/actions/local\n      - run: npm test\n`,
    })
    expect(gates.filter((g) => g.status !== 'passed')).toEqual([])
    expect(code).toBe(0)
  })

  it('names the workflow line of an unpinned action, a workflow without permissions, a bad CODEOWNERS line and an unknown license', async () => {
    const { byName } = await governance({
      LICENSE: 'All rights reserved. Do what we say.\n',
      '.github/CODEOWNERS': '*  @acme/platform\n/docs/\n',
      '.github/workflows/release.yaml': `name: release\non: push\njobs:\n  r:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: "actions/setup-node@${SHA}"\n      - uses: docker://alpine:3\n`,
    })
    expect(byName['workflow actions pinned to a commit']).toMatchObject({
      status: 'failed',
      locations: [
        {
          file: '.github/workflows/release.yaml',
          line: 7,
          message: 'not pinned to a full commit SHA: `uses: actions/checkout@v4`',
        },
        { file: '.github/workflows/release.yaml', line: 9 },
      ],
    })
    expect(byName['workflow permissions declared']).toMatchObject({
      status: 'failed',
      locations: [{ file: '.github/workflows/release.yaml', line: 1 }],
    })
    expect(byName['code owners valid']).toMatchObject({
      status: 'failed',
      locations: [{ file: '.github/CODEOWNERS', line: 2 }],
    })
    expect(byName['license recognised']!.status).toBe('failed')
    expect(byName['license recognised']!.hint).toContain('SPDX-License-Identifier')
  })

  it('judges hostile lines of workflows and CODEOWNERS (its own lookahead patterns stay linear)', async () => {
    // A line of 300,000 spaces made the unpinned-uses pattern backtrack quadratically (minutes).
    const { byName } = await governance({
      '.github/CODEOWNERS': `*${' @a'.repeat(50_000)}\n/docs/${' x@y'.repeat(50_000)} !\n`,
      '.github/workflows/ci.yml': `on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      - run: |\n          curl ${' '.repeat(300_000)}x\n      - uses: a/b@v1\n`,
    })
    expect(byName['workflow actions pinned to a commit']).toMatchObject({
      status: 'failed',
      locations: [{ file: '.github/workflows/ci.yml', line: 8 }],
    })
    expect(byName['code owners valid']).toMatchObject({
      status: 'failed',
      locations: [{ file: '.github/CODEOWNERS', line: 2 }],
    })
  })

  it('passes on this repository (wf governs itself), checked in a copy so the test writes nothing into it', async () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: repoRoot,
      encoding: 'utf8',
    })
      .split('\0')
      .filter(Boolean)
    const copy = testdir()
    for (const file of files) {
      // Deleted files, and a node_modules link in a git worktree (`node_modules/` ignores only folders), are not copied.
      if (!lstatSync(join(repoRoot, file), { throwIfNoEntry: false })?.isFile()) continue
      mkdirSync(dirname(join(copy, file)), { recursive: true })
      copyFileSync(join(repoRoot, file), join(copy, file))
    }
    const result = await runCli(['check', 'governance', '--json'], { cwd: copy })
    const gates: Gate[] = JSON.parse(result.stdout).phases[0].gates
    expect(gates.length).toBeGreaterThan(10)
    expect(gates.filter((g) => g.status !== 'passed')).toEqual([])
  })
})

describe('builtin:governance file names in any case', () => {
  it.each([
    ['license present', { license: 'MIT License\n' }],
    ['license present', { 'Licence.md': 'MIT License\n' }],
    ['readme describes the project', { 'readme.md': 'Acme is a service that turns orders into shipments.\n' }],
    ['security policy', { '.github/security.md': '# Security\n' }],
    ['contributing guide', { 'docs/contributing.md': '# Contributing\n' }],
  ])('%s is satisfied by %j', async (name, files) => {
    const { byName } = await governance(files)
    expect(byName[name]).toMatchObject({ status: 'passed' })
  })

  it('takes the LICENSE-MIT and LICENSE-APACHE of a dual-licensed project, and a COPYING that says so', async () => {
    const { byName } = await governance({
      'LICENSE-MIT': 'MIT License\n\nCopyright (c) 2026 Acme\n',
      'LICENSE-APACHE':
        '                                 Apache License\n                           Version 2.0, January 2004\n',
      COPYING: 'This project is dual-licensed under the Apache-2.0 and MIT licenses.\n',
    })
    expect(byName['license present']).toMatchObject({ status: 'passed' })
    expect(byName['license recognised']).toMatchObject({ status: 'passed' })
  })

  it('reads a lower-case license to recognise it, and names it as it is spelled', async () => {
    const { byName } = await governance({ license: 'All rights reserved.\n' })
    expect(byName['license recognised']).toMatchObject({ status: 'failed', locations: [{ file: 'license' }] })
  })
})
