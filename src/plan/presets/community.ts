import type { Preset } from './preset.js'

// Names match in any case (`license`, `.github/security.md`): file gates ignore case for well-known governance files.
const LICENSES = '{LICENSE,LICENSE.md,LICENSE.txt,LICENCE,LICENCE.md,LICENCE.txt,COPYING}'
const CODEOWNERS = '{CODEOWNERS,.github/CODEOWNERS,docs/CODEOWNERS}'
// A CODEOWNERS line that is neither blank, a comment, nor `pattern owner…` with @user, @org/team or an email.
const BAD_CODEOWNERS_LINE = String.raw`^(?![ \t]*(?:#.*)?$)(?![ \t]*\S+(?:[ \t]+(?:@[\w.-]+(?:/[\w.-]+)?|[^@\s]+@[^@\s]+))+[ \t]*(?:#.*)?$).+$`
const LICENSE_TEXTS = String.raw`SPDX-License-Identifier:|MIT License|Permission is hereby granted, free of charge|Apache License[\s\S]{0,40}Version 2\.0|GNU (?:AFFERO |LESSER )?GENERAL PUBLIC LICENSE|Mozilla Public License|BSD [0-9]-Clause|Redistribution and use in source and binary forms|ISC License|The Unlicense|This is free and unencumbered software`

/** Regexes of these presets that need lookahead (see BUILTIN_REGEXES). */
export const COMMUNITY_REGEXES: readonly string[] = [BAD_CODEOWNERS_LINE]

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
        hint: "add a LICENSE file; wf's built-in templates `builtin:license-mit` and `builtin:license-apache-2.0` hold the full texts",
      },
      {
        name: 'license recognised',
        'file-contains': { in: LICENSES, regex: LICENSE_TEXTS, missing_ok: true },
        hint: 'use the unchanged text of a standard license (MIT, Apache-2.0, GPL, MPL, BSD, ISC) or add an `SPDX-License-Identifier:` line',
      },
      {
        name: 'security policy',
        'files-exist': ['{SECURITY.md,.github/SECURITY.md,docs/SECURITY.md}'],
        hint: 'add SECURITY.md saying how to report a vulnerability privately (built-in template `builtin:security-policy`)',
      },
      {
        name: 'code owners',
        'files-exist': [CODEOWNERS],
        hint: 'add .github/CODEOWNERS naming who reviews which paths (built-in template `builtin:codeowners`)',
      },
      {
        name: 'code owners valid',
        'file-contains': { in: CODEOWNERS, regex: BAD_CODEOWNERS_LINE, flags: 'm', count: 0, missing_ok: true },
        hint: 'each CODEOWNERS line is a path pattern followed by owners (@user, @org/team or an email); comments start with #',
      },
      {
        name: 'contributing guide',
        'files-exist': ['{CONTRIBUTING.md,.github/CONTRIBUTING.md,docs/CONTRIBUTING.md}'],
        hint: 'add CONTRIBUTING.md saying how to build, test and propose changes (built-in template `builtin:contributing`)',
      },
      {
        name: 'readme describes the project',
        'file-contains': {
          in: '{README,README.md,README.rst,README.txt}',
          regex: String.raw`^[A-Za-z*_\[][^\n]{30,}`,
          flags: 'm',
        },
        hint: 'add a README with at least a sentence saying what the project is',
      },
      {
        name: 'workflow actions pinned to a commit',
        workflow: ['pinned-actions'],
        hint: 'pin each `uses:` to a full 40-character commit SHA (keep the tag in a comment: `uses: actions/checkout@<sha> # v4`)',
      },
      {
        name: 'workflow permissions declared',
        workflow: ['token-permissions'],
        hint: 'declare `permissions:` at the top of each workflow (e.g. `permissions: { contents: read }`) or on every job, never `write-all`; give write scopes to the jobs that need them',
      },
      {
        name: 'no secrets committed',
        forbid: { patterns: ['secrets'] },
        hint: 'remove the credential from the file and revoke it (it is in git history); mark a known false positive with a `wf-allow-secret` comment on its line, or list test fixtures in .secretlintignore',
      },
      {
        name: 'dependency updates configured',
        'files-exist': [
          '{.github/dependabot.yml,.github/dependabot.yaml,renovate.json,renovate.json5,.github/renovate.json,.github/renovate.json5,.renovaterc,.renovaterc.json}',
        ],
        hint: 'add .github/dependabot.yml (built-in template `builtin:dependabot`) or a renovate.json',
      },
    ],
  },
}
