import { FIXES } from './fixes.js'
import type { Preset } from './preset.js'

const NODE_LOCKFILES = '{package-lock.json,npm-shrinkwrap.json,yarn.lock,pnpm-lock.yaml,bun.lock,bun.lockb}'
const PYTHON_LOCKS = '{uv.lock,poetry.lock,pdm.lock,Pipfile.lock,pylock.toml,pylock.*.toml,requirements*.txt}'
// A requirement line naming a package with no `==` pin (a range, or nothing): `requests`, `flask>=2`, `attrs[tests] ~= 23.1`.
// Options (`-r`, `-e`), URLs and `name @ url` lines are not requirements by name and are left alone.
const UNPINNED_REQUIREMENT = String.raw`^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]\n]*\])?[ \t]*(?:>=|<=|~=|!=|>|<|;|#|$)`
const WRAPPER_PROPERTIES = '{gradle/wrapper/gradle-wrapper.properties,.mvn/wrapper/maven-wrapper.properties}'

/** One preset per language ecosystem, each applying only where the repository root shows that language. */
export const ECOSYSTEMS_PRESETS: Record<string, Preset> = {
  node: {
    name: 'Node.js package',
    category: 'ecosystem',
    tags: ['node', 'javascript', 'npm', 'lockfile', 'package-metadata', 'supply-chain'],
    when: { language: 'node' },
    description:
      "A committed lockfile makes every install resolve the same dependency tree (and `npm ci` refuses to run without one); it must be one package manager's, the one `packageManager` names when it names one. package.json metadata is what the registry, `npm audit` and license scanners read. Repolinter's javascript-package-metadata-exists only checks that package.json exists; wf reads its fields. Publishing metadata (version, description, license, repository) is skipped for `\"private\": true` packages, which are never published; the lockfile and `engines.node` are asked of every package, since CI and contributors need the same tree and the same Node. A `packageManager` field is not required: Corepack, which reads it, is not shipped with every Node release. Scorecard's Pinned-Dependencies looks at install commands in CI instead (`npm ci` vs `npm install`); the supply-chain presets cover that.",
    gates: [
      {
        name: 'lockfile committed',
        manifest: { file: 'package.json', lockfile: NODE_LOCKFILES },
        fix: FIXES.lockfile,
        hint: 'run your package manager once (`npm install`, `pnpm install`, `yarn`, `bun install`) and commit the lockfile it writes (remove it from .gitignore if it is listed there); delete the lockfiles of other managers',
      },
      {
        name: 'package metadata',
        manifest: {
          file: 'package.json',
          require: ['name', 'version', 'description', 'license', 'repository'],
          published_only: true,
          missing_ok: true,
        },
        fix: FIXES.manifestFacts,
        hint: 'fill in name, version, description, an SPDX `license` (e.g. "MIT") and `repository` in package.json; set `"private": true` if the package is never published',
      },
      {
        name: 'Node version declared',
        manifest: { file: 'package.json', require: ['engines.node'], missing_ok: true },
        fix: FIXES.nodeVersion,
        hint: 'add `"engines": { "node": ">=20" }` to package.json with the oldest Node version you test on',
      },
    ],
  },
  python: {
    name: 'Python project',
    category: 'ecosystem',
    tags: ['python', 'pyproject', 'lockfile', 'package-metadata', 'supply-chain'],
    when: { language: 'python' },
    description:
      "pyproject.toml's `[project]` table (PEP 621) is the one place every build backend and tool reads a project's name, supported Python and metadata; a project declared only in setup.py or requirements.txt fails here, since that metadata is known only by running code. Poetry 1's `[tool.poetry]` table is read too. `license` must be an SPDX expression (PEP 639); the older `{ file = … }` / `{ text = … }` table is accepted. Description and license are skipped for projects with the `Private :: Do Not Upload` classifier. A lock (uv.lock, poetry.lock, pdm.lock, Pipfile.lock, pylock.toml) or `==`-pinned requirements files are only warned about: libraries published to PyPI are often tested against ranges on purpose. Repolinter's python-package-metadata-exists only checks that setup.py or requirements.txt exists; Scorecard's Pinned-Dependencies looks at `pip install` in CI instead.",
    gates: [
      {
        name: 'pyproject.toml declares the project',
        manifest: { file: 'pyproject.toml', require: ['project.name', 'project.requires-python'] },
        fix: FIXES.pythonProject,
        hint: 'declare the project in pyproject.toml: a `[project]` table with `name` and `requires-python = ">=3.9"` (setuptools, hatchling, flit, pdm and uv all read it)',
      },
      {
        name: 'package metadata',
        manifest: {
          file: 'pyproject.toml',
          require: ['project.description', 'project.license'],
          published_only: true,
          missing_ok: true,
        },
        fix: FIXES.manifestFacts,
        hint: 'add `description` and an SPDX `license = "MIT"` to `[project]` in pyproject.toml',
      },
      {
        name: 'dependencies locked',
        severity: 'warning',
        manifest: { file: 'pyproject.toml', lockfile: PYTHON_LOCKS, missing_ok: true },
        fix: FIXES.lockfile,
        hint: 'commit a lock of the dependency tree (`uv lock`, `poetry lock`, `pdm lock`) or a requirements.txt with `==` pins (`pip-compile`)',
      },
      {
        name: 'requirements pinned',
        severity: 'warning',
        'file-contains': {
          in: 'requirements*.txt',
          regex: UNPINNED_REQUIREMENT,
          flags: 'm',
          count: 0,
          missing_ok: true,
        },
        fix: FIXES.requirementsPins,
        hint: 'pin each requirement with `==` (generate the file with `pip-compile` or `uv pip compile`), or keep ranges in pyproject.toml and lock them',
      },
    ],
  },
  go: {
    name: 'Go module',
    category: 'ecosystem',
    tags: ['go', 'golang', 'go-mod', 'lockfile', 'supply-chain'],
    when: { language: 'go' },
    description:
      'go.mod names the module and, with its `go` directive, the minimum Go version (a requirement since Go 1.21); go.sum holds the checksums that make the go command refuse a dependency whose content changed, so it is needed as soon as go.mod requires a module (a module with no requirements has none). Scorecard does not check go.sum; its Pinned-Dependencies flags `go install` without a version in CI.',
    gates: [
      {
        name: 'module and Go version declared',
        manifest: { file: 'go.mod', require: ['module', 'go'] },
        fix: FIXES.goModule,
        hint: 'run `go mod init MODULE` and keep the `go 1.22` directive it writes (or `go mod edit -go=1.22`)',
      },
      {
        name: 'go.sum committed',
        manifest: { file: 'go.mod', lockfile: 'go.sum', missing_ok: true },
        fix: FIXES.goSum,
        hint: 'run `go mod tidy` and commit go.sum',
      },
    ],
  },
  rust: {
    name: 'Rust crate',
    category: 'ecosystem',
    tags: ['rust', 'cargo', 'lockfile', 'package-metadata', 'msrv', 'supply-chain'],
    when: { language: 'rust' },
    description:
      'crates.io shows `description` and `license` (an SPDX expression; `license-file` for others), and `rust-version` lets Cargo pick dependency versions that build on the oldest supported compiler. Values inherited from `[workspace.package]` count; a virtual workspace manifest and crates with `publish = false` skip the metadata. Cargo.lock is asked of every crate with dependencies, libraries too: since 2023 the Cargo team suggests committing it as the starting point (`cargo new` no longer ignores it), so CI and bisecting build the same tree. Scorecard has no Rust lockfile check.',
    gates: [
      {
        name: 'crate metadata',
        manifest: {
          file: 'Cargo.toml',
          require: ['package.description', 'package.license', 'package.rust-version'],
          published_only: true,
        },
        fix: FIXES.manifestFacts,
        hint: 'add `description`, an SPDX `license = "MIT OR Apache-2.0"` and `rust-version = "1.74"` to `[package]` in Cargo.toml (or to `[workspace.package]` with `license.workspace = true`)',
      },
      {
        name: 'Cargo.lock committed',
        manifest: { file: 'Cargo.toml', lockfile: 'Cargo.lock', missing_ok: true },
        fix: FIXES.cargoLock,
        hint: 'run `cargo generate-lockfile` (or any build) and commit Cargo.lock; remove it from .gitignore if it is listed there',
      },
    ],
  },
  java: {
    name: 'Java build (Maven or Gradle)',
    category: 'ecosystem',
    tags: ['java', 'maven', 'gradle', 'wrapper', 'package-metadata', 'supply-chain'],
    when: { language: 'java' },
    description:
      "A committed build wrapper (`mvnw` or `gradlew` with its properties) makes every build use the same Maven or Gradle, and `distributionSha256Sum` in its properties makes the wrapper refuse a tampered download: a real supply-chain pin, which wf requires where Scorecard does not (Scorecard only accepts validated gradle-wrapper.jar files under Binary-Artifacts). pom.xml needs what Maven Central asks of a published artifact: description, url, licenses and scm; wf reads this pom only, so values inherited from a parent POM are not seen (waive the gate then). Gradle build scripts are code and are not read. Repolinter's java-package-metadata-exists only checks that a build file exists.",
    gates: [
      {
        name: 'build wrapper committed',
        'files-exist': ['{mvnw,gradlew}', WRAPPER_PROPERTIES],
        fix: FIXES.buildWrapper,
        hint: 'generate the wrapper (`mvn wrapper:wrapper` or `gradle wrapper`) and commit mvnw/gradlew with its .mvn/wrapper or gradle/wrapper folder',
      },
      {
        name: 'wrapper download pinned by checksum',
        'file-contains': {
          in: WRAPPER_PROPERTIES,
          regex: '^distributionSha256Sum=[0-9a-fA-F]{64}',
          flags: 'm',
          missing_ok: true,
        },
        fix: FIXES.wrapperChecksum,
        hint: 'add `distributionSha256Sum=<sha256>` to the wrapper properties (the checksum published beside the distribution; `gradle wrapper --gradle-distribution-sha256-sum SUM`)',
      },
      {
        name: 'Maven project metadata',
        manifest: { file: 'pom.xml', require: ['description', 'url', 'licenses', 'scm'], missing_ok: true },
        fix: FIXES.manifestFacts,
        hint: 'add <description>, <url>, <licenses> and <scm> to pom.xml (what Maven Central requires of a published artifact)',
      },
    ],
  },
}
