import { FIXES } from './fixes.js'
import type { Preset } from './preset.js'

// Names match in any case (`license`, `Copying.txt`): file gates ignore case for license file names.
const LICENSE_FILES = '{LICENSE,LICENCE,COPYING}{,.*,-*}'
// REUSE keeps each license text in LICENSES/ (LicenseRef-* files are custom texts by definition).
const REUSE_TEXTS = 'LICENSES/!(LicenseRef-*).txt'
// A copyright line still holding the template's placeholder (`<year> <copyright holders>`, `[year] [fullname]`).
// It must start the line: GPL's own appendix quotes an indented `Copyright (C) <year>  <name of author>`.
const PLACEHOLDER_COPYRIGHT = String.raw`^(?:copyright|\(c\))[^\n]*(?:<year>|\[year\]|\{year\}|<copyright holders?>|<owner>|\[fullname\]|\{fullname\})`
const SOURCE_FILES =
  '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py,go,rs,java,kt,kts,scala,c,h,cc,cpp,cxx,hpp,cs,swift,m,mm,rb,php,sh,bash}'
// Generated code, vendored code, build output and test fixtures carry someone else's header, or none by design.
const NOT_OWN_SOURCE: [string, ...string[]] = [
  '**/node_modules/**',
  '**/vendor/**',
  '{**/,}third[-_]party/**',
  '**/dist/**',
  '**/build/**',
  '**/out/**',
  '**/target/**',
  '**/coverage/**',
  '**/generated/**',
  '**/__generated__/**',
  '**/*.generated.*',
  '**/*_generated.*',
  '**/*.min.js',
  '**/*.d.ts',
  '**/*.pb.go',
  '**/*_pb2.py',
  '**/*_pb2_grpc.py',
  '**/fixtures/**',
  '**/__fixtures__/**',
  '**/testdata/**',
  '**/__snapshots__/**',
]
// In the first ten lines: an SPDX tag, a copyright notice, or a generated-file marker (`Code generated … DO NOT EDIT`).
const LICENSE_HEADER = String.raw`^(?:[^\n]*\n){0,9}[^\n]*(?:SPDX-License-Identifier:|copyright|code generated|@generated|do not edit)`
const VENDORED = '{third_party,third-party,thirdparty,3rdparty}/*'

/** Licensing: the license is one people and tools can identify, and what is copied in keeps its license. */
export const LICENSING_PRESETS: Record<string, Preset> = {
  licensing: {
    name: 'Licensing',
    category: 'licensing',
    tags: ['license', 'spdx', 'scorecard', 'repolinter', 'legal'],
    description:
      "Code without a license cannot be reused, and a license nobody can identify is reviewed by hand by every adopter. wf identifies the license text itself against the SPDX license list, offline (word-set similarity of at least 90%, as licensee does, or an `SPDX-License-Identifier:` line); OpenSSF Scorecard's License check only needs a license file to exist and asks the forge whether it is recognised, and Repolinter defers to licensee. REUSE layouts (LICENSES/*.txt) count. wf also fails a copyright line left with its template placeholder, and vendored folders (third_party/*) without their own license.",
    gates: [
      {
        name: 'license identified as SPDX',
        license: { in: [LICENSE_FILES, REUSE_TEXTS] },
        fix: FIXES.licenseText,
        hint: 'use the unchanged text of a standard license (https://spdx.org/licenses/; `builtin:license-mit` and `builtin:license-apache-2.0` are templates), or add an `SPDX-License-Identifier: <id>` line',
      },
      {
        name: 'license copyright line filled in',
        'file-contains': { in: LICENSE_FILES, regex: PLACEHOLDER_COPYRIGHT, flags: 'mi', count: 0, missing_ok: true },
        fix: FIXES.licensePlaceholder,
        hint: 'replace the placeholders on the copyright line with the year and the name of the copyright holder',
      },
      {
        name: 'vendored code carries its license',
        license: { folders: VENDORED },
        fix: FIXES.vendoredLicense,
        hint: "copy the upstream project's LICENSE (or COPYING) file into its vendored folder, unchanged",
      },
    ],
  },
  'license-headers': {
    name: 'Source license headers',
    category: 'licensing',
    tags: ['license', 'spdx', 'headers', 'repolinter', 'reuse'],
    description:
      'A file copied out of the repository keeps its terms only if it names them. Each source file must carry an `SPDX-License-Identifier:` tag or a copyright notice in its first ten lines (generated files marked `Code generated … DO NOT EDIT` or `@generated` count as marked). Repolinter\'s `source-license-headers-exist` (a warning) wants both "Copyright" and "License" in the first five lines of JavaScript files only; wf reads every common source language, accepts either marker, and leaves out vendored code, build output, generated code and test fixtures.',
    gates: [
      {
        name: 'source files carry a license header',
        'file-contains': {
          in: SOURCE_FILES,
          exclude: NOT_OWN_SOURCE,
          regex: LICENSE_HEADER,
          flags: 'i',
          missing_ok: true,
        },
        fix: FIXES.licenseHeaders,
        hint: 'start each listed file with a comment such as `// SPDX-License-Identifier: Apache-2.0` (or `# …`), or a copyright line; list generated or vendored paths under `exclude` in your own phase',
      },
    ],
  },
  'third-party-notices': {
    name: 'Third-party notices',
    category: 'licensing',
    tags: ['license', 'notice', 'apache', 'repolinter', 'legal'],
    description:
      "Apache-2.0 (section 4d) makes a NOTICE file part of what every redistributor must pass on, so a project under Apache-2.0 keeps its attributions there. Applies only when the root license is identified as Apache-2.0 (`when: { license: Apache-2.0 }`). Repolinter's Apache ruleset asks for NOTICE whatever the license; wf asks where the license gives it a meaning, and also wants the NOTICE to name a copyright holder.",
    when: { license: 'Apache-2.0' },
    gates: [
      {
        name: 'NOTICE present',
        'files-exist': ['{NOTICE,NOTICE.md,NOTICE.txt}'],
        fix: FIXES.notice,
        hint: 'add a NOTICE file: the project name, `Copyright <year> <holder>`, and the attributions of bundled third-party work',
      },
      {
        name: 'NOTICE names the copyright holder',
        'file-contains': {
          in: '{NOTICE,NOTICE.md,NOTICE.txt}',
          regex: String.raw`\bcopyright\b`,
          flags: 'i',
          missing_ok: true,
        },
        fix: FIXES.notice,
        hint: 'add a `Copyright <year> <holder>` line to NOTICE',
      },
    ],
  },
}
