import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'
import type { GateResult } from '../gates/run-gates.js'

/** `wf check --json` of a plan that is just `extends: builtin:NAME`, on a repository of these files. */
async function preset(name: string, files: Record<string, string>) {
  const cwd = testdir({ 'phases/wf.yaml': `version: 1\nphases:\n  - id: p\n    extends: builtin:${name}\n`, ...files })
  const result = await runCli(['check', '--json'], { cwd })
  const phase = JSON.parse(result.stdout).phases[0] as { status: string; reason?: string; gates: GateResult[] }
  const byName = Object.fromEntries(phase.gates.map((g) => [g.name, g]))
  const notPassed = phase.gates.filter((g) => g.status !== 'passed').map((g) => g.name)
  return { code: result.code, phase, byName, notPassed }
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`
const SHA256 = 'a'.repeat(64)

describe('builtin:node', () => {
  const healthy = {
    name: 'demo',
    version: '1.0.0',
    description: 'A demo library',
    license: 'MIT',
    repository: 'github:acme/demo',
    engines: { node: '>=20' },
    dependencies: { ky: '^1.0.0' },
  }

  it('passes a published package with its lockfile, and a private app without publishing metadata', async () => {
    for (const lock of ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock']) {
      const { code, notPassed } = await preset('node', { 'package.json': json(healthy), [lock]: '' })
      expect(notPassed, lock).toEqual([])
      expect(code).toBe(0)
    }
    const app = { private: true, engines: { node: '20.x' }, dependencies: { express: '^5.0.0' } }
    expect((await preset('node', { 'package.json': json(app), 'package-lock.json': '{}' })).notPassed).toEqual([])
  })

  it('fails a package with dependencies and no lockfile at its dependencies line', async () => {
    const { byName, notPassed } = await preset('node', { 'package.json': json(healthy) })
    expect(notPassed).toEqual(['lockfile committed'])
    expect(byName['lockfile committed']!.locations).toEqual([
      {
        file: 'package.json',
        line: 10,
        message:
          'dependencies declares dependencies but no lockfile matches {package-lock.json,npm-shrinkwrap.json,yarn.lock,pnpm-lock.yaml,bun.lock,bun.lockb}',
      },
    ])
  })

  it('fails lockfiles of two package managers, and a lockfile that is not the one packageManager names', async () => {
    const two = await preset('node', { 'package.json': json(healthy), 'package-lock.json': '{}', 'yarn.lock': '' })
    expect(two.notPassed).toEqual(['lockfile committed'])
    expect(two.byName['lockfile committed']!.locations).toEqual([
      {
        file: 'package.json',
        line: 1,
        message: 'lockfiles of 2 package managers: package-lock.json, yarn.lock; keep one',
      },
    ])
    const pinned = { ...healthy, packageManager: 'pnpm@9.12.0' }
    const wrong = await preset('node', { 'package.json': json(pinned), 'package-lock.json': '{}' })
    expect(wrong.byName['lockfile committed']!.locations).toEqual([
      {
        file: 'package.json',
        line: 13,
        message: 'packageManager "pnpm@9.12.0" but the lockfile is package-lock.json (pnpm-lock.yaml expected)',
      },
    ])
    expect((await preset('node', { 'package.json': json(pinned), 'pnpm-lock.yaml': '' })).notPassed).toEqual([])
  })

  it('fails missing publishing metadata at line 1, an empty field and a non-SPDX license at their lines', async () => {
    const { byName, notPassed } = await preset('node', {
      'package.json': json({ name: 'demo', description: ' ', license: 'Apache 2.0', engines: { node: '>=20' } }),
    })
    expect(notPassed).toEqual(['package metadata'])
    expect(byName['package metadata']!.locations).toEqual([
      { file: 'package.json', line: 1, message: 'version is missing' },
      { file: 'package.json', line: 3, message: 'description is empty' },
      {
        file: 'package.json',
        line: 4,
        message: 'license "Apache 2.0" is not a valid SPDX expression (e.g. "MIT", "Apache-2.0 OR MIT")',
      },
      { file: 'package.json', line: 1, message: 'repository is missing' },
    ])
  })

  it('fails a package (private or not) that does not declare its Node version, at the engines line', async () => {
    const { byName, notPassed } = await preset('node', {
      'package.json': json({ private: true, engines: { npm: '>=10' } }),
    })
    expect(notPassed).toEqual(['Node version declared'])
    expect(byName['Node version declared']!.locations).toEqual([
      { file: 'package.json', line: 3, message: 'engines.node is missing' },
    ])
  })

  it('does not run on a Python repository', async () => {
    const { code, phase } = await preset('node', { 'pyproject.toml': '[project]\nname = "x"\n' })
    expect(phase).toMatchObject({ status: 'skipped', gates: [] })
    expect(phase.reason).toContain('no package.json found')
    expect(code).toBe(0)
  })
})

describe('builtin:python', () => {
  const pyproject = [
    '[build-system]',
    'requires = ["hatchling"]',
    'build-backend = "hatchling.build"',
    '',
    '[project]',
    'name = "demo"',
    'description = "A demo"',
    'license = "MIT"',
    'requires-python = ">=3.9"',
    'dependencies = ["httpx>=0.27"]',
    '',
  ].join('\n')

  it('passes a pyproject project with a lock, a Poetry 1 project, and pinned requirements', async () => {
    expect((await preset('python', { 'pyproject.toml': pyproject, 'uv.lock': 'version = 1\n' })).notPassed).toEqual([])
    const poetry =
      '[tool.poetry]\nname = "p"\ndescription = "P"\nlicense = "MIT"\n\n[tool.poetry.dependencies]\npython = "^3.10"\nhttpx = "^0.27"\n'
    expect((await preset('python', { 'pyproject.toml': poetry, 'poetry.lock': '' })).notPassed).toEqual([])
    const pinned = await preset('python', {
      'pyproject.toml': pyproject,
      'requirements.txt': '# locked\nhttpx==0.27.0 \\\n    --hash=sha256:abc\n-r base.txt\n',
    })
    expect(pinned.notPassed).toEqual([])
  })

  it('fails a setup.py-only project: its metadata is known only by running it', async () => {
    const { byName, notPassed } = await preset('python', { 'setup.py': 'from setuptools import setup\nsetup()\n' })
    expect(notPassed).toEqual(['pyproject.toml declares the project'])
    expect(byName['pyproject.toml declares the project']!.message).toBe('pyproject.toml does not exist')
  })

  it('fails a missing requires-python at the [project] line', async () => {
    const { byName, notPassed } = await preset('python', {
      'pyproject.toml': pyproject.replace('requires-python = ">=3.9"\n', ''),
      'uv.lock': '',
    })
    expect(notPassed).toEqual(['pyproject.toml declares the project'])
    expect(byName['pyproject.toml declares the project']!.locations).toEqual([
      { file: 'pyproject.toml', line: 5, message: 'project.requires-python is missing' },
    ])
  })

  it('fails a missing description and a non-SPDX license, unless the project is private', async () => {
    const bad = pyproject.replace('description = "A demo"\n', '').replace('"MIT"', '"MIT License"')
    const { byName, notPassed } = await preset('python', { 'pyproject.toml': bad, 'uv.lock': '' })
    expect(notPassed).toEqual(['package metadata'])
    expect(byName['package metadata']!.locations).toEqual([
      { file: 'pyproject.toml', line: 5, message: 'project.description is missing' },
      {
        file: 'pyproject.toml',
        line: 7,
        message: 'project.license "MIT License" is not a valid SPDX expression (e.g. "MIT", "Apache-2.0 OR MIT")',
      },
    ])
    const internal = `${bad}classifiers = ["Private :: Do Not Upload"]\n`
    expect((await preset('python', { 'pyproject.toml': internal, 'uv.lock': '' })).notPassed).toEqual([])
  })

  it('warns about dependencies without a lock, at the dependencies line', async () => {
    const { code, byName, notPassed } = await preset('python', { 'pyproject.toml': pyproject })
    expect(notPassed).toEqual(['dependencies locked'])
    expect(byName['dependencies locked']).toMatchObject({
      status: 'warned',
      locations: [
        {
          file: 'pyproject.toml',
          line: 10,
          message: expect.stringMatching(
            /^project\.dependencies declares dependencies but no lockfile matches \{uv\.lock,/,
          ),
        },
      ],
    })
    expect(code).toBe(0)
  })

  it('warns about a requirement without an == pin, at its line', async () => {
    const { byName, notPassed } = await preset('python', {
      'pyproject.toml': pyproject,
      'requirements-dev.txt': 'pytest==8.3.2\n-e .\nruff>=0.5\n',
    })
    expect(notPassed).toEqual(['requirements pinned'])
    expect(byName['requirements pinned']).toMatchObject({
      status: 'warned',
      locations: [{ file: 'requirements-dev.txt', line: 3 }],
    })
  })

  it('does not run on a Node repository', async () => {
    const { phase } = await preset('python', { 'package.json': json({ name: 'x' }) })
    expect(phase).toMatchObject({ status: 'skipped', gates: [] })
  })
})

describe('builtin:go', () => {
  const goMod = 'module example.com/demo\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n'

  it('passes a module with go.sum, and one without requirements and without go.sum', async () => {
    expect(
      (await preset('go', { 'go.mod': goMod, 'go.sum': 'github.com/google/uuid v1.6.0 h1:x=\n' })).notPassed,
    ).toEqual([])
    expect((await preset('go', { 'go.mod': 'module example.com/tool\n\ngo 1.22\n' })).notPassed).toEqual([])
  })

  it('fails a go.mod without a go directive at line 1, and requirements without go.sum at the require line', async () => {
    const { byName, notPassed } = await preset('go', { 'go.mod': goMod.replace('go 1.22\n', '') })
    expect(notPassed).toEqual(['module and Go version declared', 'go.sum committed'])
    expect(byName['module and Go version declared']!.locations).toEqual([
      { file: 'go.mod', line: 1, message: 'go is missing' },
    ])
    expect(byName['go.sum committed']!.locations).toEqual([
      { file: 'go.mod', line: 4, message: 'require declares dependencies but no lockfile matches go.sum' },
    ])
  })
})

describe('builtin:rust', () => {
  const cargo =
    '[package]\nname = "demo"\nversion = "0.1.0"\ndescription = "A demo"\nlicense = "MIT OR Apache-2.0"\nrust-version = "1.74"\n\n[dependencies]\nserde = "1"\n'

  it('passes a crate with Cargo.lock, and a virtual workspace whose members carry the metadata', async () => {
    expect((await preset('rust', { 'Cargo.toml': cargo, 'Cargo.lock': 'version = 3\n' })).notPassed).toEqual([])
    const workspace = '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n'
    expect((await preset('rust', { 'Cargo.toml': workspace, 'Cargo.lock': '' })).notPassed).toEqual([])
  })

  it('fails a missing rust-version at [package], a bad license at its line, and no Cargo.lock at [dependencies]', async () => {
    const bad = cargo.replace('rust-version = "1.74"\n', '').replace('"MIT OR Apache-2.0"', '"MIT and Apache"')
    const { byName, notPassed } = await preset('rust', { 'Cargo.toml': bad })
    expect(notPassed).toEqual(['crate metadata', 'Cargo.lock committed'])
    expect(byName['crate metadata']!.locations).toEqual([
      {
        file: 'Cargo.toml',
        line: 5,
        message: 'package.license "MIT and Apache" is not a valid SPDX expression (e.g. "MIT", "Apache-2.0 OR MIT")',
      },
      { file: 'Cargo.toml', line: 1, message: 'package.rust-version is missing' },
    ])
    expect(byName['Cargo.lock committed']!.locations).toEqual([
      { file: 'Cargo.toml', line: 7, message: 'dependencies declares dependencies but no lockfile matches Cargo.lock' },
    ])
  })

  it('skips the metadata of a crate that is not published', async () => {
    const internal = '[package]\nname = "tool"\nversion = "0.1.0"\npublish = false\n'
    expect((await preset('rust', { 'Cargo.toml': internal })).notPassed).toEqual([])
  })
})

describe('builtin:java', () => {
  const pom = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<project>',
    '  <modelVersion>4.0.0</modelVersion>',
    '  <groupId>dev.acme</groupId>',
    '  <artifactId>demo</artifactId>',
    '  <version>1.0.0</version>',
    '  <description>A demo</description>',
    '  <url>https://acme.dev/demo</url>',
    '  <licenses><license><name>Apache-2.0</name></license></licenses>',
    '  <scm><url>https://github.com/acme/demo</url></scm>',
    '</project>',
    '',
  ].join('\n')
  const maven = {
    'pom.xml': pom,
    mvnw: '#!/bin/sh\n',
    '.mvn/wrapper/maven-wrapper.properties': `distributionUrl=https://repo.example/maven.zip\ndistributionSha256Sum=${SHA256}\n`,
  }
  const gradle = {
    'build.gradle.kts': 'plugins { java }\n',
    gradlew: '#!/bin/sh\n',
    'gradle/wrapper/gradle-wrapper.properties': `distributionUrl=https\\://services.example/gradle-8.10-bin.zip\ndistributionSha256Sum=${SHA256}\n`,
  }

  it('passes a Maven build and a Gradle build with pinned wrappers', async () => {
    expect((await preset('java', maven)).notPassed).toEqual([])
    expect((await preset('java', gradle)).notPassed).toEqual([])
  })

  it('fails a build without a wrapper', async () => {
    const { byName, notPassed } = await preset('java', { 'build.gradle': 'apply plugin: "java"\n' })
    expect(notPassed).toEqual(['build wrapper committed'])
    expect(byName['build wrapper committed']!.message).toBe(
      'missing: {mvnw,gradlew}, {gradle/wrapper/gradle-wrapper.properties,.mvn/wrapper/maven-wrapper.properties}',
    )
  })

  it('fails a wrapper whose download has no checksum, in its properties file', async () => {
    const { byName, notPassed } = await preset('java', {
      ...gradle,
      'gradle/wrapper/gradle-wrapper.properties': 'distributionUrl=https\\://services.example/gradle-8.10-bin.zip\n',
    })
    expect(notPassed).toEqual(['wrapper download pinned by checksum'])
    expect(byName['wrapper download pinned by checksum']!.locations).toEqual([
      {
        file: 'gradle/wrapper/gradle-wrapper.properties',
        message: '0 matches of /^distributionSha256Sum=[0-9a-fA-F]{64}/m, expected at least 1',
      },
    ])
  })

  it('fails a pom.xml without scm at the <project> line, and an empty description at its line', async () => {
    const bad = pom.replace('  <scm><url>https://github.com/acme/demo</url></scm>\n', '').replace('A demo', '')
    const { byName, notPassed } = await preset('java', { ...maven, 'pom.xml': bad })
    expect(notPassed).toEqual(['Maven project metadata'])
    expect(byName['Maven project metadata']!.locations).toEqual([
      { file: 'pom.xml', line: 7, message: 'description is empty' },
      { file: 'pom.xml', line: 2, message: 'scm is missing' },
    ])
  })

  it('does not run on a Go repository', async () => {
    const { phase } = await preset('java', { 'go.mod': 'module x\n\ngo 1.22\n' })
    expect(phase).toMatchObject({ status: 'skipped', gates: [] })
  })
})
