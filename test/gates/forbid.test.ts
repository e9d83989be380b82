import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import picomatch from 'picomatch'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { runCli } from '../cli-in-process.js'
import { git, repoRoot, testdir } from '../helpers.js'
import { runGates as runPhaseGates } from './run-gates.js'

const fixtures = join(repoRoot, 'test', 'fixtures', 'secrets')

/** Each leaked fixture and the lines of its findings. */
const LEAKED: Record<string, number[]> = {
  '.env.production': [5, 6],
  '.npmrc': [3],
  Makefile: [3],
  'ONBOARDING.md': [7],
  'application.properties': [2],
  'config.json': [6],
  'deploy.sh': [6],
  'gcp-service-account.json': [1, 5],
  'git-credentials': [1, 1],
  id_ed25519: [1],
  id_rsa: [1],
  'k8s-tls-secret.yaml': [9],
  'main.tf': [7],
  'notify.go': [8],
  'release.yml': [9],
  'requirements.txt': [1],
  'settings.py': [6],
  'slack-client.js': [4],
  'upload_backup.py': [10, 11],
}

/** Distinctive parts of every fake secret in the leaked corpus; none may ever be printed or recorded. */
const SECRET_VALUES = [
  'AKIAFAKEWFTEST000000',
  'FakeSecretAccessKeyForWfTests2024NotReal',
  'AKIAFAKEWFTESTTWO222',
  'FakeSecretKeyForWfTerraformNotRealyyyyyy',
  'ghp_FAKEwfTestTokenNotReal00000000000000',
  'ghp_FAKEwfDeployTokenNotReal111111111111',
  'github_pat_11FAKEWFTEST0_',
  'npm_FAKEwfTestNpmTokenNotReal00000000000',
  'xoxb-000000000000-0000000000000-FAKEwfTestBotTokenNotReal',
  'xoxp-000000000000-000000000000-000000000000-fakewftestusertokennotreal000000',
  'FakeWebhookSecretForWfTests',
  'AnotherFakeWebhookForWfTests',
  'FakePypiPass-wf-tests',
  'FakeDbPass-wf-tests-2024',
  'FakeMysqlPass-wf-tests',
  'MIICWwIBAEZBS0UgUlNB',
  'MIICWwIBAEZBS0UgR0NQ',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUA',
  'MHcCAQEEIEZBS0UtRUMtS0VZ',
]

const plan = (forbid: string, extra = '') =>
  `version: 1\nphases:\n  - id: scan\n    gates:\n      - forbid: ${forbid}\n${extra}`

/** A temp folder holding `files`, made a git repository (nothing committed) unless `git` is false. */
function repo(files: Record<string, string | Buffer>, options: { git?: boolean } = {}): string {
  const cwd = testdir(files, { git: false })
  if (options.git !== false) git(cwd, 'init', '-q', '-b', 'main')
  return cwd
}

function withCorpus(name: 'leaked' | 'lookalikes', files: Record<string, string>): string {
  const cwd = repo(files)
  cpSync(join(fixtures, name), cwd, { recursive: true })
  return cwd
}

/** `wf run --force --json ARGS`: exit code, output, and the first gate of the first phase. */
async function runGates(cwd: string, args: string[] = []) {
  const { code, json, gates, result } = await runPhaseGates(cwd, ['--force', ...args])
  return { code, json, gate: gates[0]!, result }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
}

describe('forbid gate', () => {
  it('fails on every leaked fixture, at the file and line of each secret', async () => {
    const names = readdirSync(join(fixtures, 'leaked')).sort()
    expect(names).toEqual(Object.keys(LEAKED).sort())
    expect(names.length).toBeGreaterThanOrEqual(15)
    const phases = names.map(
      (name, i) => `  - id: f${i}\n    gates:\n      - forbid: { patterns: [secrets], in: ${JSON.stringify(name)} }\n`,
    )
    const cwd = withCorpus('leaked', { 'phases/p.yaml': `version: 1\nphases:\n${phases.join('')}` })
    const { code, json } = await runGates(cwd, ['--continue-on-error'])
    expect(code).toBe(1)
    for (const [i, name] of names.entries()) {
      const gate = json.phases.find((p) => p.id === `f${i}`)!.gates[0]!
      expect(gate.status, name).toBe('failed')
      expect(
        gate.locations!.map((l) => `${l.file}:${l.line}`),
        name,
      ).toEqual(LEAKED[name]!.map((line) => `${name}:${line}`))
      expect(gate.message).toMatch(new RegExp(`^${LEAKED[name]!.length} secrets? in 1 file: `))
    }
  })

  it('passes on every lookalike fixture and says how many files it scanned', async () => {
    const names = readdirSync(join(fixtures, 'lookalikes'))
    expect(names.length).toBeGreaterThanOrEqual(15)
    const cwd = withCorpus('lookalikes', { 'phases/p.yaml': plan('{ patterns: [secrets] }') })
    const { code, gate } = await runGates(cwd)
    expect(gate.locations).toBeUndefined()
    expect(gate).toMatchObject({ status: 'passed', message: `no secrets in ${names.length + 1} scanned files` })
    expect(code).toBe(0)
  })

  it('never prints or records a secret: output, status, GitHub annotations and .wf/ show masked values only', async () => {
    const cwd = withCorpus('leaked', { 'phases/p.yaml': plan('{ patterns: [secrets], exclude: phases }') })
    const plain = await runCli(['run', '--force'], { cwd })
    const github = await runCli(['run', '--force', '--reporter', 'github'], { cwd })
    const { gate, result: json } = await runGates(cwd)
    const status = await runCli(['status', '--detailed'], { cwd })
    expect(gate.message).toMatch(
      /^23 secrets in 19 files: \.env\.production:5, \.env\.production:6, \.npmrc:3, Makefile:3, ONBOARDING\.md:7 and 18 more$/,
    )
    expect(gate.locations).toContainEqual({
      file: '.env.production',
      line: 5,
      col: 19,
      message: 'AWS Access Key ID: AKIA****************',
    })
    expect(gate.locations).toContainEqual({
      file: 'deploy.sh',
      line: 6,
      col: 21,
      message: 'GitHub Token(GitHub personal access tokens): ghp_****************',
    })
    for (const l of gate.locations!)
      expect(l.message).toMatch(
        /^[^*]*: [^*\s]{0,4}\*{4,16}$|^GCP Service Account's private key\(json\): gcp-service-account\.json$/,
      )
    expect(plain.stdout).toContain('.env.production:6:23  AWS Secret Access Key: Fake****************')
    const recorded = filesUnder(join(cwd, '.wf'))
    expect(recorded.length).toBeGreaterThan(3)
    const written = [plain, github, json, status]
      .flatMap((r) => [r.stdout, r.stderr])
      .concat(recorded.map((f) => readFileSync(f, 'utf8')))
    for (const text of written) for (const secret of SECRET_VALUES) expect(text).not.toContain(secret)
  })

  it('custom regular expressions, narrowed by `in` and `exclude`, report each match masked', async () => {
    const cwd = repo({
      'phases/p.yaml': plan(
        '{ patterns: ["TODO\\\\b", "^\\\\s*console\\\\.log\\\\("], in: [src, test], exclude: "**/*.snap" }',
      ),
      'src/app.ts': 'export function f() {\n  // TODO remove\n  console.log("x")\n}\n',
      'src/app.test.ts.snap': 'TODO\n',
      'test/app.test.ts': 'it("works", () => {}) // TODO: more\n',
      'docs/notes.md': 'TODO everywhere\nconsole.log(1)\n',
    })
    const { gate } = await runGates(cwd)
    expect(gate).toMatchObject({ status: 'failed', name: 'forbid /TODO\\b/, /^\\s*console\\.log\\(/ in src, test' })
    expect(gate.message).toBe('3 forbidden matches in 2 files: src/app.ts:2, src/app.ts:3, test/app.test.ts:1')
    expect(gate.locations).toEqual([
      { file: 'src/app.ts', line: 2, col: 6, message: '/TODO\\b/ matched T****' },
      { file: 'src/app.ts', line: 3, col: 1, message: '/^\\s*console\\.log\\(/ matched **************' },
      { file: 'test/app.test.ts', line: 1, col: 26, message: '/TODO\\b/ matched T****' },
    ])
  })

  it('scans what git does not ignore (tracked and untracked), and every file outside git', async () => {
    const token = 'ghp_FAKEwfTestTokenNotReal00000000000000'
    const files = {
      'phases/p.yaml': plan('{ patterns: [secrets] }'),
      '.gitignore': 'local.env\nbuild/\n',
      'local.env': `GITHUB_TOKEN=${token}\n`,
      'build/bundle.js': `const t = "${token}"\n`,
      'src/index.ts': 'export const answer = 42\n',
    }
    const ignored = repo(files)
    git(ignored, 'add', '.gitignore', 'src/index.ts')
    const inGit = await runGates(ignored)
    expect(inGit.gate).toMatchObject({ status: 'passed', message: 'no secrets in 3 scanned files' })
    writeFileSync(join(ignored, 'untracked.sh'), `export GITHUB_TOKEN=${token}\n`)
    expect((await runGates(ignored)).gate.locations).toEqual([
      {
        file: 'untracked.sh',
        line: 1,
        col: 21,
        message: 'GitHub Token(GitHub personal access tokens): ghp_****************',
      },
    ])
    const outside = await runGates(repo(files, { git: false }))
    expect(outside.gate.locations!.map((l) => l.file)).toEqual(['build/bundle.js', 'local.env'])
  })

  it('skips binary files (a NUL byte in the first 8 KB) and files over 1 MiB', async () => {
    const token = 'npm_FAKEwfTestNpmTokenNotReal00000000000'
    const cwd = repo({
      'phases/p.yaml': plan('{ patterns: [secrets] }'),
      'logo.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00]), Buffer.from(`token=${token}`)]),
      'big.log': `${'x'.repeat(1024 * 1024)}\ntoken=${token}\n`,
      'late-nul.txt': Buffer.concat([Buffer.from(`${'y'.repeat(9000)}\ntoken=${token}\n`), Buffer.from([0])]),
    })
    const { gate } = await runGates(cwd)
    expect(gate.locations).toEqual([
      { file: 'late-nul.txt', line: 2, col: 7, message: 'npm access token: npm_****************' },
    ])
    expect(gate.message).toBe('1 secret in 1 file: late-nul.txt:2')
  })

  it('ignores lines marked wf-allow-secret and entries of the allow-list (exact text or path:line)', async () => {
    const cwd = repo({
      'phases/p.yaml': plan('{ patterns: [secrets, "FORBIDDEN"], allowlist: .secrets-allowlist }'),
      '.secrets-allowlist':
        '# known false positives\n\nghp_FAKEwfTestTokenNotReal00000000000000\n  docs/setup.md:3  \nFORBIDDEN\n',
      'a.sh': 'export NPM_TOKEN=npm_FAKEwfTestNpmTokenNotReal00000000000 # wf-allow-secret\n',
      'b.js':
        "const t = 'xoxb-000000000000-0000000000000-FAKEwfTestBotTokenNotReal' // wf-allow-secret: test fixture\n",
      'c.py':
        'TOKEN = "ghp_FAKEwfTestTokenNotReal00000000000000"\nOTHER = "ghp_FAKEwfDeployTokenNotReal111111111111"\nFORBIDDEN = 1\n',
      'docs/setup.md':
        '# Setup\n\n    pip install --extra-index-url https://ci-bot:FakePypiPass-wf-tests@pypi.acme-corp.dev/simple acme\n',
      'd.txt': 'xoxb-000000000000-0000000000000-FAKEwfTestBotTokenNotReal\n',
      'e.md': '<!-- wf-allow-secret --> xoxb-000000000000-0000000000000-FAKEwfTestBotTokenNotReal\n',
    })
    const { gate } = await runGates(cwd)
    expect(gate.locations!.map((l) => `${l.file}:${l.line}`)).toEqual(['c.py:2', 'd.txt:1'])
  })

  it('under wf check --staged scans only the staged files', async () => {
    const cwd = repo({
      'phases/p.yaml': plan('{ patterns: [secrets], exclude: "vendor/**" }'),
      'old.sh': 'export T=ghp_FAKEwfTestTokenNotReal00000000000000\n',
    })
    const none = await runCli(['check', '--staged', '--json'], { cwd })
    expect(JSON.parse(none.stdout).phases[0].gates[0]).toMatchObject({
      status: 'passed',
      message: 'no staged file to check',
    })
    writeFileSync(join(cwd, 'new.sh'), 'export T=npm_FAKEwfTestNpmTokenNotReal00000000000\n')
    mkdirSync(join(cwd, 'vendor'))
    writeFileSync(join(cwd, 'vendor', 'lib.js'), 'const t = "npm_FAKEwfTestNpmTokenNotReal00000000000"\n')
    git(cwd, 'add', 'new.sh', 'vendor/lib.js')
    const staged = await runCli(['check', '--staged', '--json'], { cwd })
    expect(staged.code).toBe(1)
    expect(JSON.parse(staged.stdout).phases[0].gates[0].locations.map((l: { file: string }) => l.file)).toEqual([
      'new.sh',
    ])
  })

  it('rejects an invalid regular expression when the plan is loaded, at its position', async () => {
    const cwd = repo({ 'phases/p.yaml': plan('{ patterns: [secrets, "api_key=(\\\\w+"] }') })
    for (const command of ['validate', 'run']) {
      const result = await runCli([command], { cwd })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(
        'phases/p.yaml:5:39: error: pattern `api_key=(\\w+` is not a valid regular expression: missing closing ) [WF_PLAN_INVALID]',
      )
    }
  })

  it("this repository's own plan leaves the fixture corpus alone", () => {
    const own = parse(readFileSync(join(repoRoot, 'phases', 'wf.yaml'), 'utf8')) as {
      phases: { gates?: Record<string, unknown>[] }[]
    }
    const corpus = ['leaked', 'lookalikes'].flatMap((d) =>
      readdirSync(join(fixtures, d)).map((f) => `test/fixtures/secrets/${d}/${f}`),
    )
    for (const gate of own.phases.flatMap((p) => p.gates ?? [])) {
      const forbid = gate.forbid as { patterns: string[]; exclude?: string | string[] } | undefined
      if (forbid?.patterns.includes('secrets')) expect([forbid.exclude].flat()).toContain('test/fixtures/secrets/**')
      const absent = gate['files-absent'] as string | string[] | undefined
      const isAbsent = absent ? picomatch([absent].flat(), { dot: true }) : undefined
      if (isAbsent) expect(corpus.filter((f) => isAbsent(f))).toEqual([])
    }
  })
})
