import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { git, gitRepo, hasStackTrace, repoRoot, runWf, testdir } from '../helpers.js'

const library = JSON.parse(readFileSync(join(repoRoot, 'templates/library.json'), 'utf8')) as {
  templates: Record<string, { to: string; vars?: Record<string, { default?: unknown }> }>
}
const names = Object.keys(library.templates)

/** A git repository with an origin remote and a user, as templates read facts from them. */
function repo(files: Record<string, string> = {}): string {
  const cwd = gitRepo({
    'README.md': '# widgets\n\nWidgets and gadgets for the Acme platform.\n',
    '.gitignore': '.wf/\n',
    ...files,
  })
  git(cwd, 'remote', 'add', 'origin', 'git@github.com:acme/widgets.git')
  git(cwd, 'config', 'user.name', 'Ada Lovelace')
  git(cwd, 'config', 'user.email', 'ada@acme.dev')
  return cwd
}
const read = (cwd: string, path: string) => readFileSync(join(cwd, path), 'utf8')
const plan = (tasks: string, gates = '') =>
  `version: 1\nphases:\n  - id: files\n    tasks:\n${tasks}${gates ? `    gates:\n${gates}` : ''}`

describe('built-in template library', () => {
  it('has every template the library promises, each with a usual output path', () => {
    expect([...names].sort()).toEqual([
      'bug-report',
      'ci-workflow',
      'code-of-conduct',
      'codeowners',
      'contributing',
      'dependabot',
      'editorconfig',
      'feature-request',
      'license-apache-2.0',
      'license-mit',
      'pull-request-template',
      'security-policy',
    ])
  })

  it('renders every template with its defaults, filled from git facts, with nothing left undefined', async () => {
    const cwd = repo()
    const used = new Set<string>()
    for (const name of names) {
      // Both licenses go to LICENSE by default; the second one goes elsewhere.
      const to = library.templates[name]!.to
      const args = used.has(to) ? ['--to', `alt/${to}`] : []
      used.add(to)
      const result = await runWf(['generate', 'template', `builtin:${name}`, ...args, '--json'], { cwd })
      expect(result.code, `${name}: ${result.stderr}`).toBe(0)
      const out = JSON.parse(result.stdout)
      expect(out).toMatchObject({ template: `builtin:${name}`, action: 'created', path: args[1] ?? to })
      const text = read(cwd, out.path)
      expect(text.length, name).toBeGreaterThan(40)
      expect(text, name).not.toMatch(/(?<!\$)\{\{|\{%|undefined|\[object Object\]/)
    }
    // Defaults come from the remote, not from whoever runs wf, so every machine generates the same bytes.
    const licenses = [read(cwd, 'LICENSE'), read(cwd, 'alt/LICENSE')].join('\n')
    expect(licenses).toContain(`Copyright (c) ${new Date().getFullYear()} acme`)
    expect(licenses).toContain(`   Copyright ${new Date().getFullYear()} acme`)
    expect(licenses).not.toContain('Ada')
    expect(read(cwd, 'SECURITY.md')).toContain(
      'open the **Security** tab of\n  https://github.com/acme/widgets and choose **Report a vulnerability**.',
    )
    expect(read(cwd, 'SECURITY.md')).not.toContain('by email')
    expect(read(cwd, '.github/CODEOWNERS')).toMatch(/^\* @acme$/m)
    expect(read(cwd, 'CONTRIBUTING.md')).toContain('# Contributing to widgets')
  })

  it('renders every template with variables given', async () => {
    const cwd = repo()
    const vars: Record<string, string[]> = {
      'license-mit': ['holder=Acme Inc.', 'year=2031'],
      'license-apache-2.0': ['holder=Acme Inc.', 'year=2031'],
      'security-policy': ['contact=security@acme.dev', 'project=Widgets', 'disclosure_days=30'],
      codeowners: ['owners=@acme/core', 'paths={"/docs/":"@acme/docs"}'],
      contributing: ['project=Widgets', 'test_command=make test'],
      'code-of-conduct': ['contact=conduct@acme.dev'],
      'bug-report': ['bug_label=type: bug'],
      'feature-request': ['feature_label=idea'],
      'pull-request-template': ['test_command=make test'],
      dependabot: ['ecosystems=["npm","docker"]', 'interval=daily'],
      'ci-workflow': ['node_version=22', 'command=npx wf check'],
      editorconfig: ['indent_size=4'],
    }
    const expected: Record<string, string[]> = {
      'license-mit': ['Copyright (c) 2031 Acme Inc.'],
      'license-apache-2.0': ['Copyright 2031 Acme Inc.', 'END OF TERMS AND CONDITIONS', 'Version 2.0, January 2004'],
      'security-policy': [
        '- by email to **security@acme.dev**.',
        '**Report a vulnerability**;',
        'Widgets and its users',
        '30 days',
      ],
      codeowners: ['* @acme/core', '/docs/ @acme/docs'],
      contributing: ['make test', '# Contributing to Widgets'],
      'code-of-conduct': ['conduct@acme.dev', 'Contributor Covenant'],
      'bug-report': ['type: bug'],
      'feature-request': ['[idea]'],
      'pull-request-template': ['`make test`'],
      dependabot: ['package-ecosystem: docker', 'interval: daily'],
      'ci-workflow': ['node-version: 22', 'run: npx wf check'],
      editorconfig: ['indent_size = 4'],
    }
    expect(Object.keys(vars).sort()).toEqual([...names].sort())
    for (const name of names) {
      const to = `out/${name}`
      const result = await runWf(
        ['generate', 'template', `builtin:${name}`, '--to', to, ...vars[name]!.flatMap((v) => ['--var', v])],
        { cwd },
      )
      expect(result.code, `${name}: ${result.stderr}`).toBe(0)
      for (const text of expected[name]!) expect(read(cwd, to), name).toContain(text)
    }
  })

  it('writes YAML files that parse and have the shape GitHub expects', async () => {
    const cwd = repo()
    for (const name of ['bug-report', 'feature-request', 'dependabot', 'ci-workflow'])
      expect((await runWf(['generate', 'template', `builtin:${name}`], { cwd })).code).toBe(0)
    for (const form of ['bug_report', 'feature_request']) {
      const doc = parse(read(cwd, `.github/ISSUE_TEMPLATE/${form}.yml`))
      expect(doc.name).toBeTruthy()
      expect(doc.description).toBeTruthy()
      expect(doc.body.length).toBeGreaterThan(1)
      const ids = doc.body.filter((b: { id?: string }) => b.id).map((b: { id: string }) => b.id)
      expect(new Set(ids).size).toBe(ids.length)
      for (const item of doc.body)
        expect(['markdown', 'textarea', 'input', 'dropdown', 'checkboxes']).toContain(item.type)
    }
    const dependabot = parse(read(cwd, '.github/dependabot.yml'))
    expect(dependabot.version).toBe(2)
    expect(dependabot.updates.map((u: { 'package-ecosystem': string }) => u['package-ecosystem'])).toEqual([
      'npm',
      'github-actions',
    ])
    const workflow = parse(read(cwd, '.github/workflows/wf.yml'))
    expect(workflow.permissions).toEqual({ contents: 'read' })
    expect(workflow.on.push.branches).toEqual(['main'])
    for (const step of workflow.jobs.wf.steps.filter((s: { uses?: string }) => s.uses))
      expect(step.uses).toMatch(/@[0-9a-f]{40}$/)
  })

  it('produces a repository that passes the built-in governance checks', async () => {
    const cwd = repo({
      'phases/p.yaml': [
        'version: 1',
        'phases:',
        '  - id: files',
        '    tasks:',
        ...['license-apache-2.0', 'security-policy', 'codeowners', 'contributing', 'dependabot', 'ci-workflow'].map(
          (n) => `      - { template: "builtin:${n}", to: ${library.templates[n]!.to} }`,
        ),
        '  - id: governance',
        '    needs: [files]',
        '    extends: builtin:governance',
        '',
      ].join('\n'),
    })
    const result = await runWf(['run', '--json'], { cwd })
    const phases = JSON.parse(result.stdout).phases
    const failed = phases[1].gates.filter((g: { status: string }) => g.status !== 'passed')
    expect(failed).toEqual([])
    expect(result.code).toBe(0)
  })
})

describe('template tasks', () => {
  it('never overwrites a hand-edited file without --force, and shows the diff', async () => {
    const cwd = repo({
      'phases/p.yaml': plan(
        '      - { template: "builtin:security-policy", to: SECURITY.md, vars: { contact: a@acme.dev } }\n',
      ),
    })
    expect((await runWf(['run'], { cwd })).code).toBe(0)
    writeFileSync(join(cwd, 'SECURITY.md'), `${read(cwd, 'SECURITY.md')}\nOur own addition.\n`)
    writeFileSync(
      join(cwd, 'phases/p.yaml'),
      plan('      - { template: "builtin:security-policy", to: SECURITY.md, vars: { contact: b@acme.dev } }\n'),
    )
    const edited = read(cwd, 'SECURITY.md')
    const result = await runWf(['run', '--reporter', 'plain'], { cwd })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('SECURITY.md was changed by hand and not overwritten')
    expect(result.stdout).toMatch(/^.*-.*a@acme\.dev.*$/m)
    expect(result.stdout).toMatch(/^.*\+.*b@acme\.dev.*$/m)
    expect(result.stdout).toMatch(/-Our own addition\./)
    expect(read(cwd, 'SECURITY.md')).toBe(edited)
    const forced = await runWf(['run', '--force'], { cwd })
    expect(forced.code).toBe(0)
    expect(read(cwd, 'SECURITY.md')).toContain('b@acme.dev')
    expect(read(cwd, 'SECURITY.md')).not.toContain('Our own addition')
  })

  it('updates a file nobody edited when its output changes, and leaves it alone when it does not', async () => {
    const cwd = repo({
      'phases/p.yaml': plan('      - { template: "builtin:license-mit", to: LICENSE, vars: { holder: Acme } }\n'),
    })
    expect((await runWf(['run'], { cwd })).code).toBe(0)
    writeFileSync(
      join(cwd, 'phases/p.yaml'),
      plan('      - { template: "builtin:license-mit", to: LICENSE, vars: { holder: Acme Inc. } }\n'),
    )
    const result = await runWf(['run', '--reporter', 'plain'], { cwd })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/updated\s+LICENSE/)
    expect(read(cwd, 'LICENSE')).toContain('Acme Inc.')
    const ledger = JSON.parse(read(cwd, '.wf/ledger.json'))
    expect(ledger.generated.LICENSE).toMatchObject({ source: 'builtin:license-mit', phase: 'files' })
    expect(ledger.generated.LICENSE.hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('refuses to overwrite a file wf did not write, and honours overwrite: never and always', async () => {
    const cwd = repo({
      LICENSE: 'Proprietary. All rights reserved.\n',
      'phases/p.yaml': plan('      - { template: "builtin:license-mit", to: LICENSE }\n'),
    })
    const refused = await runWf(['run', '--reporter', 'plain'], { cwd })
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain('exists but was not written by wf')
    expect(read(cwd, 'LICENSE')).toBe('Proprietary. All rights reserved.\n')
    writeFileSync(
      join(cwd, 'phases/p.yaml'),
      plan(
        '      - { template: "builtin:license-mit", to: LICENSE, overwrite: never }\n      - { template: "builtin:editorconfig", to: .editorconfig, overwrite: never }\n',
      ),
    )
    const kept = await runWf(['run', '--reporter', 'plain'], { cwd })
    expect(kept.code).toBe(0)
    expect(read(cwd, 'LICENSE')).toBe('Proprietary. All rights reserved.\n')
    expect(existsSync(join(cwd, '.editorconfig'))).toBe(true)
    writeFileSync(
      join(cwd, 'phases/p.yaml'),
      plan('      - { template: "builtin:license-mit", to: LICENSE, overwrite: always }\n'),
    )
    expect((await runWf(['run'], { cwd })).code).toBe(0)
    expect(read(cwd, 'LICENSE')).toContain('MIT License')
  })

  it('--dry-run prints a unified diff and changes nothing', async () => {
    const cwd = repo({
      'phases/p.yaml': plan(
        '      - { template: "builtin:editorconfig", to: .editorconfig }\n      - { template: "builtin:license-mit", to: LICENSE, vars: { holder: Acme } }\n',
      ),
    })
    const first = await runWf(['run', '--dry-run', '--reporter', 'plain'], { cwd })
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('would create .editorconfig')
    expect(first.stdout).toContain('+++ b/.editorconfig')
    expect(first.stdout).toContain('+indent_size = 2')
    expect(existsSync(join(cwd, '.editorconfig'))).toBe(false)
    expect(existsSync(join(cwd, '.wf/ledger.json'))).toBe(false)
    expect((await runWf(['run'], { cwd })).code).toBe(0)
    writeFileSync(
      join(cwd, 'phases/p.yaml'),
      plan(
        '      - { template: "builtin:editorconfig", to: .editorconfig }\n      - { template: "builtin:license-mit", to: LICENSE, vars: { holder: Acme Inc. } }\n',
      ),
    )
    const before = read(cwd, 'LICENSE')
    const second = await runWf(['run', '--dry-run', '--reporter', 'plain'], { cwd })
    expect(second.stdout).toContain('would update LICENSE')
    expect(second.stdout).toContain('-Copyright (c)')
    expect(second.stdout).toMatch(/\+Copyright \(c\) \d+ Acme Inc\./)
    expect(second.stdout).toContain('is current: .editorconfig')
    expect(read(cwd, 'LICENSE')).toBe(before)
    const standalone = await runWf(
      ['generate', 'template', 'builtin:license-mit', '--var', 'holder=Someone Else', '--dry-run'],
      { cwd },
    )
    expect(standalone.code).toBe(0)
    expect(standalone.stdout).toContain('would update LICENSE')
    expect(standalone.stdout).toContain('+Copyright (c)')
    expect(read(cwd, 'LICENSE')).toBe(before)
  })

  it('refuses output paths that leave the repository, through .. or a symbolic link', async () => {
    const outside = testdir({}, { git: false })
    const cwd = repo({
      'phases/p.yaml': plan(
        '      - { template: "builtin:editorconfig", to: linked/.editorconfig }\n      - { template: "builtin:license-mit", to: LICENSE }\n',
      ),
    })
    symlinkSync(outside, join(cwd, 'linked'))
    const viaLink = await runWf(['run', '--reporter', 'plain'], { cwd })
    expect(viaLink.code).toBe(1)
    expect(viaLink.stdout).toContain('leads outside the repository through a symbolic link')
    expect(existsSync(join(outside, '.editorconfig'))).toBe(false)
    writeFileSync(join(outside, 'target'), 'untouched\n')
    symlinkSync(join(outside, 'target'), join(cwd, 'NOTICE'))
    const viaFileLink = await runWf(['generate', 'template', 'builtin:license-mit', '--to', 'NOTICE'], { cwd })
    expect(viaFileLink.code).toBe(2)
    expect(viaFileLink.stderr).toContain('symbolic link')
    expect(read(outside, 'target')).toBe('untouched\n')
    const dotdot = await runWf(['generate', 'template', 'builtin:license-mit', '--to', '../escape.txt'], { cwd })
    expect(dotdot.code).toBe(2)
    expect(dotdot.stderr).toContain('outside the repository')
    for (const [to, why] of [
      ['README.md/LICENSE', 'README.md is a file, not a directory'],
      ['docs/', 'it names a directory'],
      ['.', 'it is the repository root'],
    ]) {
      const refused = await runWf(['generate', 'template', 'builtin:license-mit', '--to', to!], { cwd })
      expect(refused.code, to).toBe(2)
      expect(refused.stderr).toContain(why)
      expect(hasStackTrace(refused.stderr)).toBe(false)
    }
    expect(existsSync(join(cwd, 'docs'))).toBe(false)
    const inPlan = repo({ 'phases/p.yaml': plan('      - { template: "builtin:license-mit", to: ../escape.txt }\n') })
    const invalid = await runWf(['run'], { cwd: inPlan })
    expect(invalid.code).toBe(2)
    expect(invalid.stderr).toMatch(/p\.yaml:\d+:\d+/)
    expect(existsSync(join(inPlan, '..', 'escape.txt'))).toBe(false)
  })

  it('checks a directory again after a command ran: a link made by a task between two template tasks is refused', async () => {
    const outside = testdir({}, { git: false })
    const cwd = repo({
      'phases/p.yaml': plan(
        `${[
          '      - { template: "builtin:editorconfig", to: out/first/.editorconfig }',
          `      - run: "rm -rf out/first && ln -s '${outside}' out/first"`,
          '      - { template: "builtin:license-mit", to: out/first/LICENSE }',
        ].join('\n')}\n`,
      ),
    })
    const result = await runWf(['run', '--reporter', 'plain'], { cwd })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('leads outside the repository through a symbolic link')
    expect(existsSync(join(outside, 'LICENSE'))).toBe(false)
  })

  it('fingerprints what is on disk after the phase: a file a task removes after a template wrote it is not recorded', async () => {
    const cwd = repo({
      'phases/p.yaml': plan(
        '      - { template: "builtin:editorconfig", to: kept/.editorconfig }\n      - { template: "builtin:license-mit", to: gone/LICENSE }\n      - run: "rm gone/LICENSE"\n',
      ),
    })
    const result = await runWf(['run', '--reporter', 'plain'], { cwd })
    expect(result.code, result.stdout).toBe(0)
    const files = Object.keys(JSON.parse(read(cwd, '.wf/ledger.json')).passed.files.inputs.files)
    expect(files).toContain('kept/.editorconfig')
    expect(files).not.toContain('gone/LICENSE')
    const verify = await runWf(['ledger', 'verify'], { cwd })
    expect(verify.code, verify.stdout + verify.stderr).toBe(0)
  })

  it('leaves generated files out of whole-tree fingerprints: the second run is up to date, an edit re-runs only the generator', async () => {
    const cwd = repo({
      'phases/p.yaml': [
        'version: 1',
        'phases:',
        '  - id: baseline',
        '    gates: [{ files-exist: [README.md] }]',
        '  - id: files',
        '    needs: [baseline]',
        '    tasks:',
        '      - { template: "builtin:security-policy", to: SECURITY.md }',
        '  - id: last',
        '    needs: [files]',
        '    gates: [{ files-exist: [SECURITY.md] }]',
        '',
      ].join('\n'),
    })
    expect((await runWf(['run'], { cwd })).code).toBe(0)
    const again = await runWf(['run', '--json'], { cwd })
    expect(JSON.parse(again.stdout).phases.map((p: { status: string }) => p.status)).toEqual([
      'up-to-date',
      'up-to-date',
      'up-to-date',
    ])
    // A hand edit of the generated file is its generator's business (it reports the drift); baseline stays up to date.
    writeFileSync(join(cwd, 'SECURITY.md'), `${read(cwd, 'SECURITY.md')}\nedited\n`)
    const edited = await runWf(['run', '--json'], { cwd })
    expect(edited.code).toBe(1)
    expect(JSON.parse(edited.stdout).phases.map((p: { id: string; status: string }) => `${p.id}:${p.status}`)).toEqual([
      'baseline:up-to-date',
      'files:failed',
      'last:blocked',
    ])
    // Any other file still counts for a phase without inputs.
    writeFileSync(join(cwd, 'notes.txt'), 'new\n')
    const explained = await runWf(['explain', 'baseline'], { cwd })
    expect(explained.stdout).toContain('baseline would run')
    expect(explained.stdout).toContain('working tree')
  })

  it('keeps in the whole tree what no generator of the plan writes: files of `wf generate template`, kept `overwrite: never` files', async () => {
    const cwd = repo({
      'templates/c.njk': 'export const c = 1\n',
      'src/config.ts': 'export const config = {}\n',
      'phases/p.yaml':
        'version: 1\nphases:\n  - id: test\n    tasks: [{ run: "true" }]\n  - id: scaffold\n    tasks:\n      - { template: "builtin:editorconfig", to: src/config.ts, overwrite: never }\n',
    })
    expect((await runWf(['generate', 'template', 'templates/c.njk', '--to', 'src/c.ts'], { cwd })).code).toBe(0)
    expect((await runWf(['run'], { cwd })).code).toBe(0)
    // The kept file is not wf's: the second run is up to date all the same.
    const again = await runWf(['run', '--json'], { cwd })
    expect(JSON.parse(again.stdout).phases.map((p: { status: string }) => p.status)).toEqual([
      'up-to-date',
      'up-to-date',
    ])
    // A file generated outside the plan counts for phases that watch the whole tree.
    writeFileSync(join(cwd, 'src', 'c.ts'), 'export const c = 2\n')
    const edited = await runWf(['run', '--json'], { cwd })
    expect(JSON.parse(edited.stdout).phases.map((p: { id: string; status: string }) => `${p.id}:${p.status}`)).toEqual([
      'test:passed',
      'scaffold:passed',
    ])
  })

  it('renders a template that an earlier phase of the same run rewrote, as it is now', async () => {
    const cwd = repo({
      'templates/t.njk': 'OLD\n',
      'templates/source.njk': 'NEW\n',
      'phases/p.yaml': [
        'version: 1',
        'phases:',
        '  - id: p1',
        '    tasks: [{ template: templates/t.njk, to: out1.txt }]',
        '  - id: p2',
        '    needs: [p1]',
        '    tasks: [{ template: templates/source.njk, to: templates/t.njk, overwrite: always }]',
        '  - id: p3',
        '    needs: [p2]',
        '    tasks: [{ template: templates/t.njk, to: out3.txt }]',
        '',
      ].join('\n'),
    })
    const result = await runWf(['run', '--reporter', 'plain'], { cwd })
    expect(result.code, result.stdout).toBe(0)
    expect(read(cwd, 'out1.txt')).toBe('OLD\n')
    expect(read(cwd, 'out3.txt')).toBe('NEW\n')
  })

  it('does not read a template through a symbolic link that leads outside the repository', async () => {
    const outside = testdir({ 'secret.njk': 'outside content\n' }, { git: false })
    const cwd = repo()
    mkdirSync(join(cwd, 'templates'))
    symlinkSync(join(outside, 'secret.njk'), join(cwd, 'templates/linked.njk'))
    const result = await runWf(['generate', 'template', 'templates/linked.njk', '--to', 'OUT'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('template templates/linked.njk is outside the repository')
    expect(existsSync(join(cwd, 'OUT'))).toBe(false)
  })

  it('names an undefined variable and its template line instead of writing an empty string', async () => {
    const cwd = repo({
      'templates/notice.njk': 'Notice for {{ project }}\n\nMaintained by {{ team.lead }}.\n',
      'phases/p.yaml': plan('      - { template: templates/notice.njk, to: NOTICE }\n'),
    })
    const result = await runWf(['run', '--reporter', 'plain'], { cwd })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('templates/notice.njk:3:15: `team.lead` is undefined')
    expect(existsSync(join(cwd, 'NOTICE'))).toBe(false)
    const standalone = await runWf(['generate', 'template', 'templates/notice.njk', '--to', 'NOTICE'], { cwd })
    expect(standalone.code).toBe(2)
    expect(standalone.stderr).toContain('`team.lead` is undefined')
    expect(standalone.stderr).toContain('--var team=')
    expect(hasStackTrace(standalone.stderr)).toBe(false)
    writeFileSync(
      join(cwd, 'phases/p.yaml'),
      plan('      - { template: templates/notice.njk, to: NOTICE, vars: { team: { lead: Grace } } }\n'),
    )
    expect((await runWf(['run'], { cwd })).code).toBe(0)
    expect(read(cwd, 'NOTICE')).toBe('Notice for widgets\n\nMaintained by Grace.\n')
  })

  it('reports a template syntax error with its line', async () => {
    const cwd = repo({ 'templates/bad.njk': 'ok\n{% if x %}\nno end\n' })
    const result = await runWf(['generate', 'template', 'templates/bad.njk', '--to', 'OUT'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('templates/bad.njk')
    expect(hasStackTrace(result.stderr)).toBe(false)
    expect(existsSync(join(cwd, 'OUT'))).toBe(false)
  })
})

describe('the generated gate', () => {
  const files = (holder: string) =>
    plan(
      `      - { template: "builtin:license-mit", to: LICENSE, vars: { holder: ${holder} } }\n      - { template: templates/notice.njk, to: docs/NOTICE }\n`,
      '      - generated: true\n',
    )
  type Gate = {
    kind: string
    status: string
    message: string
    locations?: { file: string; line?: number; message?: string }[]
  }
  const generatedGate = (stdout: string): Gate =>
    JSON.parse(stdout).phases[0].gates.find((g: Gate) => g.kind === 'generated')

  it('passes when every generated file is current, and catches missing, drifted and stale files', async () => {
    const cwd = repo({ 'templates/notice.njk': 'Notice\nfor {{ project }}\n', 'phases/p.yaml': files('Acme') })
    const run = await runWf(['run', '--json'], { cwd })
    expect(run.code).toBe(0)
    expect(generatedGate(run.stdout)).toMatchObject({ status: 'passed', message: '2 generated files are current' })
    expect((await runWf(['check'], { cwd })).code).toBe(0)

    // missing
    const { rmSync } = await import('node:fs')
    rmSync(join(cwd, 'docs/NOTICE'))
    let check = await runWf(['check', '--json'], { cwd })
    expect(check.code).toBe(1)
    expect(generatedGate(check.stdout).message).toBe('1 missing: docs/NOTICE')
    expect(generatedGate(check.stdout).locations![0]!.message).toContain('run `wf run-phase files`')

    // drifted: edited by hand after wf wrote it
    expect((await runWf(['run', '--force'], { cwd })).code).toBe(0)
    writeFileSync(join(cwd, 'docs/NOTICE'), 'Notice\nfor someone else\n')
    check = await runWf(['check', '--json'], { cwd })
    expect(check.code).toBe(1)
    expect(generatedGate(check.stdout).message).toBe('1 drifted: docs/NOTICE')
    expect(generatedGate(check.stdout).locations).toEqual([expect.objectContaining({ file: 'docs/NOTICE', line: 2 })])

    // stale: the plan changed and nobody ran it
    expect((await runWf(['run', '--force'], { cwd })).code).toBe(0)
    writeFileSync(join(cwd, 'phases/p.yaml'), files('Acme Inc.'))
    check = await runWf(['check', '--json'], { cwd })
    expect(check.code).toBe(1)
    expect(generatedGate(check.stdout).message).toBe('1 stale: LICENSE')
    expect(generatedGate(check.stdout).locations![0]).toMatchObject({ file: 'LICENSE', line: 3 })
  })

  it('in a fresh clone without a ledger, any difference fails the check', async () => {
    const cwd = repo({ 'templates/notice.njk': 'Notice for {{ project }}\n', 'phases/p.yaml': files('Acme') })
    expect((await runWf(['run'], { cwd })).code).toBe(0)
    git(cwd, 'add', '-A')
    git(cwd, 'commit', '-qm', 'generated')
    const clone = testdir({}, { git: false })
    git(clone, 'clone', '-q', cwd, 'c')
    const copy = join(clone, 'c')
    git(copy, 'remote', 'set-url', 'origin', 'git@github.com:acme/widgets.git')
    expect((await runWf(['check'], { cwd: copy })).code).toBe(0)
    writeFileSync(join(copy, 'LICENSE'), read(copy, 'LICENSE').replace('Acme', 'Ac me'))
    const check = await runWf(['check', '--json'], { cwd: copy })
    expect(check.code).toBe(1)
    expect(generatedGate(check.stdout).message).toBe('1 stale: LICENSE')
  })

  it('only asks a file written with overwrite: never to exist', async () => {
    const cwd = repo({
      'templates/notice.njk': 'Notice\n',
      'phases/p.yaml': plan(
        '      - { template: templates/notice.njk, to: NOTICE, overwrite: never }\n',
        '      - generated: true\n',
      ),
    })
    expect((await runWf(['run'], { cwd })).code).toBe(0)
    writeFileSync(join(cwd, 'NOTICE'), 'Our own notice\n')
    expect((await runWf(['check'], { cwd })).code).toBe(0)
    const { rmSync } = await import('node:fs')
    rmSync(join(cwd, 'NOTICE'))
    const check = await runWf(['check', '--json'], { cwd })
    expect(check.code).toBe(1)
    expect(generatedGate(check.stdout).message).toBe('1 missing: NOTICE')
  })

  it("can check another phase's outputs, limited to some files", async () => {
    const cwd = repo({
      'templates/notice.njk': 'Notice\n',
      'phases/p.yaml': `${files('Acme')}  - id: verify\n    needs: [files]\n    gates:\n      - generated: { phases: [files], files: "docs/**" }\n`,
    })
    expect((await runWf(['run'], { cwd })).code).toBe(0)
    writeFileSync(join(cwd, 'LICENSE'), 'changed\n')
    const check = await runWf(['check', 'verify', '--json'], { cwd })
    expect(check.code).toBe(0)
    expect(JSON.parse(check.stdout).phases[0].gates[0].message).toBe('1 generated file is current')
    mkdirSync(join(cwd, 'docs'), { recursive: true })
    writeFileSync(join(cwd, 'docs/NOTICE'), 'changed\n')
    expect((await runWf(['check', 'verify'], { cwd })).code).toBe(1)
  })
})

describe('wf templates list', () => {
  it("lists the built-in templates with their variables, and the repository's own with the variables they use", async () => {
    const cwd = repo({
      'templates/docs/notice.njk':
        '{% for p in people %}{{ p }} {{ sep }}{% endfor %}{% set x = 1 %}{{ x }} {{ owner.name }}\n{{ title | default("none") }}{% for i in range(2) %}{{ i }}{% endfor %}{% macro badge(label) %}{{ label }}{% endmacro %}{{ badge(x) }}\n',
    })
    const result = await runWf(['templates', 'list', '--json'], { cwd })
    expect(result.code).toBe(0)
    const templates = JSON.parse(result.stdout).templates as {
      name: string
      to?: string
      vars: { name: string; default?: unknown }[]
    }[]
    expect(
      templates
        .filter((t) => t.name.startsWith('builtin:'))
        .map((t) => t.name.slice(8))
        .sort(),
    ).toEqual([...names].sort())
    const mit = templates.find((t) => t.name === 'builtin:license-mit')!
    expect(mit.to).toBe('LICENSE')
    expect(mit.vars.map((v) => v.name)).toEqual(['holder', 'year'])
    const own = templates.find((t) => t.name === 'templates/docs/notice.njk')!
    // Filters, global functions and macros are not variables.
    expect(own.vars.map((v) => v.name)).toEqual(['owner', 'people', 'sep', 'title'])
    const text = await runWf(['templates', 'list'], { cwd })
    expect(text.stdout).toContain('builtin:security-policy → SECURITY.md')
    expect(text.stdout).toMatch(/contact: An email address for private reports/)
  })
})
