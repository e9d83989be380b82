import { describe, expect, it } from 'vitest'
import { testdir } from '../helpers.js'
import { runGates } from '../gates/run-gates.js'
import { HEALTHY_WORKFLOWS, SHA } from './healthy-workflows.js'

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`
const DOCKERFILE_GATE = 'Dockerfile base images pinned by digest'

const HEALTHY: Record<string, string> = {
  ...HEALTHY_WORKFLOWS,
  '.github/dependabot.yml':
    'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule:\n      interval: weekly\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n',
  'fuzz/Cargo.toml': '[package]\nname = "acme-fuzz"\nversion = "0.0.0"\n\n[dependencies]\nlibfuzzer-sys = "0.4"\n',
  'scripts/install-tool.sh':
    '#!/bin/sh\nset -eu\ncurl -fsSLo tool.tgz https://example.test/tool-1.2.3.tgz\necho "0123abcd  tool.tgz" | sha256sum -c -\ntar xzf tool.tgz\n',
  'scripts/label.sh': '#!/bin/sh\nread -r title\necho "labelling: $title"\n',
  Dockerfile: `FROM node:20-bookworm-slim@${DIGEST}\nRUN curl -fsSLo /tmp/tool.tgz https://example.test/tool.tgz \\\n && echo "0123abcd  /tmp/tool.tgz" | sha256sum -c -\nUSER node\n`,
}

async function preset(name: string, files: Record<string, string>) {
  const cwd = testdir({ 'phases/wf.yaml': `version: 1\nphases:\n  - id: p\n    extends: builtin:${name}\n`, ...files })
  const { gates } = await runGates(cwd)
  return { gates, byName: new Map(gates.map((g) => [g.name, g])) }
}

const failing = async (name: string, files: Record<string, string>) =>
  (await preset(name, files)).gates.filter((g) => g.status !== 'passed')

const WF = '.github/workflows/ci.yml'
const job = (body: string) =>
  `on: push\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${body}`

describe('supply-chain presets pass a repository that does the right thing', () => {
  it.each([
    'dangerous-workflows',
    'token-permissions',
    'pinned-dependencies',
    'dependency-updates',
    'sast',
    'fuzzing',
    'ci-tests',
    'packaging',
    'scorecard',
  ])('%s', async (name) => {
    const { gates } = await preset(name, HEALTHY)
    expect(gates.length).toBeGreaterThan(0)
    expect(gates.filter((g) => g.status !== 'passed')).toEqual([])
  })

  it.each(['pinned-dependencies', 'scorecard'])('%s: reads the pinned Dockerfile and passes it', async (name) => {
    const { byName } = await preset(name, HEALTHY)
    expect(byName.get(DOCKERFILE_GATE)).toMatchObject({
      status: 'passed',
      message: 'Dockerfile: pinned-base, remote-scripts hold',
    })
  })
})

describe('supply-chain presets fail each check, located', () => {
  it('dangerous-workflows: pull_request_target checking out the pull request head; a title inside run:', async () => {
    const failed = await failing('dangerous-workflows', {
      ...HEALTHY,
      [WF]: `on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: echo "\${{ github.event.pull_request.title }}"\n`,
    })
    expect(failed.map((g) => [g.name, g.locations])).toEqual([
      [
        'no untrusted checkout in privileged workflows',
        [
          {
            file: WF,
            line: 9,
            col: 11,
            message:
              'pull_request_target workflow checks out the untrusted head: `ref: ${{ github.event.pull_request.head.sha }}`',
          },
        ],
      ],
      [
        'no untrusted input expanded in scripts',
        [
          {
            file: WF,
            line: 10,
            col: 20,
            message:
              'untrusted `github.event.pull_request.title` expanded in `run:`: `- run: echo "${{ github.event.pull_request.title }}"`',
          },
        ],
      ],
    ])
  })

  it('token-permissions: write-all on a job', async () => {
    const failed = await failing('token-permissions', {
      ...HEALTHY,
      [WF]: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: write-all\n    steps:\n      - run: make\n',
    })
    expect(failed.map((g) => g.locations)).toEqual([
      [
        {
          file: WF,
          line: 5,
          col: 5,
          message: 'job `permissions: write-all` gives the job every write scope: `permissions: write-all`',
        },
      ],
    ])
  })

  it('pinned-dependencies: an unpinned action, a curl | bash step, and a curl | sh shell script', async () => {
    const failed = await failing('pinned-dependencies', {
      ...HEALTHY,
      [WF]: job('      - uses: actions/setup-node@v4\n      - run: curl -sSL https://example.test/get | sudo bash\n'),
      'scripts/bootstrap.sh': '#!/bin/sh\nset -e\nwget -qO- https://example.test/get | sh\n',
    })
    expect(failed.map((g) => [g.name, g.locations])).toEqual([
      [
        'workflow actions pinned to a commit',
        [{ file: WF, line: 8, col: 9, message: 'not pinned to a full commit SHA: `uses: actions/setup-node@v4`' }],
      ],
      [
        'no downloaded scripts piped into a shell in workflows',
        [
          {
            file: WF,
            line: 9,
            col: 14,
            message:
              'a script downloaded by curl is piped into bash: `- run: curl -sSL https://example.test/get | sudo bash`',
          },
        ],
      ],
      [
        'no downloaded scripts piped into a shell in scripts',
        [expect.objectContaining({ file: 'scripts/bootstrap.sh', line: 3, col: 1 })],
      ],
    ])
  })

  it.each(['pinned-dependencies', 'scorecard'])(
    '%s: a Dockerfile `FROM node:20` and a `RUN curl … | bash`, each at its line',
    async (name) => {
      const failed = await failing(name, {
        ...HEALTHY,
        Dockerfile: `FROM node:20\nWORKDIR /app\nRUN apt-get update \\\n && curl -fsSL https://get.example.test | bash\nUSER node\n`,
      })
      expect(failed.map((g) => [g.name, g.status, g.locations])).toEqual([
        [
          DOCKERFILE_GATE,
          'failed',
          [
            {
              file: 'Dockerfile',
              line: 1,
              col: 1,
              message: 'base image `node:20` is not pinned by a digest: `FROM node:20`',
            },
            {
              file: 'Dockerfile',
              line: 4,
              col: 2,
              message:
                'a script downloaded by curl is piped into bash: `&& curl -fsSL https://get.example.test | bash`',
            },
          ],
        ],
      ])
    },
  )

  it('dependency-updates: no update tool; a Dependabot file that updates nothing', async () => {
    const { '.github/dependabot.yml': _, ...without } = HEALTHY
    expect((await failing('dependency-updates', without)).map((g) => g.name)).toEqual([
      'dependency update tool configured',
    ])
    const empty = await failing('dependency-updates', {
      ...HEALTHY,
      '.github/dependabot.yml': 'version: 2\nupdates: []\n',
    })
    expect(empty.map((g) => [g.name, g.locations?.map((l) => l.file)])).toEqual([
      ['dependabot updates an ecosystem', ['.github/dependabot.yml']],
    ])
  })

  it('sast, ci-tests, packaging: say what no workflow does and where they looked', async () => {
    const files = { [WF]: job('      - run: make\n') }
    const sast = await failing('sast', files)
    expect(sast.map((g) => g.message)).toEqual([
      expect.stringMatching(
        /^no workflow uses github\/codeql-action\/\* or .* or runs a script matching .* \(looked in 1 workflow: \.github\/workflows\/\*\.\{yml,yaml\}\)$/,
      ),
    ])
    expect((await failing('ci-tests', files)).map((g) => g.message)).toEqual([
      'no workflow runs on pull_request or merge_group (looked in 1 workflow: .github/workflows/*.{yml,yaml})',
    ])
    expect((await failing('packaging', files)).map((g) => g.name)).toEqual(['releases published from CI'])
    // Publishing by command instead of by action is enough.
    expect(await failing('packaging', { [WF]: job('      - run: cargo publish --locked\n') })).toEqual([])
    // A package script that publishes, and binaries attached to a GitHub release, are published from CI too.
    expect(await failing('packaging', { [WF]: job('      - run: pnpm run ci-publish "$TAG"\n') })).toEqual([])
    expect(await failing('packaging', { [WF]: job('      - run: gh release upload "$v" rg.tar.gz\n') })).toEqual([])
    expect(
      await failing('packaging', {
        [WF]: job('      - uses: softprops/action-gh-release@b4ffde65f46336ab88eb53be808477a3936bae11\n'),
      }),
    ).toEqual([])
    expect((await failing('packaging', { [WF]: job('      - run: npm run build\n') })).map((g) => g.name)).toEqual([
      'releases published from CI',
    ])
  })

  it('fuzzing: no fuzz targets; a Go fuzz test file is enough', async () => {
    expect((await failing('fuzzing', { 'main.go': 'package main\n' })).map((g) => g.name)).toEqual([
      'fuzz targets present',
    ])
    expect(await failing('fuzzing', { 'parse/fuzz_test.go': 'package parse\n' })).toEqual([])
    expect(await failing('fuzzing', { 'fuzz_test.go': 'package acme\n' })).toEqual([])
    expect(await failing('fuzzing', { 'parse.fuzz.ts': 'export {}\n' })).toEqual([])
    // Fuzzed by OSS-Fuzz, whose targets live in its own repository: the CIFuzz workflow is what is here.
    expect(await failing('fuzzing', { '.github/workflows/cifuzz.yml': 'name: CIFuzz\non: pull_request\n' })).toEqual([])
  })
})
