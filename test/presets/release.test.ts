import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'
import type { GateResult } from '../gates/run-gates.js'

async function releaseReadiness(files: Record<string, string>) {
  const cwd = testdir({
    'phases/wf.yaml': 'version: 1\nphases:\n  - id: p\n    extends: builtin:release-readiness\n',
    ...files,
  })
  const result = await runCli(['check', '--json'], { cwd })
  const gates = (JSON.parse(result.stdout).phases[0] as { gates: GateResult[] }).gates
  const byName = Object.fromEntries(gates.map((g) => [g.name, g]))
  return { code: result.code, byName, notPassed: gates.filter((g) => g.status !== 'passed').map((g) => g.name) }
}

const CHANGELOG = '# Changelog\n\n## [Unreleased]\n\n## [2.1.0] - 2026-11-02\n\n- Faster.\n\n## [2.0.0] - 2026-06-01\n'

describe('builtin:release-readiness', () => {
  it('passes when the changelog names the version of every manifest (in any of their layouts)', async () => {
    const { code, notPassed, byName } = await releaseReadiness({
      'CHANGELOG.md': CHANGELOG,
      'package.json': '{ "name": "demo", "version": "2.1.0" }\n',
      'pyproject.toml': '[project]\nname = "demo"\ndynamic = ["version"]\n',
      'Cargo.toml': '[package]\nname = "demo"\nversion.workspace = true\n\n[workspace.package]\nversion = "2.1.0"\n',
      'pom.xml':
        '<project>\n  <version>${revision}</version>\n  <properties><revision>2.0.0</revision></properties>\n</project>\n',
    })
    expect(notPassed).toEqual([])
    expect(code).toBe(0)
    expect(byName['changelog names the pyproject.toml version']!.message).toContain('dynamic')
  })

  it('passes a repository with a reStructuredText CHANGES file and no manifest, and a private package', async () => {
    expect((await releaseReadiness({ 'CHANGES.rst': 'Version 1.0\n-----------\n' })).notPassed).toEqual([])
    const app = { 'changelog.md': '# Changes\n', 'package.json': '{ "private": true, "version": "9.9.9" }' }
    expect((await releaseReadiness(app)).notPassed).toEqual([])
  })

  it('fails without a changelog', async () => {
    const { notPassed, byName } = await releaseReadiness({ 'README.md': '# demo\n' })
    expect(notPassed).toEqual(['changelog present'])
    expect(byName['changelog present']!.message).toBe(
      'missing: {CHANGELOG,CHANGES,HISTORY,NEWS,RELEASES}{,.md,.rst,.txt,.adoc}',
    )
  })

  it('fails a version the changelog does not name, at the version line, quoting the latest entry', async () => {
    const { notPassed, byName } = await releaseReadiness({
      'CHANGELOG.md': CHANGELOG,
      'package.json': '{\n  "name": "demo",\n  "version": "2.2.0"\n}\n',
      'Cargo.toml': '[package]\nname = "demo"\nversion = "2.1.0-beta.1"\n',
    })
    expect(notPassed).toEqual(['changelog names the package.json version', 'changelog names the Cargo.toml version'])
    expect(byName['changelog names the package.json version']!.locations).toEqual([
      {
        file: 'package.json',
        line: 3,
        message: 'version 2.2.0 is not in CHANGELOG.md; its latest entry is "## [2.1.0] - 2026-11-02" (line 5)',
      },
    ])
    expect(byName['changelog names the Cargo.toml version']!.locations).toEqual([
      {
        file: 'Cargo.toml',
        line: 3,
        message: 'version 2.1.0-beta.1 is not in CHANGELOG.md; its latest entry is "## [2.1.0] - 2026-11-02" (line 5)',
      },
    ])
  })

  it('fails the pyproject.toml and pom.xml versions the changelog does not name', async () => {
    const { notPassed, byName } = await releaseReadiness({
      'HISTORY.md': '# History\n\n1.0.0 (2026-01-01)\n==================\n',
      'pyproject.toml': '[project]\nname = "demo"\nversion = "1.1.0"\n',
      'pom.xml': '<project>\n  <artifactId>demo</artifactId>\n  <version>1.0.1</version>\n</project>\n',
    })
    expect(notPassed).toEqual(['changelog names the pyproject.toml version', 'changelog names the pom.xml version'])
    expect(byName['changelog names the pyproject.toml version']!.locations).toEqual([
      {
        file: 'pyproject.toml',
        line: 3,
        message: 'version 1.1.0 is not in HISTORY.md; its latest entry is "1.0.0 (2026-01-01)" (line 3)',
      },
    ])
    expect(byName['changelog names the pom.xml version']!.locations).toEqual([
      {
        file: 'pom.xml',
        line: 3,
        message: 'version 1.0.1 is not in HISTORY.md; its latest entry is "1.0.0 (2026-01-01)" (line 3)',
      },
    ])
  })
})
