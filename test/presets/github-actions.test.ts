import { describe, expect, it } from 'vitest'
import { testdir } from '../helpers.js'
import { runGates } from '../gates/run-gates.js'
import { HEALTHY_WORKFLOWS, SHA } from './healthy-workflows.js'

const CI = '.github/workflows/ci.yml'

async function actionsHygiene(files: Record<string, string>) {
  const cwd = testdir({
    'phases/wf.yaml': 'version: 1\nphases:\n  - id: p\n    extends: builtin:actions-hygiene\n',
    ...files,
  })
  return runGates(cwd)
}

describe('builtin:actions-hygiene', () => {
  it('passes workflows that do the right thing (per-job permissions, base checkout in pull_request_target, env-passed title)', async () => {
    const { code, gates } = await actionsHygiene(HEALTHY_WORKFLOWS)
    expect(gates.filter((g) => g.status !== 'passed')).toEqual([])
    expect(gates).toHaveLength(5)
    expect(code).toBe(0)
  })

  it('passes a repository without workflows', async () => {
    const { code } = await actionsHygiene({})
    expect(code).toBe(0)
  })

  const job = (body: string, extra = '    permissions:\n      contents: read\n') =>
    `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n${extra}    steps:\n${body}`

  it.each([
    [
      'workflow actions pinned to a commit',
      job('      - uses: actions/checkout@v4\n'),
      { line: 8, col: 9, message: 'not pinned to a full commit SHA: `uses: actions/checkout@v4`' },
    ],
    [
      'workflow actions pinned to a commit',
      job('      - uses: docker://alpine:latest\n'),
      { line: 8, col: 9, message: 'image not pinned to a digest (`@sha256:…`): `uses: docker://alpine:latest`' },
    ],
    [
      'workflow token permissions',
      `on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n`,
      {
        line: 2,
        col: 1,
        message: 'top-level `permissions: write-all` gives every job every write scope: `permissions: write-all`',
      },
    ],
    [
      'workflow token permissions',
      `on: push\npermissions:\n  contents: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n`,
      {
        line: 3,
        col: 3,
        message:
          'write scope at the top level applies to every job: declare it on the job that needs it: `contents: write`',
      },
    ],
    [
      'workflow token permissions',
      job('      - run: make\n', ''),
      { line: 1, col: 1, message: 'no `permissions:` at the top level or on any job' },
    ],
    [
      'no untrusted checkout in privileged workflows',
      `on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: npm install\n`,
      {
        line: 9,
        col: 11,
        message:
          'pull_request_target workflow checks out the untrusted head: `ref: ${{ github.event.pull_request.head.sha }}`',
      },
    ],
    [
      'no untrusted input expanded in scripts',
      job(
        '      - run: |\n          echo checking\n          echo "${{ github.event.pull_request.title }}" | grep -q fix\n',
      ),
      {
        line: 10,
        col: 17,
        message:
          'untrusted `github.event.pull_request.title` expanded in `run:`: `echo "${{ github.event.pull_request.title }}" | grep -q fix`',
      },
    ],
    [
      'no downloaded scripts piped into a shell in workflows',
      job('      - run: curl -fsSL https://example.test/install.sh | bash\n'),
      {
        line: 8,
        col: 14,
        message:
          'a script downloaded by curl is piped into bash: `- run: curl -fsSL https://example.test/install.sh | bash`',
      },
    ],
  ])('%s fails: %#', async (name, workflow, location) => {
    const { code, gates } = await actionsHygiene({ ...HEALTHY_WORKFLOWS, [CI]: workflow })
    expect(code).toBe(1)
    expect(gates.filter((g) => g.status !== 'passed').map((g) => g.name)).toEqual([name])
    expect(gates.find((g) => g.name === name)!.locations).toEqual([{ file: CI, ...location }])
  })
})
