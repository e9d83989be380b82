import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Ajv } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { elfBytes, peBytes, zipBytes } from '../gates/binary-bytes.js'
import { git, repoRoot, testdir } from '../helpers.js'
import type { PresetGateResult } from './check-preset.js'
import { HEALTHY_WORKFLOWS, SHA } from './healthy-workflows.js'

const addFormats = addFormatsModule as unknown as <T extends Ajv>(ajv: T) => T

interface SarifResult {
  level: string
  suppressions?: unknown[]
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[]
}

const DIGEST = `sha256:${'d'.repeat(64)}`

const MIT = `MIT License

Copyright (c) 2026 Acme Widgets

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`

// Presets that would report a planted problem a second time are left out: `secrets` (the key file again), `pinned-dependencies`,
// `token-permissions`, `dangerous-workflows` and `governance` (workflow checks actions-hygiene makes).
const PLAN = `version: 1
phases:
${[
  'actions-hygiene',
  'containers',
  'binary-artifacts',
  'repo-hygiene',
  'security-policy',
  'markdown-links',
  'licensing',
  'docs',
  'node',
]
  .map((preset) => `  - id: ${preset}\n    extends: builtin:${preset}\n`)
  .join('')}`

// Healthy except for the problems PLANTED lists: proper community files, a full MIT license, a
// lockfile, pinned actions and per-workflow permissions everywhere else (HEALTHY_WORKFLOWS too), test
// fixtures holding a key and a conflict on purpose, source named after Dockerfiles.
const FILES: Record<string, string | Buffer> = {
  'phases/wf.yaml': PLAN,
  'README.md': `# widgets

Widgets is a small library that turns YAML descriptions into rendered widgets for dashboards.

## Install

\`\`\`sh
npm install widgets
\`\`\`

## Usage

Read the [guide](docs/guide.md), the [options](docs/options.md#sizes) and the [setup notes](docs/setup.md) before you start.
See [contributing](CONTRIBUTING.md), the [security policy](SECURITY.md) and the [license](LICENSE).
`,
  'docs/guide.md': '# Guide\n\nStart with [the README](../README.md#usage).\n',
  'docs/options.md':
    'Options\n=======\n\n## Sizes\n\nSmall, medium, large. A link in code is not followed:\n\n```md\n[later](docs/later.md)\n```\n',
  'certs/ca.pem': '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n',
  'test/fixtures/conflicted.txt': '<<<<<<< ours\na\n=======\nb\n>>>>>>> theirs\n',
  'test/fixtures/server.key':
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAtestonly\n-----END RSA PRIVATE KEY-----\n',
  ...HEALTHY_WORKFLOWS,
  LICENSE: MIT,
  'CONTRIBUTING.md': '# Contributing\n\nRun `npm test` before you open a pull request; describe the change and why.\n',
  'CODE_OF_CONDUCT.md':
    '# Code of conduct\n\nBe kind. Report unacceptable behaviour to conduct@acme.example; reports are answered within a week.\n',
  'SECURITY.md': '',
  '.gitignore': 'node_modules/\n',
  '.dockerignore': '.git\nnode_modules\n.env*\n',
  'package.json': `${JSON.stringify(
    {
      name: 'widgets',
      version: '1.2.0',
      description: 'Render widgets from YAML',
      repository: 'https://github.com/acme/widgets',
      engines: { node: '>=20' },
      dependencies: { yaml: '^2.5.0' },
    },
    null,
    2,
  )}\n`,
  'package-lock.json': `${JSON.stringify({ name: 'widgets', version: '1.2.0', lockfileVersion: 3, packages: {} }, null, 2)}\n`,
  'src/index.js': `export function render(widget) {
  return widget.title
>>>>>>> feature
}
`,
  'src/util.js': 'export const id = (x) => x\n',
  // Source that writes a Dockerfile is not one, whatever its name.
  'src/dockerfile.js':
    'export const dockerfile = `\nFROM node:20\nRUN curl -fsSL https://get.example.com/x.sh | sh\n`\n',
  'test/dockerfile.test.js':
    "import { dockerfile } from '../src/dockerfile.js'\nconsole.assert(dockerfile.includes('FROM'))\n",
  Dockerfile: `FROM node:20 AS build
WORKDIR /app
COPY . .
RUN curl -fsSL https://get.example.com/setup.sh | bash
RUN npm ci

FROM gcr.io/distroless/nodejs20@${DIGEST}
COPY --from=build /app /app
USER nonroot
`,
  'deploy/id_rsa': '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
  'tools/setup.exe': peBytes(),
  'lib/vendor.jar': zipBytes('META-INF/MANIFEST.MF'),
  'bin/widgetd': elfBytes(),
  'data/events.csv': 'id,name\n'.padEnd(5 * 1024 * 1024 + 10, '1,a\n'),
  '.github/workflows/build.yml': `name: build
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@${SHA} # v4
        with:
          node-version: 20
      - run: curl -sSL https://get.example.com/tool.sh | bash
      - run: npm ci && npm test
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${SHA} # v4
      - uses: docker://alpine:latest
        with:
          args: sh -c "ls -la"
`,
  '.github/workflows/triage.yml': `name: triage
on:
  pull_request_target:
    types: [opened, synchronize]
permissions:
  contents: read
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${SHA} # v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm run preview
`,
  '.github/workflows/greet.yml': `name: greet
on:
  pull_request:
    types: [opened]
permissions:
  contents: read
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - run: echo "Thanks for \${{ github.event.pull_request.title }}"
`,
  '.github/workflows/publish.yml': `name: publish
on:
  release:
    types: [published]
permissions: write-all
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${SHA} # v4
      - run: npm publish
`,
}

/** A real git repository holding FILES, all committed. */
function plantedRepository(): string {
  const cwd = testdir(FILES, { git: false })
  git(cwd, 'init', '-q', '-b', 'main')
  git(cwd, 'add', '-A')
  git(cwd, 'commit', '-q', '-m', 'initial')
  return cwd
}

interface Finding {
  file: string
  line?: number
  text?: string
}

/** The planted problems: one finding each, at its file and line (none for a whole-file problem), with the text the gate quotes. */
const PLANTED: Finding[] = [
  { file: '.github/workflows/build.yml', line: 12, text: 'uses: actions/checkout@v4' },
  { file: '.github/workflows/build.yml', line: 16, text: '- run: curl -sSL https://get.example.com/tool.sh | bash' },
  { file: '.github/workflows/build.yml', line: 22, text: 'uses: docker://alpine:latest' },
  {
    file: '.github/workflows/greet.yml',
    line: 11,
    text: '- run: echo "Thanks for ${{ github.event.pull_request.title }}"',
  },
  { file: '.github/workflows/publish.yml', line: 5, text: 'permissions: write-all' },
  { file: '.github/workflows/triage.yml', line: 13, text: 'ref: ${{ github.event.pull_request.head.sha }}' },
  { file: 'Dockerfile', line: 1, text: 'FROM node:20 AS build' },
  { file: 'Dockerfile', line: 4, text: 'RUN curl -fsSL https://get.example.com/setup.sh | bash' },
  { file: 'README.md', line: 13, text: '[setup notes](docs/setup.md)' },
  { file: 'SECURITY.md' },
  { file: 'bin/widgetd' },
  { file: 'data/events.csv' },
  { file: 'deploy/id_rsa' },
  { file: 'lib/vendor.jar' },
  { file: 'package.json', line: 1 },
  { file: 'src/index.js', line: 3 },
  { file: 'tools/setup.exe' },
]

const key = (f: { file: string; line?: number }) => `${f.file}:${f.line ?? '-'}`

describe('a repository with planted problems, checked by a plan of presets', () => {
  it('reports each planted problem once, at its file and line, and nothing in the healthy rest; SARIF has one result each', async () => {
    const cwd = plantedRepository()
    const run = await runCli(['run', '--continue-on-error', '--json'], { cwd })
    expect(run.code).toBe(1)
    const phases: { id: string; status: string; gates: PresetGateResult[] }[] = JSON.parse(run.stdout).phases
    // Every preset ran its gates; the healthy ones passed whole.
    expect(Object.fromEntries(phases.map((p) => [p.id, p.status]))).toEqual({
      'actions-hygiene': 'failed',
      containers: 'failed',
      'binary-artifacts': 'failed',
      'repo-hygiene': 'failed',
      'security-policy': 'failed',
      'markdown-links': 'failed',
      licensing: 'passed',
      docs: 'passed',
      node: 'failed',
    })
    const gates = phases.flatMap((p) => p.gates)
    expect(gates.filter((g) => g.status !== 'passed' && g.status !== 'failed')).toEqual([])
    const findings = gates
      .filter((g) => g.status === 'failed')
      .flatMap((g) => {
        expect(g.locations?.length, g.name).toBeGreaterThan(0)
        return g.locations!
      })
    expect(findings.map(key).sort()).toEqual(PLANTED.map(key).sort())
    for (const planted of PLANTED.filter((p) => p.text)) {
      const found = findings.find((f) => key(f) === key(planted))!
      expect(found.message, key(planted)).toContain(planted.text)
    }
    expect(findings.find((f) => f.file === 'src/index.js')!.message).toContain('>>')
    expect(findings.find((f) => f.file === 'package.json')!.message).toBe('license is missing')

    const report = await runCli(['report', '--format', 'sarif'], { cwd })
    expect(report.code).toBe(0)
    const sarif = JSON.parse(report.stdout)
    const schema = JSON.parse(
      readFileSync(join(repoRoot, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'),
    )
    const ajv = addFormats(new Ajv2020({ allErrors: true }))
    const validate = ajv.compile(schema)
    expect(validate(sarif), ajv.errorsText(validate.errors)).toBe(true)
    const results: SarifResult[] = sarif.runs[0].results
    expect(results.every((r) => r.level === 'error' && !r.suppressions)).toBe(true)
    const located = results.map((r) => {
      const { artifactLocation, region } = r.locations[0]!.physicalLocation
      return key({ file: decodeURIComponent(artifactLocation.uri), line: region?.startLine })
    })
    // SARIF gives a whole-file result line 1 (GitHub code scanning needs a start line).
    expect(located.sort()).toEqual(PLANTED.map((p) => key({ ...p, line: p.line ?? 1 })).sort())
  })
})
