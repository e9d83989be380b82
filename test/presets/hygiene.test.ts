import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { testdir } from '../helpers.js'
import { elfBytes, peBytes, zipBytes } from '../gates/binary-bytes.js'
import { type GateResult, runGates } from '../gates/run-gates.js'

const plan = (preset: string) => `version: 1\nphases:\n  - id: p\n    extends: builtin:${preset}\n`
const KEY_BLOCK = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAtestonlytestonlytestonly',
  '-----END RSA PRIVATE KEY-----',
].join('\n')

/** `wf run` of one preset on a repository of these files (a git repository when `git`): its gates by name. */
async function runPreset(preset: string, files: Record<string, string | Buffer>, git = false) {
  const cwd = testdir({ 'phases/wf.yaml': plan(preset), ...files })
  if (git) execFileSync('git', ['init', '-q'], { cwd })
  const { json, gates } = await runGates(cwd)
  return {
    status: (json.phases[0] as unknown as { status: string }).status,
    gate: Object.fromEntries(gates.map((g) => [g.name, g])) as Record<string, GateResult>,
  }
}

const HEALTHY: Record<string, string | Buffer> = {
  'README.rst': 'Project\n=======\n\nA library.\n',
  'docs/guide.md': 'Guide\n=======\n\nSee `git merge`.\n',
  'certs/ca.pem': '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n',
  'test/fixtures/server.key': `${KEY_BLOCK}\n`,
  'tests/merge/conflicted.txt': '<<<<<<< ours\na\n=======\nb\n>>>>>>> theirs\n',
  '.gitattributes': '*.mp4 filter=lfs diff=lfs merge=lfs -text\n',
  'media/demo.mp4': Buffer.alloc(6_000_000),
  'src/index.ts': 'export const answer = 42\n',
}

describe('preset repo-hygiene', () => {
  it('passes a repository whose only large file is in Git LFS, with heading underlines, a public certificate and fixture keys', async () => {
    const { status, gate } = await runPreset('repo-hygiene', HEALTHY, true)
    expect(Object.values(gate).map((g) => [g.name, g.status])).toEqual([
      ['no file larger than 5 MB', 'passed'],
      ['no key files', 'passed'],
      ['no private key blocks', 'passed'],
      ['no merge-conflict markers', 'passed'],
    ])
    expect(status).toBe('passed')
  })

  it('fails a file over 5 MB, naming its size', async () => {
    const { gate } = await runPreset('repo-hygiene', { ...HEALTHY, 'data/dump.sql': Buffer.alloc(5_200_000) }, true)
    expect(gate['no file larger than 5 MB']).toMatchObject({
      status: 'failed',
      locations: [{ file: 'data/dump.sql', message: '5.2 MB, over the limit of 5 MB' }],
    })
  })

  it('fails key files (id_rsa, .p12) outside test fixtures', async () => {
    const { gate } = await runPreset('repo-hygiene', { ...HEALTHY, 'deploy/id_rsa': 'x\n', 'certs/client.p12': 'x\n' })
    expect(gate['no key files']).toMatchObject({
      status: 'failed',
      locations: [
        { file: 'certs/client.p12', message: 'this file must not be in the repository' },
        { file: 'deploy/id_rsa', message: 'this file must not be in the repository' },
      ],
    })
  })

  it('fails a private key block in any file, at its line', async () => {
    const { gate } = await runPreset('repo-hygiene', { ...HEALTHY, 'config/app.env': `NAME=app\n\n${KEY_BLOCK}\n` })
    const failed = gate['no private key blocks']!
    expect(failed.status).toBe('failed')
    expect(failed.locations).toHaveLength(1)
    // The pattern is cut in the message: a location says what matched, the plan says the whole pattern.
    expect(failed.locations![0]).toMatchObject({
      file: 'config/app.env',
      line: 3,
      col: 1,
      message: expect.stringMatching(/^\/-----BEGIN \[A-Z0-9 \]\*PRIVATE KEY\(\?: B…\/ matched -{4}\*+$/),
    })
  })

  it('passes code that writes a key header to encode a key; fails keys in strings, margins and encrypted PEM', async () => {
    const body = 'MIIEowIBAAKCAQEAtestonlytestonlytestonly'
    const { gate } = await runPreset('repo-hygiene', {
      ...HEALTHY,
      'src/pem.kt':
        'fun pem() = buildString {\n  append("-----BEGIN PRIVATE KEY-----\\n")\n  encodeBase64Lines(key)\n}\n',
      'src/fixture.js': `const key = "-----BEGIN PRIVATE KEY-----\\n" +\n  "${body}\\n"\n`,
      'docs/notes.md': `    |-----BEGIN EC PRIVATE KEY-----\n    |${body}\n`,
      'certs/old.pem': `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123\n\n${body}\n`,
    })
    expect(gate['no private key blocks']!.locations!.map((l) => [l.file, l.line])).toEqual([
      ['certs/old.pem', 1],
      ['docs/notes.md', 1],
      ['src/fixture.js', 1],
    ])
  })

  it('reports a key file holding a private key block once, as a key file', async () => {
    const { gate } = await runPreset('repo-hygiene', {
      ...HEALTHY,
      'deploy/id_ed25519': `${KEY_BLOCK}\n`,
      'certs/tls.key': `${KEY_BLOCK}\n`,
    })
    expect(gate['no key files']!.locations!.map((l) => l.file)).toEqual(['certs/tls.key', 'deploy/id_ed25519'])
    expect(gate['no private key blocks']!.status).toBe('passed')
  })

  it('fails merge-conflict markers at their lines, not the `=======` between them', async () => {
    const { gate } = await runPreset('repo-hygiene', {
      ...HEALTHY,
      'src/app.ts': 'const a = 1\n<<<<<<< HEAD\nconst b = 2\n=======\nconst b = 3\n>>>>>>> feature/x\n',
    })
    expect(gate['no merge-conflict markers']).toMatchObject({ status: 'failed' })
    expect(gate['no merge-conflict markers']!.locations!.map((l) => [l.file, l.line, l.col])).toEqual([
      ['src/app.ts', 2, 1],
      ['src/app.ts', 6, 1],
    ])
  })
})

describe('preset binary-artifacts', () => {
  it('passes source with the Gradle wrapper jar and a zip of test data', async () => {
    const { status, gate } = await runPreset('binary-artifacts', {
      'gradle/wrapper/gradle-wrapper.jar': zipBytes('META-INF/MANIFEST.MF'),
      'src/test/resources/data.zip': zipBytes('data/a.json', '{}'),
      'src/main/java/App.java': 'class App {}\n',
      'notes.exe': 'not a program\n',
    })
    expect(gate['no binary artifacts']!.status).toBe('passed')
    expect(status).toBe('passed')
  })

  it('fails a committed .exe, .jar and an ELF binary under any name, saying what each is', async () => {
    const { gate } = await runPreset('binary-artifacts', {
      'src/main/java/App.java': 'class App {}\n',
      'tools/setup.exe': peBytes(),
      'libs/vendor.jar': zipBytes('META-INF/MANIFEST.MF'),
      'scripts/helper.txt': elfBytes(),
    })
    expect(gate['no binary artifacts']).toMatchObject({
      status: 'failed',
      locations: [
        { file: 'libs/vendor.jar', message: 'Java archive' },
        { file: 'scripts/helper.txt', message: 'ELF executable' },
        { file: 'tools/setup.exe', message: 'Windows PE executable' },
      ],
    })
  })
})
