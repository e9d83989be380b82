import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { zipBytes } from '../gates/binary-bytes.js'
import { repoRoot } from '../helpers.js'
import { checkPreset, type PresetGateResult } from './check-preset.js'

// The whole MIT text, so that the license is identified.
const MIT = readFileSync(join(repoRoot, 'templates', 'license-mit.njk'), 'utf8')
  .replace('{{ year }}', '2026')
  .replace('{{ holder }}', 'Acme')

const HEALTHY: Record<string, string> = {
  LICENSE: MIT,
  'README.md': '# acme\n\nAcme turns orders into shipments.\n\n## License\n\nMIT, see LICENSE.\n',
  'CONTRIBUTING.md': '# Contributing\n\nRun `npm test` before you open a pull request.\n',
  'CODE_OF_CONDUCT.md': '# Code of conduct\n\nReport unacceptable behaviour to conduct@acme.dev.\n',
  'CHANGELOG.md': '# Changelog\n\n## 1.0.0\n\n- First release.\n',
  'SECURITY.md': '# Security\n\nReport vulnerabilities to security@acme.dev.\n',
  'SUPPORT.md': '# Support\n\nAsk questions in GitHub Discussions.\n',
  'package.json': '{ "name": "acme", "version": "1.0.0" }\n',
  'pyproject.toml': '[project]\nname = "acme"\nversion = "1.0.0"\n',
  'pom.xml': '<project>\n  <groupId>dev.acme</groupId>\n  <artifactId>acme</artifactId>\n</project>\n',
  'src/index.js': '// SPDX-License-Identifier: MIT\nexport const ship = (order) => order\n',
  'test/index.test.js':
    '/*\n * Copyright 2026 Acme\n * Licensed under the MIT License.\n */\nimport { ship } from "../src/index.js"\n',
  '.github/workflows/ci.yml': 'name: ci\non: push\njobs: {}\n',
  '.github/ISSUE_TEMPLATE/bug.yml': 'name: Bug\n',
  '.github/PULL_REQUEST_TEMPLATE.md': '- [ ] tests\n',
}

/** The healthy repository with some files changed (a string) or removed (null). */
function healthy(changes: Record<string, string | Buffer | null> = {}): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = { ...HEALTHY }
  for (const [path, content] of Object.entries(changes))
    if (content === null) delete files[path]
    else files[path] = content
  return files
}

function expectAllPass(gates: PresetGateResult[]) {
  for (const gate of gates) expect(gate, gate.name).toMatchObject({ status: 'passed' })
}

// The first bytes of a 64-bit Linux executable.
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(64)])

describe('builtin:community-health (Repolinter default ruleset)', () => {
  it('passes a healthy repository', async () => {
    const { gates } = await checkPreset('community-health', healthy())
    expect(gates).toHaveLength(19)
    expectAllPass(gates)
    const byName = Object.fromEntries(gates.map((g) => [g.name, g.message]))
    expect(byName).toMatchObject({
      'binaries not present': 'no binary artifact among 16 files',
      'license detectable': 'LICENSE: MIT (100% similar to its SPDX text)',
      'javascript package metadata exists': 'package.json has name',
      'python package metadata exists': 'pyproject.toml parses',
      'java package metadata exists': 'pom.xml parses',
    })
  })

  it('passes the same files in the other names and places Repolinter and GitHub accept', async () => {
    const { gates } = await checkPreset('community-health', {
      license: MIT,
      'readme.markdown': '# acme\n\nLicensed under MIT.\n',
      'docs/contributing.md': '# Contributing\n',
      '.github/code-of-conduct.md': 'Contact: conduct@acme.dev\n',
      'Changelog.md': '# Changes\n',
      '.github/security.md': '# Security\n',
      'docs/support.md': '# Support\n',
      'pkg/parse_test.go': 'package pkg\n',
      '.gitlab-ci.yml': 'test:\n  script: go test ./...\n',
      '.github/issue_template.md': 'Describe the bug.\n',
      'docs/pull_request_template.md': '- [ ] tests\n',
    })
    expectAllPass(gates)
  })

  it.each([
    ['license file exists', 'LICENSE', 'missing: {LICENSE,LICENCE,COPYING}*'],
    ['readme file exists', 'README.md', 'missing: README*'],
    ['contributing file exists', 'CONTRIBUTING.md', 'missing: {,docs/,.github/}CONTRIB*'],
    [
      'code of conduct file exists',
      'CODE_OF_CONDUCT.md',
      'missing: {,docs/,.github/}{CODEOFCONDUCT*,CODE-OF-CONDUCT*,CODE_OF_CONDUCT*,CONDUCT.md}',
    ],
    ['changelog file exists', 'CHANGELOG.md', 'missing: {CHANGELOG,CHANGES,HISTORY,NEWS,RELEASES}*'],
    ['security file exists', 'SECURITY.md', 'missing: {,docs/,.github/}SECURITY.md'],
    [
      'integrates with CI',
      '.github/workflows/ci.yml',
      /^missing: \{\.github\/workflows\/\*\.\{yml,yaml\},\.gitlab-ci\.yml,/,
    ],
  ])('fails "%s" (an error) without %s', async (name, path, message) => {
    const { code, byName } = await checkPreset('community-health', healthy({ [path]: null }))
    expect(code).toBe(1)
    expect(byName[name]).toMatchObject({ status: 'failed', message })
  })

  it.each([
    ['support file exists', 'SUPPORT.md', 'missing: {,docs/,.github/}SUPPORT*'],
    ['issue template exists', '.github/ISSUE_TEMPLATE/bug.yml', 'missing: {,docs/,.github/}ISSUE_TEMPLATE{*,/**}'],
    [
      'pull request template exists',
      '.github/PULL_REQUEST_TEMPLATE.md',
      'missing: {,docs/,.github/}PULL_REQUEST_TEMPLATE{*,/**}',
    ],
  ])('warns "%s" without %s, as Repolinter does', async (name, path, message) => {
    const { byName } = await checkPreset('community-health', healthy({ [path]: null }))
    expect(byName[name]).toMatchObject({ status: 'warned', message })
  })

  it('fails a repository without tests', async () => {
    const { byName } = await checkPreset('community-health', healthy({ 'test/index.test.js': null }))
    expect(byName['test directory exists']).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/^missing: /),
    })
  })

  it.each([
    ['a test/ folder of plain files', { 'test/fetch.ts': 'import "../src/index.js"\n' }],
    ['a Go test file at the root', { 'parse_test.go': 'package acme\n' }],
    ['a Python test file at the root', { 'test_parse.py': 'def test_parse(): pass\n' }],
  ])('counts tests at the repository root: %s', async (_, tests) => {
    const { byName } = await checkPreset('community-health', { ...healthy({ 'test/index.test.js': null }), ...tests })
    expect(byName['test directory exists']).toMatchObject({ status: 'passed' })
  })

  it('allows the Gradle wrapper jar, as builtin:binary-artifacts does, and no other jar', async () => {
    const { byName } = await checkPreset('community-health', {
      ...healthy(),
      'gradle/wrapper/gradle-wrapper.jar': zipBytes('META-INF/MANIFEST.MF'),
      'lib/vendor.jar': zipBytes('META-INF/MANIFEST.MF'),
    })
    expect(byName['binaries not present']).toMatchObject({
      status: 'failed',
      locations: [expect.objectContaining({ file: 'lib/vendor.jar' })],
    })
  })

  it('counts a CHANGES.md as the changelog and a CONDUCT.md as the code of conduct', async () => {
    const { byName } = await checkPreset(
      'community-health',
      healthy({
        'CHANGELOG.md': null,
        'CHANGES.md': '# Changes\n\n## 1.0.0\n',
        'CODE_OF_CONDUCT.md': null,
        'CONDUCT.md': '# Conduct\n\nReport to conduct@acme.dev.\n',
      }),
    )
    expect(byName['changelog file exists']).toMatchObject({ status: 'passed' })
    expect(byName['code of conduct file exists']).toMatchObject({ status: 'passed' })
    expect(byName['code of conduct contains an email']).toMatchObject({ status: 'passed' })
  })

  it('fails a README that does not mention the license, at the README', async () => {
    const { byName } = await checkPreset('community-health', healthy({ 'README.md': '# acme\n\nAcme ships orders.\n' }))
    expect(byName['readme references license']).toMatchObject({
      status: 'failed',
      locations: [{ file: 'README.md', message: '0 matches of /licen[cs]e/i, expected at least 1' }],
    })
  })

  it('warns when the code of conduct names no email, at the file', async () => {
    const { byName } = await checkPreset(
      'community-health',
      healthy({ 'CODE_OF_CONDUCT.md': '# Code of conduct\n\nBe kind. Tell a maintainer.\n' }),
    )
    expect(byName['code of conduct contains an email']).toMatchObject({
      status: 'warned',
      locations: [expect.objectContaining({ file: 'CODE_OF_CONDUCT.md' })],
    })
  })

  it('warns about each source file without a license header in its first five lines', async () => {
    const late = '\n\n\n\n\n\n// Copyright 2026 Acme\n'
    const { byName } = await checkPreset(
      'community-health',
      healthy({ 'src/late.js': late, 'src/none.mjs': 'export {}\n', 'vendor/lib.min.js': 'x\n' }),
    )
    expect(byName['source license headers exist']).toMatchObject({
      status: 'warned',
      locations: [expect.objectContaining({ file: 'src/late.js' }), expect.objectContaining({ file: 'src/none.mjs' })],
    })
  })

  it('fails a committed executable, found by its content, at the file', async () => {
    const { code, byName } = await checkPreset(
      'community-health',
      healthy({ 'bin/tool': ELF, 'node_modules/esbuild/bin/esbuild': ELF }),
    )
    expect(code).toBe(1)
    expect(byName['binaries not present']).toMatchObject({
      status: 'failed',
      message: '1 binary artifact: bin/tool (ELF file)',
      locations: [{ file: 'bin/tool', message: 'ELF file' }],
    })
  })

  it('fails a license text that matches no SPDX license, at the license file', async () => {
    const { byName } = await checkPreset(
      'community-health',
      healthy({ LICENSE: 'Do what you like with this, but ask Acme first.\n' }),
    )
    expect(byName['license detectable']).toMatchObject({
      status: 'failed',
      locations: [
        {
          file: 'LICENSE',
          line: 1,
          message: expect.stringMatching(/^not identified as an SPDX license: the text matches no SPDX license/),
        },
      ],
    })
  })

  it('fails package metadata per language: package.json without a name, pyproject.toml and pom.xml that do not parse', async () => {
    const { byName } = await checkPreset(
      'community-health',
      healthy({
        'package.json': '{\n  "version": "1.0.0"\n}\n',
        'pyproject.toml': '[project]\nname = "acme\n',
        'pom.xml': '<project>\n  <artifactId>acme</artifactId>\n</projec>\n',
      }),
    )
    expect(byName['javascript package metadata exists']).toMatchObject({
      status: 'failed',
      locations: [{ file: 'package.json', line: 1, message: 'name is missing' }],
    })
    expect(byName['python package metadata exists']).toMatchObject({
      status: 'failed',
      locations: [
        { file: 'pyproject.toml', line: 2, col: 13, message: expect.stringMatching(/^does not parse as TOML: /) },
      ],
    })
    expect(byName['java package metadata exists']).toMatchObject({
      status: 'failed',
      locations: [{ file: 'pom.xml', line: 3, col: 1, message: expect.stringMatching(/^does not parse as XML: /) }],
    })
  })
})
