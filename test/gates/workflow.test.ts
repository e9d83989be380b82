import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'
import { expectInvalid, planWith, runGates } from './run-gates.js'

const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11'
const WF = '.github/workflows/ci.yml'

async function check(gate: string, files: Record<string, string>) {
  const cwd = testdir({ 'phases/p.yaml': planWith(`      - workflow: ${gate}\n`), ...files })
  return (await runGates(cwd)).gates[0]!
}

const job = (steps: string, extra = '') => `    runs-on: ubuntu-latest\n${extra}    steps:\n${steps}`

describe('workflow gate: pinned-actions', () => {
  it('points at the `uses:` line of an unpinned action and quotes it; docker:// images need a digest; ./ and $/ actions are pinned', async () => {
    const gate = await check('[pinned-actions]', {
      [WF]: [
        'on: push',
        'jobs:',
        '  test:',
        job(
          [
            `      - uses: actions/checkout@${SHA} # v4`,
            '      - uses: ./.github/actions/local',
            '      - uses: $/.github/actions/same-commit',
            '      - name: setup',
            '        uses: actions/checkout@v4',
            '      - uses: docker://alpine:latest',
            `      - uses: docker://alpine@sha256:${'a'.repeat(64)}`,
            '',
          ].join('\n'),
        ),
        '  call:',
        '    uses: acme/workflows/.github/workflows/ci.yml@main',
        '',
      ].join('\n'),
    })
    expect(gate.status).toBe('failed')
    expect(gate.locations).toEqual([
      { file: WF, line: 10, col: 9, message: 'not pinned to a full commit SHA: `uses: actions/checkout@v4`' },
      {
        file: WF,
        line: 11,
        col: 9,
        message: 'image not pinned to a digest (`@sha256:…`): `uses: docker://alpine:latest`',
      },
      {
        file: WF,
        line: 15,
        col: 5,
        message: 'not pinned to a full commit SHA: `uses: acme/workflows/.github/workflows/ci.yml@main`',
      },
    ])
  })

  it('passes with no workflows, and fails a workflow that does not parse at its line', async () => {
    expect(await check('true', {})).toMatchObject({
      status: 'passed',
      message: 'no workflows (.github/workflows/*.{yml,yaml})',
    })
    const broken = await check('true', { [WF]: 'on: push\njobs:\n  a: [\n' })
    expect(broken.status).toBe('failed')
    expect(broken.locations).toHaveLength(1)
    expect(broken.locations![0]).toMatchObject({ file: WF, line: 4 })
    expect(broken.locations![0]!.message).toMatch(/^does not parse: /)
  })
})

describe('workflow gate: token-permissions', () => {
  const steps = '      - run: make\n'
  it('passes permissions declared on every job only, or read at the top and writes on a job', async () => {
    const perJob = `on: push\njobs:\n  a:\n${job(steps, '    permissions:\n      contents: read\n')}  b:\n${job(steps, '    permissions:\n      contents: write\n')}`
    const topRead = `on: push\npermissions: read-all\njobs:\n  a:\n${job(steps, '    permissions:\n      packages: write\n')}`
    expect(await check('[token-permissions]', { [WF]: perJob, '.github/workflows/b.yaml': topRead })).toMatchObject({
      status: 'passed',
    })
  })

  it('fails write-all (top or job), a write scope at the top, and a job left undeclared', async () => {
    const gate = await check('[token-permissions]', {
      '.github/workflows/a.yml': `on: push\npermissions: write-all\njobs:\n  a:\n${job(steps)}`,
      '.github/workflows/b.yml': `on: push\npermissions:\n  contents: read\n  issues: write\njobs:\n  a:\n${job(steps, '    permissions: write-all\n')}`,
      '.github/workflows/c.yml': `on: push\njobs:\n  a:\n${job(steps, '    permissions: {}\n')}  b:\n${job(steps)}`,
      '.github/workflows/d.yml': `on: push\njobs:\n  a:\n${job(steps)}`,
    })
    expect(gate.locations).toEqual([
      {
        file: '.github/workflows/a.yml',
        line: 2,
        col: 1,
        message: 'top-level `permissions: write-all` gives every job every write scope: `permissions: write-all`',
      },
      {
        file: '.github/workflows/b.yml',
        line: 4,
        col: 3,
        message:
          'write scope at the top level applies to every job: declare it on the job that needs it: `issues: write`',
      },
      {
        file: '.github/workflows/b.yml',
        line: 8,
        col: 5,
        message: 'job `permissions: write-all` gives the job every write scope: `permissions: write-all`',
      },
      {
        file: '.github/workflows/c.yml',
        line: 8,
        col: 3,
        message: 'job has no `permissions:` and the workflow declares none at the top level: `b:`',
      },
      {
        file: '.github/workflows/d.yml',
        line: 1,
        col: 1,
        message: 'no `permissions:` at the top level or on any job',
      },
    ])
  })
})

describe('workflow gate: dangerous-triggers and script-injection', () => {
  it('fails pull_request_target with a checkout of the pull request head, at the `ref:` line', async () => {
    const gate = await check('[dangerous-triggers]', {
      [WF]: `on: pull_request_target\njobs:\n  a:\n${job(`      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: npm test\n`)}`,
      '.github/workflows/safe.yml': `on: pull_request_target\njobs:\n  a:\n${job(`      - uses: actions/checkout@${SHA}\n      - run: npm test\n`)}`,
      '.github/workflows/run.yml': `on:\n  workflow_run:\n    workflows: [ci]\njobs:\n  a:\n${job(`      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.workflow_run.head_sha }}\n`)}`,
      '.github/workflows/pr.yml': `on: pull_request\njobs:\n  a:\n${job(`      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n`)}`,
    })
    expect(gate.locations).toEqual([
      {
        file: WF,
        line: 8,
        col: 11,
        message:
          'pull_request_target workflow checks out the untrusted head: `ref: ${{ github.event.pull_request.head.sha }}`',
      },
      {
        file: '.github/workflows/run.yml',
        line: 10,
        col: 11,
        message:
          'workflow_run workflow checks out the untrusted head: `ref: ${{ github.event.workflow_run.head_sha }}`',
      },
    ])
  })

  it('fails an untrusted expression inside a `run:` block at its own line, and in github-script', async () => {
    const gate = await check('[script-injection]', {
      [WF]: `on: pull_request\njobs:\n  a:\n${job(
        [
          '      - run: |',
          '          echo start',
          '          echo "${{ github.event.pull_request.title }}"',
          '      - env:',
          '          TITLE: ${{ github.event.pull_request.title }}',
          '        run: echo "$TITLE ${{ github.sha }}"',
          `      - uses: actions/github-script@${SHA}`,
          '        with:',
          '          script: |',
          '            console.log("${{ github.event.comment.body }}")',
          '',
        ].join('\n'),
      )}`,
    })
    expect(gate.locations).toEqual([
      {
        file: WF,
        line: 8,
        col: 17,
        message:
          'untrusted `github.event.pull_request.title` expanded in `run:`: `echo "${{ github.event.pull_request.title }}"`',
      },
      {
        file: WF,
        line: 15,
        col: 26,
        message:
          'untrusted `github.event.comment.body` expanded in `script:`: `console.log("${{ github.event.comment.body }}")`',
      },
    ])
  })
})

describe('workflow gate: remote-scripts and require', () => {
  it('fails `curl … | bash` in a run script at its line', async () => {
    const gate = await check('[remote-scripts]', {
      [WF]: `on: push\njobs:\n  a:\n${job('      - run: |\n          set -e\n          curl -fsSL https://example.test/install.sh | sudo -E bash -\n      - run: curl -o x.tgz https://example.test/x.tgz || true\n')}`,
    })
    expect(gate.locations).toEqual([
      {
        file: WF,
        line: 8,
        col: 11,
        message:
          'a script downloaded by curl is piped into bash: `curl -fsSL https://example.test/install.sh | sudo -E bash -`',
      },
    ])
  })

  it('finds `bash <(curl …)` and `sh -c "$(wget …)"`, not `curl … || sh`, and stays linear on hostile lines', async () => {
    const gate = await check('[remote-scripts, script-injection]', {
      [WF]: `on: push\njobs:\n  a:\n${job(
        [
          '      - run: bash <(curl -s https://example.test/i.sh)',
          '      - run: sh -c "$(wget -qO- https://example.test/i.sh)"',
          '      - run: curl -f https://example.test/health || sh ./fallback.sh',
          `      - run: curl ${'${{'.repeat(50_000)} ${'curl '.repeat(50_000)}| sh`,
          `      - run: sh ${'$('.repeat(50_000)} ${'<(curl'.repeat(50_000)} # | sh`,
          '',
        ].join('\n'),
      )}`,
    })
    expect(gate.locations!.map((l) => [l.line, l.col])).toEqual([
      [6, 14],
      [7, 14],
      [9, 14],
      [10, 14],
    ])
  })

  it('reads run scripts as the dockerfile gate reads RUN: other interpreters, continuations, a download run in a later step; not once verified, nor in comments', async () => {
    const gate = await check('[remote-scripts]', {
      [WF]: [
        'on: push',
        'jobs:',
        '  a:',
        job(
          [
            '      - run: curl -fsSL https://example.test/get.py | python3 -',
            '      - run: |',
            '          curl -fsSL https://example.test/setup \\',
            '            | sudo -E bash -',
            '      - run: curl -fsSLo install.sh https://example.test/install.sh',
            '      - run: sh install.sh --yes',
            '      - run: |',
            '          # curl -fsSL https://example.test/old | sh',
            '          curl -fsSLo tool.sh https://example.test/tool.sh',
            '          echo "0123abcd  tool.sh" | sha256sum -c -',
            '          sh tool.sh',
            '',
          ].join('\n'),
        ),
        '  b:',
        // Another job runs on another machine: install.sh was not downloaded there.
        job('      - run: sh install.sh\n'),
      ].join('\n'),
    })
    expect(gate.locations!.map((l) => [l.line, l.col, l.message])).toEqual([
      [
        6,
        14,
        'a script downloaded by curl is piped into python3: `- run: curl -fsSL https://example.test/get.py | python3 -`',
      ],
      [8, 11, 'a script downloaded by curl is piped into bash: `curl -fsSL https://example.test/setup \\`'],
      [11, 14, 'sh runs install.sh, downloaded by an earlier command: `- run: sh install.sh --yes`'],
    ])
  })

  it('require: some workflow triggers, uses or runs what is asked; says what was not found and where it looked', async () => {
    const files = {
      [WF]: `on: [push, pull_request]\npermissions: {}\njobs:\n  a:\n${job(`      - uses: github/codeql-action/init@${SHA}\n      - run: npm publish --provenance\n`)}`,
    }
    expect(
      await check(
        '{ require: { trigger: [pull_request, merge_group], uses: ["github/codeql-action/*"], run: "npm publish" } }',
        files,
      ),
    ).toMatchObject({ status: 'passed' })
    // `uses` and `run` are alternatives: a matching script is enough.
    expect(
      await check('{ require: { uses: [pypa/gh-action-pypi-publish], run: "npm publish" } }', files),
    ).toMatchObject({
      status: 'passed',
    })
    const gate = await check('{ require: { trigger: [release], uses: [goreleaser/goreleaser-action] } }', files)
    expect(gate).toMatchObject({
      status: 'failed',
      message:
        'no workflow runs on release; no workflow uses goreleaser/goreleaser-action (looked in 1 workflow: .github/workflows/*.{yml,yaml})',
    })
    // A long list of actions and a long script pattern are cut, so the message stays readable.
    const long = await check(
      '{ require: { uses: [a/one, a/two, a/three, a/four, a/five, a/six], run: "\\\\b(?:semgrep (?:ci|scan)|snyk code test|sonar-scanner|gosec)\\\\b" } }',
      files,
    )
    expect(long).toMatchObject({
      status: 'failed',
      message:
        'no workflow uses a/one or a/two or a/three or a/four (or 2 more actions) or runs a script matching /\\b(?:semgrep (?:ci|scan)|snyk code te…/ (looked in 1 workflow: .github/workflows/*.{yml,yaml})',
    })
    expect(await check('{ require: { trigger: [push] } }', {})).toMatchObject({
      status: 'failed',
      message: 'no workflow file matches .github/workflows/*.{yml,yaml}: no workflow runs on push',
    })
  })

  it('judges only the workflows named on the command line (pre-commit), and leaves `require` to full runs', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith('      - workflow: { rules: [pinned-actions], require: { trigger: [release] } }\n'),
      '.github/workflows/a.yml': `on: push\njobs:\n  a:\n${job('      - uses: actions/checkout@v4\n')}`,
      '.github/workflows/b.yml': `on: push\njobs:\n  a:\n${job('      - uses: actions/setup-node@v4\n')}`,
    })
    const result = await runCli(['check', '--json', '.github/workflows/b.yml'], { cwd })
    const gate = JSON.parse(result.stdout).phases[0].gates[0]
    expect(gate.status).toBe('failed')
    expect(gate.message).toBe(
      '.github/workflows/b.yml:6: not pinned to a full commit SHA: `uses: actions/setup-node@v4`',
    )
  })

  it('rejects a bad `require.run` regex when the plan is read', async () => {
    const cwd = testdir({ 'phases/p.yaml': planWith('      - workflow: { require: { run: "npm (publish" } }\n') })
    await expectInvalid(cwd, 'phases/p.yaml:5:37', 'regex `npm (publish` is not a valid regular expression')
  })
})
