// An organisation's policies as a real npm package: packed with npm, installed offline from the
// tarball into a repository, and included with a version range.
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'error', npm_config_audit: 'false', npm_config_fund: 'false' },
  })

const POLICIES = {
  'package.json': JSON.stringify({
    name: '@acme/wf-policies',
    version: '2.1.0',
    files: ['wf.yaml', 'phases/', 'templates/'],
    wf: { plan: 'wf.yaml' },
  }),
  'wf.yaml': `version: 1
vars:
  channel: help
phases:
  - id: acme-readme
    name: README present
    gates:
      - name: readme
        files-exist: [README.md]
        hint: every Acme repository has a README
  - id: acme-support
    extends: acme-readme
    tasks:
      - template: node_modules/@acme/wf-policies/templates/SUPPORT.md.njk
        to: SUPPORT.md
    gates:
      - files-exist: [SUPPORT.md]
`,
  'phases/governance.yaml': `version: 1
phases:
  - id: acme-governance
    extends: builtin:governance
`,
  'templates/SUPPORT.md.njk': '# Support\n\nAsk in #{{ channel }}.\n',
  'README.md': 'not packed: package files only\n',
}

const PLAN = (include: string) => `version: 1\ninclude:\n  - ${include}\nphases:\n  - id: own\n`

describe('organisation policies from an npm package', () => {
  it('runs the phases of the installed package, and says what to do when it is missing, the wrong version, or lacks the file', async () => {
    const pkg = testdir(POLICIES, { git: false })
    const out = testdir({}, { git: false })
    const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', out], pkg))
    const repo = testdir({
      'package.json': '{ "name": "app", "version": "1.0.0", "private": true }\n',
      'README.md': '# app\n',
      'phases/wf.yaml': PLAN('npm:@acme/wf-policies@^2'),
    })

    const missing = await runCli(['run'], { cwd: repo })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('phases/wf.yaml:3:5')
    expect(missing.stderr).toContain('package @acme/wf-policies is not installed')
    expect(missing.stderr).toContain('npm install -D @acme/wf-policies@^2')

    npm(['install', '--offline', '--no-save', join(out, packed.filename)], repo)
    const run = await runCli(['run', '--json'], { cwd: repo })
    expect(run.code).toBe(0)
    const phases = JSON.parse(run.stdout).phases as { id: string; status: string }[]
    expect(phases.map((p) => [p.id, p.status]).sort()).toEqual([
      ['acme-readme', 'passed'],
      ['acme-support', 'passed'],
      ['own', 'passed'],
    ])
    // A template the package ships, named by its path under node_modules, filled with the package plan's vars.
    expect(readFileSync(join(repo, 'SUPPORT.md'), 'utf8')).toBe('# Support\n\nAsk in #help.\n')

    writeFileSync(join(repo, 'phases/wf.yaml'), PLAN('npm:@acme/wf-policies@^2/phases/governance.yaml'))
    const list = await runCli(['list', '--json'], { cwd: repo })
    expect(list.code).toBe(0)
    expect(JSON.parse(list.stdout).phases.map((p: { id: string }) => p.id)).toEqual(['own', 'acme-governance'])

    writeFileSync(join(repo, 'phases/wf.yaml'), PLAN('npm:@acme/wf-policies@^3'))
    const wrong = await runCli(['run'], { cwd: repo })
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('phases/wf.yaml:3:5')
    expect(wrong.stderr).toContain('@acme/wf-policies: installed 2.1.0, this plan needs ^3')
    expect(wrong.stderr).toContain('npm install -D @acme/wf-policies@^3')

    writeFileSync(join(repo, 'phases/wf.yaml'), PLAN('npm:@acme/wf-policies@^2/phases/security.yaml'))
    const noFile = await runCli(['run'], { cwd: repo })
    expect(noFile.code).toBe(2)
    expect(noFile.stderr).toContain(
      '@acme/wf-policies@2.1.0 has no plan file phases/security.yaml (looked for node_modules/@acme/wf-policies/phases/security.yaml)',
    )

    writeFileSync(join(repo, 'phases/wf.yaml'), PLAN('npm:@acme/wf-policies'))
    const unpinned = await runCli(['validate'], { cwd: repo })
    expect(unpinned.code).toBe(2)
    expect(unpinned.stderr).toContain('include `npm:@acme/wf-policies` names no version range')

    rmSync(join(repo, 'node_modules'), { recursive: true })
    writeFileSync(join(repo, 'phases/wf.yaml'), PLAN('npm:@acme/wf-policies@^2'))
    expect((await runCli(['run'], { cwd: repo })).stderr).toContain('npm install -D @acme/wf-policies@^2')
  })
})
