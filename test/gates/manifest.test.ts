import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { testdir } from '../helpers.js'
import { expectInvalid, planWith, runGates } from './run-gates.js'

const plan = (...gates: string[]) => planWith(gates.map((g) => `      - ${g}\n`).join(''))

async function gateResults(gates: string[], files: Record<string, string>) {
  const cwd = testdir({ 'phases/p.yaml': plan(...gates), ...files })
  return (await runGates(cwd)).gates
}

describe('manifest gate', () => {
  it('package.json: a missing key at line 1, an empty one and a bad SPDX license at their lines', async () => {
    const packageJson = [
      '{',
      '  "name": "demo",',
      '  "description": "",',
      '  "license": "Apache 2",',
      '  "version": "1.0.0"',
      '}',
      '',
    ].join('\n')
    const [gate] = await gateResults(
      ['manifest: { file: package.json, require: [name, description, license, engines.node] }'],
      { 'package.json': packageJson },
    )
    expect(gate).toMatchObject({ status: 'failed' })
    expect(gate!.locations).toEqual([
      { file: 'package.json', line: 3, message: 'description is empty' },
      {
        file: 'package.json',
        line: 4,
        message: 'license "Apache 2" is not a valid SPDX expression (e.g. "MIT", "Apache-2.0 OR MIT")',
      },
      { file: 'package.json', line: 1, message: 'engines.node is missing' },
    ])
    expect(gate!.message).toContain('package.json:4 license "Apache 2" is not a valid SPDX expression')
  })

  it("package.json takes npm's UNLICENSED and SEE LICENSE IN; a private package skips published_only checks", async () => {
    const gates = await gateResults(
      [
        'manifest: { file: package.json, require: [license, engines.node] }',
        'manifest: { file: a/package.json, require: [license] }',
        'manifest: { file: private/package.json, require: [description, repository], published_only: true }',
        'manifest: { file: public/package.json, require: [description], published_only: true }',
      ],
      {
        'package.json': JSON.stringify({ license: 'UNLICENSED', engines: { node: '>=20' } }),
        'a/package.json': JSON.stringify({ license: 'SEE LICENSE IN LICENSE.txt' }),
        'private/package.json': JSON.stringify({ private: true }),
        'public/package.json': JSON.stringify({ name: 'x' }),
      },
    )
    expect(gates.map((g) => g.status)).toEqual(['passed', 'passed', 'passed', 'failed'])
    expect(gates[3]!.locations).toEqual([{ file: 'public/package.json', line: 1, message: 'description is missing' }])
  })

  it('pyproject.toml: a missing key at its table header, an SPDX license (and a legacy table), Poetry 1 layouts', async () => {
    const gates = await gateResults(
      [
        'manifest: { file: pyproject.toml, require: [project.name, project.license, project.requires-python] }',
        'manifest: { file: legacy/pyproject.toml, require: [project.license, project.requires-python] }',
        'manifest: { file: poetry/pyproject.toml, require: [project.name, project.license, project.requires-python] }',
        'manifest: { file: bad/pyproject.toml, require: [project.license] }',
      ],
      {
        'pyproject.toml': '[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "demo"\nlicense = "MIT"\n',
        'legacy/pyproject.toml': '[project]\nname = "x"\nlicense = { file = "LICENSE" }\nrequires-python = ">=3.9"\n',
        'poetry/pyproject.toml':
          '[tool.poetry]\nname = "p"\nlicense = "BSD-3-Clause"\n\n[tool.poetry.dependencies]\npython = "^3.10"\n',
        'bad/pyproject.toml': '[project]\nname = "x"\nlicense = "BSD"\n',
      },
    )
    expect(gates.map((g) => g.status)).toEqual(['failed', 'passed', 'passed', 'failed'])
    expect(gates[0]!.locations).toEqual([
      { file: 'pyproject.toml', line: 4, message: 'project.requires-python is missing' },
    ])
    expect(gates[3]!.locations).toEqual([
      {
        file: 'bad/pyproject.toml',
        line: 3,
        message: 'project.license "BSD" is not a valid SPDX expression (e.g. "MIT", "Apache-2.0 OR MIT")',
      },
    ])
  })

  it('Cargo.toml: workspace inheritance, the old `/` license form, license-file; a missing key at [package]', async () => {
    const gates = await gateResults(
      [
        'manifest: { file: Cargo.toml, require: [package.license, package.description, package.rust-version] }',
        'manifest: { file: lone/Cargo.toml, require: [package.license, package.rust-version] }',
        'manifest: { file: own/Cargo.toml, require: [package.license] }',
      ],
      {
        'Cargo.toml': [
          '[workspace]',
          'members = ["crates/*"]',
          '',
          '[workspace.package]',
          'license = "MIT/Apache-2.0"',
          'rust-version = "1.70"',
          '',
          '[package]',
          'name = "demo"',
          'description = "A demo"',
          'license.workspace = true',
          'rust-version.workspace = true',
          '',
        ].join('\n'),
        'lone/Cargo.toml': '[package]\nname = "lone"\nversion = "0.1.0"\nlicense = "MIT"\n\n[dependencies]\n',
        'own/Cargo.toml': '[package]\nname = "own"\nlicense-file = "LICENSE.txt"\n',
      },
    )
    expect(gates.map((g) => g.status)).toEqual(['passed', 'failed', 'passed'])
    expect(gates[1]!.locations).toEqual([
      { file: 'lone/Cargo.toml', line: 1, message: 'package.rust-version is missing' },
    ])
  })

  it('go.mod: module and go directives; go.sum is needed only when go.mod requires modules', async () => {
    const goMod = 'module example.com/demo\n\ngo 1.22\n\nrequire (\n\tgithub.com/pkg/errors v0.9.1 // indirect\n)\n'
    const gates = await gateResults(
      [
        'manifest: { file: go.mod, require: [module, go], lockfile: go.sum }',
        'manifest: { file: bare/go.mod, require: [module, go, toolchain], lockfile: bare/go.sum }',
      ],
      { 'go.mod': goMod, 'bare/go.mod': 'module example.com/bare\n' },
    )
    expect(gates.map((g) => g.status)).toEqual(['failed', 'failed'])
    expect(gates[0]!.locations).toEqual([
      { file: 'go.mod', line: 5, message: 'require declares dependencies but no lockfile matches go.sum' },
    ])
    expect(gates[1]!.locations).toEqual([
      { file: 'bare/go.mod', line: 1, message: 'go is missing' },
      { file: 'bare/go.mod', line: 1, message: 'toolchain is missing' },
    ])
  })

  it('pom.xml: elements below <project>; a missing one at the <project> line', async () => {
    const pom = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<project xmlns="http://maven.apache.org/POM/4.0.0">',
      '  <modelVersion>4.0.0</modelVersion>',
      '  <artifactId>demo</artifactId>',
      '  <description></description>',
      '  <licenses>',
      '    <license><name>Apache-2.0</name></license>',
      '  </licenses>',
      '</project>',
      '',
    ].join('\n')
    const [gate] = await gateResults(['manifest: { file: pom.xml, require: [description, licenses, scm] }'], {
      'pom.xml': pom,
    })
    expect(gate!.locations).toEqual([
      { file: 'pom.xml', line: 5, message: 'description is empty' },
      { file: 'pom.xml', line: 2, message: 'scm is missing' },
    ])
  })

  it('a manifest that does not parse fails at the line and column the parser names', async () => {
    const gates = await gateResults(
      [
        'manifest: { file: package.json }',
        'manifest: { file: Cargo.toml }',
        'manifest: { file: pom.xml }',
        'manifest: { file: go.mod }',
      ],
      {
        'package.json': '{\n  "name": "x",\n  "version": 1.0.0\n}\n',
        'Cargo.toml': '[package]\nname = "x"\nversion = 0.1.0"\n',
        'pom.xml': '<project>\n  <name>x</name>\n  <url>y\n</project>\n',
        'go.mod': 'module x\nrequire (\n\ta v1\n',
      },
    )
    expect(gates.map((g) => g.status)).toEqual(['failed', 'failed', 'failed', 'failed'])
    const at = gates.map((g) => g.locations![0]!)
    expect(at[0]).toMatchObject({ file: 'package.json', line: 3, col: 17 })
    expect(at[0]!.message).toMatch(/^does not parse as JSON: /)
    expect(at[1]).toMatchObject({ file: 'Cargo.toml', line: 3 })
    expect(at[1]!.message).toMatch(/^does not parse as TOML: /)
    expect(at[2]).toMatchObject({ file: 'pom.xml', line: 4 })
    expect(at[2]!.message).toMatch(/^does not parse as XML: /)
    expect(at[3]).toEqual({
      file: 'go.mod',
      line: 2,
      col: 1,
      message: 'does not parse: the `require (` block is not closed',
    })
  })

  it('changelog: the version in a heading or as [x.y.z] passes; otherwise the version line fails, quoting the latest entry', async () => {
    const packageJson = '{\n  "name": "demo",\n  "version": "1.2.0"\n}\n'
    const gate = 'manifest: { file: package.json, changelog: CHANGELOG.md }'
    const with_ = (changelog: string) => gateResults([gate], { 'package.json': packageJson, 'changelog.md': changelog })
    expect((await with_('# Changelog\n\n## [1.2.0] - 2026-01-02\n\n- x\n'))[0]!.status).toBe('passed')
    expect((await with_('# Changes\n\n## v1.2.0\n'))[0]!.status).toBe('passed')
    expect((await with_('# Changes\n\nSee below.\n\n[1.2.0]: https://example.com/compare\n'))[0]!.status).toBe('passed')
    const [failed] = await with_('# Changelog\n\n## Unreleased\n\n## 1.2.0-rc.1\n\n## [1.1.0] - 2025-12-01\n')
    expect(failed!.locations).toEqual([
      {
        file: 'package.json',
        line: 3,
        message: 'version 1.2.0 is not in changelog.md; its latest entry is "## 1.2.0-rc.1" (line 5)',
      },
    ])
    const [none] = await gateResults([gate], { 'package.json': packageJson })
    expect(none!.locations).toEqual([
      { file: 'package.json', line: 3, message: 'version 1.2.0 has no changelog: no file matches CHANGELOG.md' },
    ])
  })

  it('changelog: a development version is named by the release it leads to', async () => {
    const gates = await gateResults(
      [
        'manifest: { file: pyproject.toml, changelog: CHANGES.md }',
        'manifest: { file: pom.xml, changelog: CHANGES.md }',
        'manifest: { file: app/pom.xml, changelog: CHANGES.md }',
      ],
      {
        'pyproject.toml': '[project]\nname = "x"\nversion = "8.5.0.dev"\n',
        'pom.xml': '<project>\n  <version>8.5.0-SNAPSHOT</version>\n</project>\n',
        'app/pom.xml': '<project>\n  <version>9.0.0-SNAPSHOT</version>\n</project>\n',
        'CHANGES.md': '## Version 8.5.0\n\nUnreleased\n\n## Version 8.4.0\n',
      },
    )
    expect(gates.map((g) => g.status)).toEqual(['passed', 'passed', 'failed'])
    expect(gates[2]!.locations).toEqual([
      {
        file: 'app/pom.xml',
        line: 2,
        message:
          'version 9.0.0-SNAPSHOT is not in CHANGES.md (nor is 9.0.0, the release it leads to); its latest entry is "## Version 8.5.0" (line 1)',
      },
    ])
  })

  it('changelog: reStructuredText headings, dynamic versions, go.mod and a missing version', async () => {
    const gates = await gateResults(
      [
        'manifest: { file: pyproject.toml, changelog: CHANGES.rst }',
        'manifest: { file: dyn/pyproject.toml, changelog: CHANGES.rst }',
        'manifest: { file: go.mod, changelog: CHANGES.rst }',
        'manifest: { file: app/package.json, changelog: CHANGES.rst }',
      ],
      {
        'pyproject.toml': '[project]\nname = "x"\nversion = "8.1.7"\n',
        'CHANGES.rst': 'Version 8.1.7\n-------------\n\nReleased 2023-08-17\n',
        'dyn/pyproject.toml': '[project]\nname = "x"\ndynamic = ["version"]\n',
        'go.mod': 'module x\n\ngo 1.22\n',
        'app/package.json': '{"name": "app"}',
      },
    )
    expect(gates.map((g) => g.status)).toEqual(['passed', 'passed', 'passed', 'failed'])
    expect(gates[1]!.message).toContain('its version is dynamic')
    expect(gates[3]!.locations).toEqual([
      { file: 'app/package.json', line: 1, message: 'has no version to look up in CHANGES.rst' },
    ])
  })

  it('reads its changelog and lockfile as inputs: editing either makes the phase run again', async () => {
    const cwd = testdir({
      // With phase inputs, the phase is fingerprinted by them and by what its gates read, not by the whole tree.
      'phases/p.yaml': planWith(
        '      - manifest: { file: Cargo.toml, lockfile: Cargo.lock, changelog: CHANGELOG.md }\n',
        '    inputs: [README.md]\n',
      ),
      'README.md': '',
      'Cargo.toml': '[package]\nname = "x"\nversion = "1.0.0"\n\n[dependencies]\nserde = "1"\n',
      'Cargo.lock': '',
      'changelog.md': '## 1.0.0\n',
    })
    expect((await runGates(cwd)).gates[0]).toMatchObject({
      status: 'passed',
      message: 'Cargo.toml locked by Cargo.lock; version 1.0.0 is in the changelog',
    })
    writeFileSync(join(cwd, 'changelog.md'), '## 0.9.0\n')
    expect((await runGates(cwd)).gates[0]!.locations).toEqual([
      {
        file: 'Cargo.toml',
        line: 3,
        message: 'version 1.0.0 is not in changelog.md; its latest entry is "## 0.9.0" (line 1)',
      },
    ])
    writeFileSync(join(cwd, 'changelog.md'), '## 1.0.0\n')
    rmSync(join(cwd, 'Cargo.lock'))
    expect((await runGates(cwd)).gates[0]!.locations).toEqual([
      { file: 'Cargo.toml', line: 5, message: 'dependencies declares dependencies but no lockfile matches Cargo.lock' },
    ])
  })

  it('reads hostile manifests (very long dotted keys, deep nesting) and still locates what it looks for', async () => {
    const gates = await gateResults(
      [
        'manifest: { file: pyproject.toml, require: [project.name, project.x] }',
        'manifest: { file: package.json, require: [name] }',
        'manifest: { file: pom.xml, require: [name] }',
      ],
      {
        'pyproject.toml': `[project]\nname = "x"\n"q"${' . "q"'.repeat(20_000)} = 2\n`,
        'package.json': `{"b":${'{"b":'.repeat(2_000)}1${'}'.repeat(2_001)}`,
        'pom.xml': `<project>${'<a>'.repeat(3_000)}${'</a>'.repeat(3_000)}</project>`,
      },
    )
    expect(gates[0]!.locations).toEqual([{ file: 'pyproject.toml', line: 1, message: 'project.x is missing' }])
    expect(gates[1]!.locations).toEqual([{ file: 'package.json', line: 1, message: 'name is missing' }])
    expect(gates[2]!.locations).toEqual([
      { file: 'pom.xml', line: 1, message: 'does not parse as XML: Maximum nested tags exceeded' },
    ])
  })

  it('missing_ok passes without the manifest; without it the gate fails', async () => {
    const gates = await gateResults(
      ['manifest: { file: Cargo.toml, missing_ok: true }', 'manifest: { file: Cargo.toml }'],
      {},
    )
    expect(gates.map((g) => [g.status, g.message])).toEqual([
      ['passed', 'no Cargo.toml (missing_ok)'],
      ['failed', 'Cargo.toml does not exist'],
    ])
  })

  it('wf validate refuses a file it cannot read as a manifest', async () => {
    const cwd = testdir({ 'phases/p.yaml': plan('manifest: { file: setup.py }') })
    await expectInvalid(cwd, 'phases/p.yaml:5:27', 'wf does not read setup.py as a manifest')
  })
})
