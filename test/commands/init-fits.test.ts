import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUILTIN_PHASES } from '../../src/plan/builtin-phases.js'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'

/** A fresh git repository (no commits) holding `files`. */
function repo(files: Record<string, string> = {}): string {
  const cwd = testdir(files, { git: false })
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd })
  return cwd
}

/** Every file in the work tree but .git/ and .wf/, repository-relative. */
function workTree(cwd: string): string[] {
  return readdirSync(cwd, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(cwd, join(e.parentPath, e.name)))
    .filter((f) => !/^\.(git|wf)\//.test(f))
    .sort()
}

/** `wf init ARGS` then `wf run --json`: the files written, the run's exit code and every gate's status. */
async function initAndRun(cwd: string, args: string[] = []) {
  const before = new Map(workTree(cwd).map((f) => [f, readFileSync(join(cwd, f), 'utf8')]))
  const init = await runCli(['init', ...args], { cwd })
  expect(init.code, init.stderr).toBe(0)
  const run = await runCli(['run', '--json'], { cwd })
  const json = JSON.parse(run.stdout) as {
    phases: { id: string; status: string; gates: { name: string; status: string; hint?: string }[] }[]
  }
  const written = workTree(cwd).filter((f) => before.get(f) !== readFileSync(join(cwd, f), 'utf8'))
  const gates = Object.fromEntries(json.phases.flatMap((p) => p.gates.map((g) => [`${p.id}: ${g.name}`, g])))
  return { init, run, json, written, gates, plan: readFileSync(join(cwd, 'phases/governance.yaml'), 'utf8') }
}

/** No written file holds a placeholder contact or an owner nobody gave: hints may show the flag's syntax, nothing else names anyone. */
function expectNothingInvented(cwd: string, written: string[]) {
  for (const file of written) {
    const text = readFileSync(join(cwd, file), 'utf8')
    expect(text, file).not.toMatch(/example\.(com|org|net)|maintainers"|security@/i)
    const named = text
      .split('\n')
      .filter((line) => !/^\s*hint:/.test(line))
      .join('\n')
    expect(named, file).not.toMatch(/(^|[\s"'])@[A-Za-z0-9]/)
  }
}

const LAYOUTS: Record<string, { files: Record<string, string>; presets: string[] }> = {
  empty: { files: {}, presets: [] },
  node: {
    presets: ['node'],
    files: {
      'README.md': '# app\n\nA small library that formats dates for humans.\n',
      'package.json': `${JSON.stringify(
        {
          name: 'app',
          version: '1.0.0',
          description: 'Formats dates for humans',
          license: 'MIT',
          repository: { type: 'git', url: 'git+https://github.com/octo/app.git' },
          engines: { node: '>=20' },
          type: 'module',
        },
        null,
        2,
      )}\n`,
      'package-lock.json': `${JSON.stringify(
        {
          name: 'app',
          version: '1.0.0',
          lockfileVersion: 3,
          requires: true,
          packages: { '': { name: 'app', version: '1.0.0', license: 'MIT', engines: { node: '>=20' } } },
        },
        null,
        2,
      )}\n`,
    },
  },
  python: {
    presets: ['python'],
    files: {
      'README.md': '# tool\n\nA command-line tool that tidies CSV files.\n',
      'pyproject.toml':
        '[project]\nname = "tool"\nversion = "1.0.0"\ndescription = "Tidies CSV files"\nlicense = "MIT"\nrequires-python = ">=3.10"\n',
    },
  },
  go: {
    presets: ['go'],
    files: {
      'README.md': '# svc\n\nA service that answers health checks.\n',
      'go.mod': 'module github.com/octo/svc\n\ngo 1.22\n',
      'go.sum': '',
      'main.go': 'package main\n\nfunc main() {}\n',
    },
  },
}

describe('wf init fits the repository', () => {
  for (const [layout, { files, presets }] of Object.entries(LAYOUTS)) {
    it(`${layout} layout: the plan extends what fits, invents no contact or owner, and \`wf run\` is green`, async () => {
      const cwd = repo(files)
      const { run, json, written, gates, plan } = await initAndRun(cwd)
      expect(run.code, run.stdout).toBe(0)
      expect(json.phases.every((p) => p.status === 'passed')).toBe(true)
      expect(written).toEqual(['.gitignore', 'phases/governance.yaml'])
      expectNothingInvented(cwd, written)
      // An ecosystem preset is extended when the language is there and the preset exists in this wf.
      for (const name of ['node', 'python', 'go', 'rust', 'java'])
        expect(plan.includes(`extends: builtin:${name}`), name).toBe(presets.includes(name) && name in BUILTIN_PHASES)
      expect(plan).not.toContain('contracts:')
      // What wf could not write is a warning that names the flag.
      expect(gates['governance-files: security policy']).toMatchObject({
        status: 'warned',
        hint: expect.stringContaining('--security-contact EMAIL|URL'),
      })
      expect(gates['governance-files: code owners']).toMatchObject({
        status: 'warned',
        hint: expect.stringContaining('--owner @user|@org/team'),
      })
      expect(gates['baseline: readme']?.status).toBe(layout === 'empty' ? 'warned' : 'passed')
    })
  }

  it('with --security-contact and --owner, SECURITY.md and CODEOWNERS carry exactly those', async () => {
    const cwd = repo({ 'README.md': '# app\n' })
    const { run, written, gates } = await initAndRun(cwd, [
      '--security-contact',
      'security@acme.dev',
      '--owner',
      '@acme/core',
      '--owner',
      '@octo',
    ])
    expect(run.code).toBe(0)
    expect(written).toEqual([
      '.github/CODEOWNERS',
      '.gitignore',
      'SECURITY.md',
      'phases/governance.yaml',
      'templates/SECURITY.md.njk',
    ])
    expect(readFileSync(join(cwd, 'SECURITY.md'), 'utf8')).toContain(
      'Report it privately\nby email to **security@acme.dev**, with:',
    )
    expect(readFileSync(join(cwd, '.github/CODEOWNERS'), 'utf8')).toMatch(/^\* @acme\/core @octo$/m)
    expect(gates['governance-files: security policy says how to report']?.status).toBe('passed')
    expect(gates['governance-files: code owners']?.status).toBe('passed')

    const url = repo({ 'README.md': '# app\n' })
    await initAndRun(url, ['--security-contact', 'https://acme.dev/security'])
    expect(readFileSync(join(url, 'SECURITY.md'), 'utf8')).toContain(
      'Report it privately\nat **https://acme.dev/security**, with:',
    )
  })

  it("keeps the repository's own SECURITY.md and CODEOWNERS, checks them, and never suggests --force", async () => {
    const policy = '# Security\n\nMail sec@octo.dev.\n'
    const cwd = repo({ 'README.md': '# app\n', '.github/security.md': policy, CODEOWNERS: '* @octo\n' })
    const { init, run, written, gates, plan } = await initAndRun(cwd, ['--security-contact', 'security@acme.dev'])
    expect(run.code).toBe(0)
    expect(readFileSync(join(cwd, '.github/security.md'), 'utf8')).toBe(policy)
    expect(existsSync(join(cwd, 'SECURITY.md'))).toBe(false)
    expect(written).toEqual(['.gitignore', 'phases/governance.yaml'])
    expect(plan).not.toContain('template:')
    expect(gates['governance-files: security policy']).toMatchObject({ status: 'passed' })
    expect(gates['governance-files: code owners']).toMatchObject({ status: 'passed' })
    expect(init.stdout + init.stderr).not.toContain('--force')
    expect(run.stdout + run.stderr).not.toContain('--force')
  })

  it('generates contracts only where contracts/ holds JSON Schemas and there is TypeScript to write', async () => {
    const schema = '{ "type": "object", "properties": { "id": { "type": "string" } } }\n'
    const node = repo({ ...LAYOUTS.node?.files, 'contracts/event.schema.json': schema })
    const withSchemas = await initAndRun(node)
    expect(withSchemas.run.code).toBe(0)
    expect(withSchemas.json.phases.map((p) => p.id)).toContain('contracts')
    const python = repo({
      'README.md': '# tool\n',
      'pyproject.toml': '[project]\nname = "tool"\n',
      'contracts/event.schema.json': schema,
    })
    expect((await initAndRun(python)).plan).not.toContain('contracts:')
  })

  it('refuses a made-up contact or owner syntax', async () => {
    const cwd = repo()
    const contact = await runCli(['init', '--security-contact', 'the security team'], { cwd })
    expect(contact.code).toBe(2)
    expect(contact.stderr).toContain(
      '--security-contact the security team is neither an email address nor an http(s) URL',
    )
    const owner = await runCli(['init', '--owner', 'octo'], { cwd })
    expect(owner.code).toBe(2)
    expect(owner.stderr).toContain('--owner octo is not a GitHub user, team or email address')
    expect(existsSync(join(cwd, 'phases'))).toBe(false)
  })
})
