import { FIXES } from './fixes.js'
import type { Fix } from '../plan.generated.js'
import type { Preset } from './preset.js'

// Names match in any case (`license`, `.github/security.md`): file gates ignore case for well-known governance files.
// LICENSE-MIT and LICENSE-APACHE side by side are how many dual-licensed projects ship.
const LICENSES = '{LICENSE,LICENCE,COPYING}{,.md,.txt,-*}'
const CODEOWNERS = '{CODEOWNERS,.github/CODEOWNERS,docs/CODEOWNERS}'
// A CODEOWNERS line that is neither blank, a comment, nor `pattern owner…` with @user, @org/team or an email.
const BAD_CODEOWNERS_LINE = String.raw`^(?![ \t]*(?:#.*)?$)(?![ \t]*\S+(?:[ \t]+(?:@[\w.-]+(?:/[\w.-]+)?|[^@\s]+@[^@\s]+))+[ \t]*(?:#.*)?$).+$`
const LICENSE_TEXTS = String.raw`SPDX-License-Identifier:|MIT License|Permission is hereby granted, free of charge|Apache License[\s\S]{0,40}Version 2\.0|GNU (?:AFFERO |LESSER )?GENERAL PUBLIC LICENSE|Mozilla Public License|BSD [0-9]-Clause|Redistribution and use in source and binary forms|ISC License|The Unlicense|This is free and unencumbered software|[Dd]ual[- ]licen[cs]ed under`

/** Regexes of these presets that need lookahead (see BUILTIN_REGEXES). */
export const COMMUNITY_REGEXES: readonly string[] = [BAD_CODEOWNERS_LINE]

// CONDUCT.md is how some projects name theirs (Repolinter misses it).
const COC = '{,docs/,.github/}{CODEOFCONDUCT*,CODE-OF-CONDUCT*,CODE_OF_CONDUCT*,CONDUCT.md}'
// Repolinter looks for `test*` and `specs` directories; Go keeps tests beside the code and JavaScript often in `__tests__`.
// `**/` stays outside the braces: inside them it needs at least one folder, so root-level tests would not count.
const TESTS = '**/{{test*,spec,specs,__tests__}/**,*_test.go,*.{test,spec}.*,test_*.py}'
const CI_CONFIGS =
  '{.github/workflows/*.{yml,yaml},.gitlab-ci.yml,.travis.yml,appveyor.yml,.appveyor.yml,circle.yml,.circleci/config.yml,Jenkinsfile,.drone.yml,azure-pipelines.yml,bitbucket-pipelines.yml,.buildkite/pipeline.yml}'
// No `m` flag: `^` is the start of the file, so the header must sit in its first five lines.
const LICENSE_HEADER = String.raw`^(?:[^\n]*\n){0,4}[^\n]*(?:SPDX-License-Identifier:|Copyright|Licen[cs]ed under)`
const JS_SOURCES = '**/*.{js,mjs,cjs}'
const NOT_OWN_JS: [string, ...string[]] = ['node_modules/**', '**/*.min.js', '**/*.generated.*', '**/fixtures/**']
// The license is the plan's to name (`vars: { license: MIT }`): wf does not guess it.
const JS_HEADER_FIX: Fix = {
  edit: {
    kind: 'prepend-header',
    in: JS_SOURCES,
    exclude: NOT_OWN_JS,
    text: '// SPDX-License-Identifier: {{ license }}\n',
    present: LICENSE_HEADER,
  },
  description:
    "put `// SPDX-License-Identifier: <license>` at the top of each JavaScript file without a header (after a shebang); the license comes from the plan's `vars: { license: … }`",
}

const COMMUNITY_HEALTH: Preset = {
  name: 'Community health (Repolinter default ruleset)',
  category: 'community',
  tags: ['repolinter', 'community', 'readme', 'license', 'contributing', 'code-of-conduct', 'templates'],
  description:
    "Repolinter's default ruleset, rule for rule, with its levels: the files that tell a newcomer what the project is, how to use, report and contribute, and under which terms. wf judges differently where Repolinter misses real layouts: names match in any case everywhere (Repolinter wants SECURITY.md in capitals), a Go `*_test.go`, a `__tests__` folder or a `*.test.*` file counts as tests, GitHub Actions and other CI systems count as CI, binaries are found by content rather than only by `.exe`/`.dll` (the Gradle wrapper jar is allowed), a CHANGES, HISTORY, NEWS or RELEASES file is a changelog, a CONDUCT.md is a code of conduct, a source header may be an `SPDX-License-Identifier:` line, and the per-language package-metadata rules read the manifest present instead of asking for one where a language is seen (wf sees a language by its manifest): package.json must name the package, pyproject.toml and pom.xml must parse; Gemfile, Podfile, Package.swift, rebar.config and mix.exs are not read. Repolinter's rule that an Apache-2.0 project carries a NOTICE file is left to the licensing presets.",
  gates: [
    {
      name: 'license file exists',
      'files-exist': { paths: '{LICENSE,LICENCE,COPYING}*', nocase: true },
      fix: FIXES.licenseChoice,
      hint: 'add a LICENSE file at the repository root (built-in templates `builtin:license-mit`, `builtin:license-apache-2.0`)',
    },
    {
      name: 'readme file exists',
      'files-exist': { paths: 'README*', nocase: true },
      fix: FIXES.readme,
      hint: 'add a README.md at the repository root saying what the project is and how to use it',
    },
    {
      name: 'contributing file exists',
      'files-exist': { paths: '{,docs/,.github/}CONTRIB*', nocase: true },
      fix: FIXES.contributing,
      hint: 'add CONTRIBUTING.md saying how to build, test and propose changes (built-in template `builtin:contributing`)',
    },
    {
      name: 'code of conduct file exists',
      'files-exist': { paths: COC, nocase: true },
      fix: FIXES.codeOfConduct,
      hint: 'add CODE_OF_CONDUCT.md (for example the Contributor Covenant) with a contact for reports',
    },
    {
      name: 'changelog file exists',
      'files-exist': { paths: '{CHANGELOG,CHANGES,HISTORY,NEWS,RELEASES}*', nocase: true },
      fix: FIXES.changelog,
      hint: 'add CHANGELOG.md listing the notable changes of each release',
    },
    {
      name: 'security file exists',
      'files-exist': { paths: '{,docs/,.github/}SECURITY.md', nocase: true },
      fix: FIXES.securityPolicy,
      hint: 'add SECURITY.md saying how to report a vulnerability privately (built-in template `builtin:security-policy`)',
    },
    {
      name: 'support file exists',
      severity: 'warning',
      'files-exist': { paths: '{,docs/,.github/}SUPPORT*', nocase: true },
      fix: FIXES.support,
      hint: 'add SUPPORT.md saying where users ask questions and get help',
    },
    {
      name: 'readme references license',
      'file-contains': { in: 'README*', nocase: true, regex: 'licen[cs]e', flags: 'i', missing_ok: true },
      fix: FIXES.readme,
      hint: 'add a "License" section to the README naming the license and pointing at the LICENSE file',
    },
    {
      name: 'binaries not present',
      // Repolinter looks only for .exe and .dll; the Gradle wrapper jar is allowed as in builtin:binary-artifacts.
      binaries: { exclude: 'node_modules/**', allow: '**/gradle/wrapper/gradle-wrapper.jar' },
      fix: FIXES.binaries,
      hint: 'remove the committed binary and build it from source in CI; publish builds as release assets',
    },
    {
      name: 'test directory exists',
      'files-exist': { paths: TESTS, nocase: true },
      fix: FIXES.tests,
      hint: 'add tests (a test/ or tests/ directory, or test files beside the code) so changes can be verified',
    },
    {
      name: 'integrates with CI',
      'files-exist': CI_CONFIGS,
      fix: FIXES.ciWorkflow,
      hint: 'add a CI configuration that builds and tests every change, e.g. a workflow in .github/workflows/ (`wf ci github` writes one)',
    },
    {
      name: 'code of conduct contains an email',
      severity: 'warning',
      'file-contains': { in: COC, nocase: true, regex: String.raw`[^@\s]+@[^@\s]+\.[^@\s]+`, missing_ok: true },
      fix: FIXES.codeOfConductContact,
      hint: 'name an email address in the code of conduct where people can report unacceptable behaviour',
    },
    {
      name: 'source license headers exist',
      severity: 'warning',
      'file-contains': {
        in: JS_SOURCES,
        exclude: NOT_OWN_JS,
        regex: LICENSE_HEADER,
        flags: 'i',
        missing_ok: true,
      },
      fix: JS_HEADER_FIX,
      hint: 'start each source file with a license header within its first five lines, e.g. `// SPDX-License-Identifier: MIT` or a Copyright line',
    },
    {
      name: 'issue template exists',
      severity: 'warning',
      'files-exist': { paths: '{,docs/,.github/}ISSUE_TEMPLATE{*,/**}', nocase: true },
      fix: FIXES.issueTemplate,
      hint: 'add .github/ISSUE_TEMPLATE/ with a bug report and a feature request form',
    },
    {
      name: 'pull request template exists',
      severity: 'warning',
      'files-exist': { paths: '{,docs/,.github/}PULL_REQUEST_TEMPLATE{*,/**}', nocase: true },
      fix: FIXES.pullRequestTemplate,
      hint: 'add .github/PULL_REQUEST_TEMPLATE.md listing what a change must include (tests, changelog entry)',
    },
    {
      name: 'license detectable',
      license: true,
      fix: FIXES.licenseText,
      hint: 'use the unchanged text of a standard license (or add an `SPDX-License-Identifier:` line) so tools can identify it',
    },
    {
      name: 'javascript package metadata exists',
      manifest: { file: 'package.json', require: ['name'], missing_ok: true },
      fix: FIXES.manifestFacts,
      hint: 'give package.json a `name` (and a description, license and repository)',
    },
    {
      name: 'python package metadata exists',
      // No required key: Poetry before 2.0 names the package under [tool.poetry], not [project].
      manifest: { file: 'pyproject.toml', missing_ok: true },
      fix: FIXES.manifestSyntax,
      hint: 'make pyproject.toml valid TOML with the package name, description and license',
    },
    {
      name: 'java package metadata exists',
      manifest: { file: 'pom.xml', missing_ok: true },
      fix: FIXES.manifestSyntax,
      hint: 'make pom.xml well-formed, with the groupId, artifactId and version of the package',
    },
  ],
}

/** Community health: the files every maintained project carries. */
export const COMMUNITY_PRESETS: Record<string, Preset> = {
  governance: {
    name: 'Repository governance',
    category: 'community',
    tags: ['governance', 'scorecard', 'repolinter', 'security', 'license', 'workflows'],
    description:
      'Offline checks, in the spirit of OpenSSF Scorecard and Repolinter, that a repository carries what every maintained project needs. No token, no network.',
    gates: [
      {
        name: 'license present',
        'files-exist': [LICENSES],
        fix: FIXES.licenseChoice,
        hint: "add a LICENSE file; wf's built-in templates `builtin:license-mit` and `builtin:license-apache-2.0` hold the full texts",
      },
      {
        name: 'license recognised',
        'file-contains': { in: LICENSES, regex: LICENSE_TEXTS, missing_ok: true },
        fix: FIXES.licenseText,
        hint: 'use the unchanged text of a standard license (MIT, Apache-2.0, GPL, MPL, BSD, ISC) or add an `SPDX-License-Identifier:` line',
      },
      {
        name: 'security policy',
        'files-exist': ['{SECURITY.md,.github/SECURITY.md,docs/SECURITY.md}'],
        fix: FIXES.securityPolicy,
        hint: 'add SECURITY.md saying how to report a vulnerability privately (built-in template `builtin:security-policy`)',
      },
      {
        name: 'code owners',
        'files-exist': [CODEOWNERS],
        fix: FIXES.codeowners,
        hint: 'add .github/CODEOWNERS naming who reviews which paths (built-in template `builtin:codeowners`)',
      },
      {
        name: 'code owners valid',
        'file-contains': { in: CODEOWNERS, regex: BAD_CODEOWNERS_LINE, flags: 'm', count: 0, missing_ok: true },
        fix: FIXES.codeownersLines,
        hint: 'each CODEOWNERS line is a path pattern followed by owners (@user, @org/team or an email); comments start with #',
      },
      {
        name: 'contributing guide',
        'files-exist': ['{CONTRIBUTING.md,.github/CONTRIBUTING.md,docs/CONTRIBUTING.md}'],
        fix: FIXES.contributing,
        hint: 'add CONTRIBUTING.md saying how to build, test and propose changes (built-in template `builtin:contributing`)',
      },
      {
        name: 'readme describes the project',
        'file-contains': {
          in: '{README,README.md,README.rst,README.txt}',
          regex: String.raw`^[A-Za-z*_\[][^\n]{30,}`,
          flags: 'm',
        },
        fix: FIXES.readme,
        hint: 'add a README with at least a sentence saying what the project is',
      },
      {
        name: 'workflow actions pinned to a commit',
        workflow: ['pinned-actions'],
        fix: FIXES.pinnedActions,
        hint: 'pin each `uses:` to a full 40-character commit SHA (keep the tag in a comment: `uses: actions/checkout@<sha> # v4`)',
      },
      {
        name: 'workflow permissions declared',
        workflow: ['token-permissions'],
        fix: FIXES.workflowPermissions,
        hint: 'declare `permissions:` at the top of each workflow (e.g. `permissions: { contents: read }`) or on every job, never `write-all`; give write scopes to the jobs that need them',
      },
      {
        name: 'no secrets committed',
        forbid: { patterns: ['secrets'] },
        fix: FIXES.secrets,
        hint: 'remove the credential from the file and revoke it (it is in git history); mark a known false positive with a `wf-allow-secret` comment on its line, or list test fixtures in .secretlintignore',
      },
      {
        name: 'dependency updates configured',
        'files-exist': [
          '{.github/dependabot.yml,.github/dependabot.yaml,renovate.json,renovate.json5,.github/renovate.json,.github/renovate.json5,.renovaterc,.renovaterc.json}',
        ],
        fix: FIXES.dependabot,
        hint: 'add .github/dependabot.yml (built-in template `builtin:dependabot`) or a renovate.json',
      },
    ],
  },
  'community-health': COMMUNITY_HEALTH,
}
