import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo } from '../helpers.js'
import { checkPreset, type PresetGateResult } from './check-preset.js'

const POLICY = `# Security policy

## Reporting a vulnerability

Please report vulnerabilities privately to security@acme.dev, or through
https://github.com/acme/app/security/advisories/new. We answer within 3 days
and disclose the issue once a fix is released.
`

describe('builtin:security-policy', () => {
  it('passes a policy with a contact and disclosure text, in any case and place GitHub accepts', async () => {
    for (const path of ['SECURITY.md', '.github/security.md', 'docs/SECURITY.rst']) {
      const { code, gates } = await checkPreset('security-policy', { [path]: POLICY })
      expect(
        gates.filter((g) => g.status !== 'passed'),
        path,
      ).toEqual([])
      expect(code).toBe(0)
    }
  })

  it('takes GitHub private vulnerability reporting or the Security tab, named in words (across a line break), as the contact', async () => {
    const { byName } = await checkPreset('security-policy', {
      'SECURITY.md':
        "# Security\n\nDo not open a public issue. Use the repository's private\nvulnerability reporting to report a vulnerability.\n",
    })
    expect(byName['security policy names a contact']!.status).toBe('passed')
    const tab = await checkPreset('security-policy', {
      'SECURITY.md':
        '# Security\n\nReport a vulnerability with the button under the Security tab of this repository.\n',
    })
    expect(tab.byName['security policy names a contact']!.status).toBe('passed')
  })

  it('fails without a policy, naming where it looks', async () => {
    const { code, byName } = await checkPreset('security-policy', {})
    expect(code).toBe(1)
    expect(byName['security policy exists']).toMatchObject({
      status: 'failed',
      message: 'missing: {,.github/,docs/}SECURITY{.md,.markdown,.rst,.adoc,.txt}',
    })
  })

  it.each(['', '\n  \n'])(
    'fails an empty SECURITY.md once, by the contact gate, located at the file (%j)',
    async (text) => {
      const { code, gates, byName } = await checkPreset('security-policy', { 'SECURITY.md': text })
      expect(code).toBe(1)
      expect(gates.filter((g) => g.status !== 'passed').map((g) => [g.name, g.locations])).toEqual([
        ['security policy names a contact', [expect.objectContaining({ file: 'SECURITY.md' })]],
      ])
      expect(byName['security policy exists']!.status).toBe('passed')
    },
  )

  it('fails boilerplate that names no contact', async () => {
    const { byName } = await checkPreset('security-policy', {
      '.github/SECURITY.md': '# Security\n\nPlease report vulnerabilities responsibly.\n',
    })
    expect(byName['security policy names a contact']).toMatchObject({
      status: 'failed',
      locations: [expect.objectContaining({ file: '.github/SECURITY.md' })],
    })
    expect(byName['security policy explains disclosure']!.status).toBe('passed')
  })

  it('fails a contact without a word on reporting or disclosure', async () => {
    const { byName } = await checkPreset('security-policy', {
      'SECURITY.md': '# Security\n\nMail security@acme.dev.\n',
    })
    expect(byName['security policy names a contact']!.status).toBe('passed')
    expect(byName['security policy explains disclosure']).toMatchObject({
      status: 'failed',
      locations: [expect.objectContaining({ file: 'SECURITY.md' })],
    })
  })
})

// Assembled so that no scanner flags this file itself.
const AWS_KEY = ['AKIA', 'QYLPMN5HHHFPZAM2'].join('')

describe('builtin:secrets', () => {
  it('passes a clean repository with .env examples and mode files, test-fixture .env files and a public certificate', async () => {
    const { code, gates } = await checkPreset('secrets', {
      'src/app.js': 'export const region = process.env.AWS_REGION\n',
      '.env.example': 'API_TOKEN=\n',
      '.env.development': 'VITE_API_URL=http://localhost:3000\n',
      'playground/env/.env': 'VITE_TITLE=fixture\n',
      'playground/env/.env.production.local': 'VITE_TITLE=fixture\n',
      'packages/app/src/__tests__/fixtures/.env': 'A=1\n',
      'test/fixtures/keys/server.key': 'fixture\n',
      'certs/ca.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    })
    expect(gates.filter((g) => g.status !== 'passed')).toEqual([])
    expect(code).toBe(0)
  })

  it('fails a committed credential at its file and line', async () => {
    const { code, byName } = await checkPreset('secrets', {
      'src/config.js': `export const config = {\n  region: 'eu-west-1',\n  key: '${AWS_KEY}',\n}\n`,
    })
    expect(code).toBe(1)
    expect(byName['no secrets in files']).toMatchObject({
      status: 'failed',
      message: '1 secret in 1 file: src/config.js:3',
      locations: [{ file: 'src/config.js', line: 3, col: 9, message: 'AWS Access Key ID: AKIA****************' }],
    })
  })

  it('fails private key files and keystores outside test fixtures, each located', async () => {
    const { byName } = await checkPreset('secrets', {
      'deploy/id_ed25519': '\nkey material\n',
      'certs/server.key': 'key material\n',
      'signing/release.p12': 'keystore\n',
    })
    expect(byName['no private key files']).toMatchObject({
      status: 'failed',
      locations: [
        expect.objectContaining({ file: 'certs/server.key', line: 1, col: 1 }),
        expect.objectContaining({ file: 'deploy/id_ed25519', line: 1, col: 1 }),
      ],
    })
    expect(byName['no keystores']).toMatchObject({
      status: 'failed',
      locations: [expect.objectContaining({ file: 'signing/release.p12' })],
    })
  })

  it('reports a private key file once, as a key file, though the secret scan would find the key in it', async () => {
    const key = [
      '-----BEGIN OPENSSH',
      'PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACBtestonlytestonlytestonlytestonlytestonly\n-----END OPENSSH PRIVATE KEY-----\n',
    ].join(' ')
    const { gates } = await checkPreset('secrets', { 'deploy/id_rsa': key, 'config/app.env.example': key })
    expect(gates.filter((g) => g.status !== 'passed').map((g) => [g.name, g.locations?.map((l) => l.file)])).toEqual([
      ['no secrets in files', ['config/app.env.example']],
      ['no private key files', ['deploy/id_rsa']],
    ])
  })

  it('fails .env and .env.local files outside test fixtures at each variable they set', async () => {
    const { byName } = await checkPreset('secrets', {
      '.env': '# local settings\nAPI_TOKEN=abc123\n',
      'web/.env.local': 'export DB_URL=postgres://localhost/app\n',
      'services/api/.env.staging.local': 'A=1\n',
    })
    expect(byName['no .env files']).toMatchObject({
      status: 'failed',
      locations: [
        expect.objectContaining({ file: '.env', line: 2, col: 1 }),
        expect.objectContaining({ file: 'services/api/.env.staging.local', line: 1, col: 1 }),
        expect.objectContaining({ file: 'web/.env.local', line: 1, col: 1 }),
      ],
    })
    expect(JSON.stringify(byName['no .env files'])).not.toContain('abc123')
  })

  it('passes a .env file and a key file that git ignores', async () => {
    const cwd = gitRepo({ '.gitignore': '.env\nconfig/master.key\n', 'config/app.rb': '# app\n' })
    writeFileSync(join(cwd, '.env'), 'API_TOKEN=abc123\n')
    writeFileSync(join(cwd, 'config/master.key'), '0123456789abcdef0123456789abcdef\n')
    mkdirSync(join(cwd, 'phases'))
    writeFileSync(join(cwd, 'phases/wf.yaml'), 'version: 1\nphases:\n  - id: p\n    extends: builtin:secrets\n')
    const result = await runCli(['check', '--json'], { cwd })
    const gates: PresetGateResult[] = JSON.parse(result.stdout).phases[0].gates
    expect(gates.filter((g) => g.status !== 'passed')).toEqual([])
    expect(result.code).toBe(0)
  })
})
