import { ACTIONS_GATES } from './github-actions.js'
import { FIXES } from './fixes.js'
import type { Preset, PresetGate } from './preset.js'

// A download piped into a shell on one line: `curl … | sh`, `wget -O- … | sudo bash`.
const PIPED_DOWNLOAD = String.raw`\b(?:curl|wget)\b[^|\n]*\|[ \t]*(?:sudo[ \t]+(?:-\S+[ \t]+)*)?(?:\S*/)?(?:ba|z|da|k)?sh\b`
const SAST_ACTIONS: [string, ...string[]] = [
  'github/codeql-action/*',
  'semgrep/semgrep-action',
  'returntocorp/semgrep-action',
  'SonarSource/sonarcloud-github-action',
  'SonarSource/sonarqube-scan-action',
  'snyk/actions/*',
  'securego/gosec',
  'PyCQA/bandit-action',
]
const SAST_COMMANDS = String.raw`\b(?:semgrep (?:ci|scan)|snyk code test|sonar-scanner|gosec|bandit|codeql database)\b`
const PUBLISH_ACTIONS: [string, ...string[]] = [
  'pypa/gh-action-pypi-publish',
  'docker/build-push-action',
  'goreleaser/goreleaser-action',
  'JS-DevTools/npm-publish',
  'rubygems/release-gem',
  'ko-build/setup-ko',
  'changesets/action',
  'softprops/action-gh-release',
  'ncipollo/release-action',
  'svenstaro/upload-release-action',
]
// A package script named for publishing (`pnpm run ci-publish`) and a GitHub release made with `gh` count too.
const PUBLISH_COMMANDS = String.raw`\b(?:(?:npm|pnpm|yarn|bun) (?:run )?[\w:.-]*publish|gh release (?:create|upload)|dotnet nuget push|semantic-release|changeset publish|cargo publish|twine upload|poetry publish|uv publish|gem push|goreleaser release|docker push|mvn\b[^\n]*\bdeploy|gradlew?\b[^\n]*\bpublish)\b`

const GATES = {
  dockerfiles: {
    name: 'Dockerfile base images pinned by digest',
    dockerfile: ['pinned-base', 'remote-scripts'],
    fix: FIXES.dockerDigests,
    hint: 'pin each `FROM` to a digest (`FROM node:20@sha256:…`) and download-then-verify instead of `curl … | sh` in `RUN`',
  },
  scripts: {
    name: 'no downloaded scripts piped into a shell in scripts',
    forbid: { patterns: [PIPED_DOWNLOAD], in: ['**/*.sh', '**/*.bash'] },
    fix: FIXES.remoteScripts,
    hint: 'download to a file, verify its checksum or signature, then run it; or install with a package manager and a lockfile',
  },
  updater: {
    name: 'dependency update tool configured',
    'files-exist': [
      '{.github/dependabot.yml,.github/dependabot.yaml,renovate.json,renovate.json5,.github/renovate.json,.github/renovate.json5,.gitlab/renovate.json,.gitlab/renovate.json5,.renovaterc,.renovaterc.json,.renovaterc.json5,.pyup.yml}',
    ],
    fix: FIXES.dependabot,
    hint: 'add .github/dependabot.yml with an `updates:` entry per ecosystem (built-in template `builtin:dependabot`) or a renovate.json',
  },
  dependabotUpdates: {
    name: 'dependabot updates an ecosystem',
    'file-contains': {
      in: '.github/dependabot.{yml,yaml}',
      regex: String.raw`^\s*-?\s*package-ecosystem:\s*\S`,
      flags: 'm',
      missing_ok: true,
    },
    fix: FIXES.dependabotEcosystems,
    hint: 'list at least one `updates:` entry (`- package-ecosystem: npm`, `directory: /`, `schedule: { interval: weekly }`); include `github-actions` to keep pinned actions current',
  },
  sast: {
    name: 'static analysis runs in CI',
    workflow: { require: { uses: SAST_ACTIONS, run: SAST_COMMANDS } },
    fix: FIXES.sast,
    hint: 'add a workflow that runs CodeQL (`github/codeql-action/init` and `analyze`), Semgrep or another SAST tool on pushes and pull requests; if CodeQL runs through GitHub default setup (no workflow file), waive this gate saying so',
  },
  fuzzing: {
    name: 'fuzz targets present',
    'files-exist': [
      // `**/` stays outside the braces: inside them it needs at least one folder, so a root-level target would not count.
      // A project fuzzed by OSS-Fuzz keeps its targets there; its CIFuzz workflow (named as OSS-Fuzz documents it) is the trace here.
      '**/{.clusterfuzzlite/{Dockerfile,project.yaml},.github/workflows/{cifuzz,cflite_*}.{yml,yaml},fuzz/Cargo.toml,fuzz_test.go,*_fuzz_test.go,fuzz_*.py,*_fuzz.py,*_fuzzer.{py,c,cc,cpp},*Fuzzer.java,*FuzzTest.java,*.fuzz.{js,ts}}',
    ],
    fix: FIXES.fuzzing,
    hint: 'add fuzz targets (Go `func FuzzX(f *testing.F)` in a `fuzz_test.go`, cargo-fuzz `fuzz/`, atheris `fuzz_*.py`, Jazzer `*Fuzzer.java`) and run them with ClusterFuzzLite (`.clusterfuzzlite/`) or OSS-Fuzz (a CIFuzz workflow, `.github/workflows/cifuzz.yml`)',
  },
  ci: {
    name: 'CI runs on pull requests',
    workflow: { require: { trigger: ['pull_request', 'merge_group'] } },
    fix: FIXES.ciWorkflow,
    hint: 'add a workflow with `on: pull_request` (and `merge_group` with a merge queue) that builds and tests every change before it merges',
  },
  packaging: {
    name: 'releases published from CI',
    workflow: { require: { uses: PUBLISH_ACTIONS, run: PUBLISH_COMMANDS } },
    fix: FIXES.publishing,
    hint: 'publish releases from a workflow (`npm publish --provenance`, `pypa/gh-action-pypi-publish`, `docker/build-push-action`, goreleaser) rather than from a laptop',
  },
} satisfies Record<string, PresetGate>

/** Supply chain: OpenSSF Scorecard's checks that can be judged from the repository alone. */
export const SUPPLY_CHAIN_PRESETS: Record<string, Preset> = {
  'dangerous-workflows': {
    name: 'Dangerous workflows',
    category: 'supply-chain',
    tags: ['scorecard', 'github-actions', 'security', 'workflows'],
    description:
      "Scorecard's Dangerous-Workflow check: a `pull_request_target` or `workflow_run` workflow runs with the base repository's secrets and write token, so checking out the pull request's head there runs an outsider's code with them; an issue title or branch name expanded with `${{ … }}` inside a script is shell code the outsider wrote. wf checks the same two patterns in the parsed workflows, also in `actions/github-script` scripts, and reports each at the line of the `ref:` or the expression.",
    gates: [ACTIONS_GATES.triggers, ACTIONS_GATES.injection],
  },
  'token-permissions': {
    name: 'Token permissions',
    category: 'supply-chain',
    tags: ['scorecard', 'github-actions', 'security', 'least-privilege'],
    description:
      "Scorecard's Token-Permissions check: the GITHUB_TOKEN's default scopes may include write access to code, packages and releases, so each workflow should ask for what it needs. wf fails undeclared permissions, `write-all` anywhere and write scopes at the top level; unlike Scorecard it passes workflows that declare permissions on every job but not at the top, and passes write scopes on a job without lowering any score.",
    gates: [ACTIONS_GATES.permissions],
  },
  'pinned-dependencies': {
    name: 'Pinned dependencies',
    category: 'supply-chain',
    tags: ['scorecard', 'github-actions', 'containers', 'pinning', 'security'],
    description:
      "Scorecard's Pinned-Dependencies check: a tag or branch can be moved to code nobody reviewed, and a script downloaded and piped into a shell can change between runs. wf checks actions and reusable workflows (commit SHA), `docker://` steps and Dockerfile `FROM` lines (digest), and `curl … | sh` in workflows, Dockerfiles and shell scripts; unlike Scorecard it does not judge package-manager installs inside scripts (`pip install`, `npm install`): the ecosystem presets check committed lockfiles instead.",
    gates: [ACTIONS_GATES.pinned, GATES.dockerfiles, ACTIONS_GATES.remote, GATES.scripts],
  },
  'dependency-updates': {
    name: 'Dependency updates',
    category: 'supply-chain',
    tags: ['scorecard', 'dependencies', 'dependabot', 'renovate'],
    description:
      "Scorecard's Dependency-Update-Tool check: pinned dependencies are only safe when a bot proposes their updates, including security fixes. wf looks for a Dependabot or Renovate (or PyUp) configuration and that a Dependabot file names at least one ecosystem; Scorecard also counts update pull requests it sees online, which wf does not.",
    gates: [GATES.updater, GATES.dependabotUpdates],
  },
  sast: {
    name: 'Static analysis',
    category: 'supply-chain',
    tags: ['scorecard', 'sast', 'codeql', 'security'],
    description:
      "Scorecard's SAST check: static analysis finds injection and memory bugs before release. Scorecard reads the check runs of recent pull requests online; wf checks offline that some workflow runs a SAST tool (CodeQL, Semgrep, SonarCloud, Snyk Code, gosec, Bandit), so CodeQL enabled through GitHub's default setup, which leaves no file in the repository, is not seen.",
    gates: [GATES.sast],
  },
  fuzzing: {
    name: 'Fuzzing',
    category: 'supply-chain',
    tags: ['scorecard', 'fuzzing', 'testing', 'security'],
    description:
      "Scorecard's Fuzzing check: fuzzing finds the crashes and parser bugs that example-based tests miss. Scorecard asks OSS-Fuzz online and reads source for fuzz functions; wf checks offline for ClusterFuzzLite configuration, a CIFuzz or ClusterFuzzLite workflow (`.github/workflows/cifuzz.yml`, `cflite_*.yml`: OSS-Fuzz keeps such a project's targets in its own repository) and fuzz targets by their conventional names (Go `fuzz_test.go`, cargo-fuzz `fuzz/`, atheris `fuzz_*.py`, Jazzer `*Fuzzer.java`), so a Go `func Fuzz…` inside another test file is not seen.",
    gates: [GATES.fuzzing],
  },
  'ci-tests': {
    name: 'CI tests',
    category: 'supply-chain',
    tags: ['scorecard', 'ci', 'testing', 'github-actions'],
    description:
      "Scorecard's CI-Tests check: changes should be built and tested before they merge. Scorecard reads the checks of recently merged pull requests online, from any CI system; wf checks offline that some GitHub Actions workflow runs on `pull_request` or `merge_group` (`pull_request_target` does not count: it must not build the change).",
    gates: [GATES.ci],
  },
  packaging: {
    name: 'Packaging',
    category: 'supply-chain',
    tags: ['scorecard', 'release', 'publishing', 'github-actions'],
    description:
      "Scorecard's Packaging check: releases built and published by CI are reproducible and traceable to a commit, unlike uploads from a laptop. Like Scorecard wf looks for a publishing workflow (npm, PyPI, container images, goreleaser, crates, gems, Maven, NuGet, a package script named for publishing, a GitHub release made by `gh` or a release action); unlike Scorecard it does not ask GitHub whether that workflow succeeded.",
    gates: [GATES.packaging],
  },
  scorecard: {
    name: 'OpenSSF Scorecard (offline)',
    category: 'supply-chain',
    tags: ['scorecard', 'security', 'github-actions', 'supply-chain'],
    description:
      "All of wf's offline Scorecard checks in one phase: Dangerous-Workflow, Token-Permissions, Pinned-Dependencies, Dependency-Update-Tool, SAST, Fuzzing, CI-Tests and Packaging, judged as the presets of the same names describe. Binary-Artifacts, License and Security-Policy are in `builtin:binary-artifacts`, `builtin:licensing` and `builtin:security-policy`; checks that need GitHub's API (Branch-Protection, Code-Review, Maintained, Signed-Releases) are not offline checks.",
    gates: [
      ACTIONS_GATES.triggers,
      ACTIONS_GATES.injection,
      ACTIONS_GATES.permissions,
      ACTIONS_GATES.pinned,
      GATES.dockerfiles,
      ACTIONS_GATES.remote,
      GATES.scripts,
      GATES.updater,
      GATES.dependabotUpdates,
      GATES.sast,
      GATES.fuzzing,
      GATES.ci,
      GATES.packaging,
    ],
  },
}
