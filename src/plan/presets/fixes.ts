import type { Fix } from '../plan.generated.js'

const GH_PIN = '`gh api repos/OWNER/REPO/commits/TAG --jq .sha`'

/** The fixes the presets share: templates and edits where the remedy is known offline, and otherwise why not and what to do by hand. */
export const FIXES = {
  // --- fixed offline ---
  securityPolicy: {
    template: 'builtin:security-policy',
    to: 'SECURITY.md',
    description:
      "write SECURITY.md from `builtin:security-policy` (reports go to GitHub's private vulnerability reporting when the remote is on GitHub; set `contact` in the plan's vars for an email address)",
  },
  contributing: {
    template: 'builtin:contributing',
    to: 'CONTRIBUTING.md',
    description:
      'write CONTRIBUTING.md from `builtin:contributing` (its commands default to `npm ci` and `npm test`: set `setup_command` and `test_command` in the plan vars for other tools)',
  },
  codeOfConduct: {
    template: 'builtin:code-of-conduct',
    to: 'CODE_OF_CONDUCT.md',
    description:
      'write CODE_OF_CONDUCT.md from `builtin:code-of-conduct` (the Contributor Covenant 2.1; set `contact` in the plan vars for a reporting address)',
  },
  changelog: {
    template: 'builtin:changelog',
    to: 'CHANGELOG.md',
    description: 'write CHANGELOG.md from `builtin:changelog` (Keep a Changelog, with an empty Unreleased section)',
  },
  support: {
    template: 'builtin:support',
    to: 'SUPPORT.md',
    description:
      'write SUPPORT.md from `builtin:support`: questions go to the issue tracker, vulnerabilities to SECURITY.md',
  },
  issueTemplate: {
    template: 'builtin:bug-report',
    to: '.github/ISSUE_TEMPLATE/bug_report.yml',
    description:
      'write a bug report issue form from `builtin:bug-report` (`builtin:feature-request` is the other form)',
  },
  pullRequestTemplate: {
    template: 'builtin:pull-request-template',
    to: '.github/pull_request_template.md',
    description: 'write .github/pull_request_template.md from `builtin:pull-request-template`',
  },
  ciWorkflow: {
    template: 'builtin:ci-workflow',
    to: '.github/workflows/wf.yml',
    description:
      "write .github/workflows/wf.yml from `builtin:ci-workflow`: it runs the repository's wf plan on pull requests, with pinned actions and read-only permissions (wf must be a devDependency)",
  },
  dependabot: {
    template: 'builtin:dependabot',
    to: '.github/dependabot.yml',
    vars: { ecosystems: ['github-actions'] },
    description:
      "write .github/dependabot.yml from `builtin:dependabot`, updating the workflows' actions weekly; add an `updates:` entry per package ecosystem the project uses",
  },
  workflowPermissions: {
    edit: { kind: 'workflow-permissions' },
    description:
      'add `permissions: { contents: read }` at the top of each workflow that declares permissions neither there nor on every job (jobs keep their own)',
  },
  dockerignore: {
    edit: { kind: 'append-lines', file: '.dockerignore', lines: ['.git', '.env', '.env.*', 'node_modules'] },
    description:
      'write a .dockerignore at the repository root leaving out .git, .env files and node_modules (a build context elsewhere needs its own)',
  },

  // --- not fixable offline ---
  licenseChoice: {
    manual:
      "the license is the owners' choice and the copyright holder is theirs to name: render one, e.g. `wf generate template builtin:license-mit --var holder='NAME'` (or `builtin:license-apache-2.0`)",
  },
  licenseText: {
    manual:
      'wf cannot tell which license was meant: replace the text with the unchanged text of a standard license (https://spdx.org/licenses/), or add an `SPDX-License-Identifier: <id>` line',
  },
  licensePlaceholder: {
    manual: 'the year and copyright holder are not known to wf: replace the placeholders on the copyright line by hand',
  },
  vendoredLicense: {
    manual:
      'the license comes from the upstream project: copy its LICENSE (or COPYING) file, unchanged, into the vendored folder',
  },
  licenseHeaders: {
    manual:
      'comment syntax differs by language and the license is the owners\' choice: add the headers with the REUSE tool (`reuse annotate --license MIT --copyright "NAME" FILES`), or give your own phase a `prepend-header` edit for one language',
  },
  notice: {
    manual:
      'the copyright holder and the attributions of bundled work are not known to wf: write NOTICE by hand (`Copyright <year> <holder>` and one paragraph per bundled work)',
  },
  readme: {
    manual: 'what the project is and how to use it are for its authors to write: add or extend the README by hand',
  },
  codeowners: {
    manual:
      "who reviews which paths is the maintainers' decision (wf does not guess owners): `wf generate template builtin:codeowners --var owners=@ORG/TEAM`",
  },
  codeownersLines: {
    manual: 'wf cannot tell what a malformed line meant: make each listed line a path pattern followed by owners',
  },
  codeOfConductContact: {
    manual:
      "a reporting address is not known to wf: add one to the code of conduct by hand, or set `contact` in the plan's vars and render `builtin:code-of-conduct` again",
  },
  securityContact: {
    manual:
      'a private reporting address is not known to wf: name a security email in SECURITY.md, or enable GitHub private vulnerability reporting and link https://github.com/OWNER/REPO/security/advisories/new (`builtin:security-policy` does so when the remote is on GitHub)',
  },
  securityDisclosure: {
    manual:
      "how reports are handled is the maintainers' promise: say by hand what to include, how fast you answer and when fixes are published (`builtin:security-policy` has such text)",
  },
  pinnedActions: {
    manual: `the commit a tag points to needs a network lookup: for each \`uses: OWNER/REPO@TAG\` run ${GH_PIN} and write \`uses: OWNER/REPO@<sha> # TAG\`; for a \`docker://\` image, \`docker buildx imagetools inspect IMAGE:TAG\` prints its digest`,
  },
  dockerDigests: {
    manual:
      'a digest needs a registry lookup (network): `docker buildx imagetools inspect IMAGE:TAG` prints it; write `FROM IMAGE:TAG@sha256:<digest>`, and download-then-verify instead of piping a script into a shell',
  },
  baseImageTag: {
    manual: "which version of the base image to build on is the maintainers' choice: name an explicit tag by hand",
  },
  rootUser: {
    manual:
      'which user the image can run as depends on what it does (file ownership, ports): add the user and `USER` by hand',
  },
  dangerousTriggers: {
    manual:
      'which code a privileged workflow may run is a design decision: move the build of untrusted code to a `pull_request` workflow by hand',
  },
  scriptInjection: {
    manual:
      'rewriting a workflow\'s scripts is left to their authors: move each listed expression to the step\'s `env:` and use the variable (`"$TITLE"`) in the script',
  },
  remoteScripts: {
    manual:
      'the checksum of a downloaded script needs the network and a person to vouch for it: download to a file, check its published checksum, then run it',
  },
  secrets: {
    manual:
      'a committed credential must be revoked where it was issued and removed from history (`git filter-repo`), which wf cannot do: delete it, revoke it, and load it from a secret store',
  },
  binaries: {
    manual: 'only the authors know how a binary is built: delete it and build it from source in CI',
  },
  largeFiles: {
    manual:
      'moving a file out of history (`git filter-repo`) or into Git LFS rewrites commits: do it by hand, or publish the file as a release asset',
  },
  conflictMarkers: {
    manual: 'finishing a merge needs a person to choose between the two sides: resolve each conflict by hand',
  },
  tests: {
    manual: 'tests are code the authors write: add a test folder or test files beside the code',
  },
  brokenLinks: {
    manual: 'which target a broken link meant is for its author to say: fix or remove each listed link by hand',
  },
  changelogVersion: {
    manual: "a release's changelog entry is written by its authors: add an entry for the manifest's version by hand",
  },
  dependabotEcosystems: {
    manual:
      "the ecosystems to update are the maintainers' choice: add an `updates:` entry per ecosystem to .github/dependabot.yml (`builtin:dependabot` writes one)",
  },
  sast: {
    manual:
      "the analyser and the languages to scan are the maintainers' choice, and pinning its actions needs the network: enable CodeQL default setup in the repository's settings (then waive this gate) or add a CodeQL or Semgrep workflow",
  },
  fuzzing: {
    manual: 'fuzz targets are code the authors write: add them and run them with ClusterFuzzLite or OSS-Fuzz',
  },
  publishing: {
    manual:
      "how and where releases are published (and with which credentials) is the maintainers' decision: add a release workflow by hand",
  },
  lockfile: {
    manual:
      'a lockfile is resolved from the package registry (network): run the package manager once and commit the lockfile it writes',
  },
  manifestFacts: {
    manual:
      "a package's name, description, license, repository URL and supported versions are the owners' facts (wf does not guess them): fill in what the check lists, by hand",
  },
  manifestSyntax: {
    manual: 'wf cannot tell what a manifest that does not parse meant: fix its syntax by hand',
  },
  nodeVersion: {
    manual:
      "the oldest Node.js version the project supports is the maintainers' choice: add `engines.node` to package.json by hand",
  },
  pythonProject: {
    manual:
      "the project's name and oldest supported Python are the maintainers' facts: declare them in `[project]` of pyproject.toml by hand",
  },
  requirementsPins: {
    manual:
      'the version to pin needs the package index (network): regenerate the file with `pip-compile` or `uv pip compile`',
  },
  goModule: {
    manual: "the module path is the owners' choice: run `go mod init MODULE` (it writes the `go` directive)",
  },
  goSum: {
    manual: '`go mod tidy` downloads the modules to checksum them (network): run it and commit go.sum',
  },
  cargoLock: {
    manual: '`cargo generate-lockfile` resolves versions from crates.io (network): run it and commit Cargo.lock',
  },
  buildWrapper: {
    manual:
      'the wrapper is downloaded (network): run `mvn wrapper:wrapper` or `gradle wrapper` and commit what it writes',
  },
  wrapperChecksum: {
    manual:
      'the checksum is published beside the distribution (network): add `distributionSha256Sum=<sha256>` to the wrapper properties',
  },
} satisfies Record<string, Fix>
