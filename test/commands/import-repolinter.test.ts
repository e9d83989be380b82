import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { anyOf, expandBraces, type RepolinterRule, translateRepolinter } from '../../src/app/repolinter-rules.js'
import { runCli } from '../cli-in-process.js'
import { repoRoot, testdir } from '../helpers.js'

// Repolinter's default ruleset, written from its documented rules (docs/rules.md, rulesets/default.json).
const DEFAULT_RULESET = readFileSync(join(repoRoot, 'test', 'fixtures', 'repolinter', 'default.json'), 'utf8')

interface RuleReport {
  name: string
  type: string
  status: string
  phase?: string
  gates?: string[]
  reason?: string
  notes: string[]
}

async function importIn(cwd: string, args: string[] = []) {
  const result = await runCli(['import', 'repolinter', '--json', ...args], { cwd })
  return { code: result.code, result, report: JSON.parse(result.stdout) as { rules: RuleReport[]; written: string[] } }
}

// The full license texts, so that the `license` condition identifies them.
const licenseText = (template: string) =>
  readFileSync(join(repoRoot, 'templates', `${template}.njk`), 'utf8')
    .replace('{{ year }}', '2026')
    .replace('{{ holder }}', 'Acme')

/** Imports the default ruleset into `tree` and runs it: each gate's status by name, and each phase's. */
async function runDefaultRuleset(tree: Record<string, string>) {
  const cwd = testdir({ 'repolinter.json': DEFAULT_RULESET, ...tree })
  expect((await importIn(cwd)).code).toBe(0)
  const run = await runCli(['run', '--json', '--continue-on-error'], { cwd })
  const json = JSON.parse(run.stdout) as {
    phases: {
      id: string
      status: string
      gates?: { name: string; status: string; message: string; locations?: { file: string; line?: number }[] }[]
    }[]
  }
  const gates = Object.fromEntries(json.phases.flatMap((p) => (p.gates ?? []).map((g) => [g.name, g])))
  const phases = Object.fromEntries(json.phases.map((p) => [p.id, p.status]))
  return { code: run.code, gates, phases, status: (name: string) => gates[name]?.status }
}

const HEALTHY: Record<string, string> = {
  'license.txt': 'MIT License\n',
  'README.md': '# Tool\n\nReleased under the MIT License.\n',
  '.github/CONTRIBUTING.md': '# Contributing\n',
  'CODE_OF_CONDUCT.md': '# Code of conduct\n\nReport to conduct@acme.example.\n',
  'CHANGELOG.md': '# Changes\n',
  'SECURITY.md': '# Security\n',
  'docs/SUPPORT.md': '# Support\n',
  'test/fixture.txt': 'data\n',
  '.github/workflows/ci.yml': 'on: push\n',
  '.github/ISSUE_TEMPLATE/bug.md': '# Bug\n',
  '.github/pull_request_template.md': '# Change\n',
  'src/index.js': '// Copyright 2026 Acme\n// License: MIT\nexport const x = 1\n',
  'package.json': '{"name": "tool"}\n',
  'node_modules/dep/tool.exe': 'MZ',
}

describe('wf import repolinter', () => {
  it("translates Repolinter's default ruleset completely, axioms included, into a plan that validates", async () => {
    const cwd = testdir({ 'repolinter.json': DEFAULT_RULESET })
    const { code, report } = await importIn(cwd)
    expect(code).toBe(0)
    expect(report.written).toEqual(['phases/repolinter.yaml'])
    const byStatus = (status: string) => report.rules.filter((r) => r.status === status).map((r) => r.name)
    expect(byStatus('untranslated')).toEqual([])
    // The two rules the default ruleset turns off are the only ones without a gate.
    expect(byStatus('off')).toEqual(['license-detectable-by-licensee', 'best-practices-badge-present'])
    expect(byStatus('translated')).toHaveLength(Object.keys(JSON.parse(DEFAULT_RULESET).rules).length - 2)
    const rule = (name: string) => report.rules.find((r) => r.name === name)!
    expect(rule('binaries-not-present')).toMatchObject({ gates: ['files-absent'], phase: 'repolinter' })
    expect(rule('source-license-headers-exist').gates).toEqual(['file-contains', 'file-contains'])
    expect(rule('javascript-package-metadata-exists').phase).toBe('repolinter-language-javascript')
    expect(rule('notice-file-exists').phase).toBe('repolinter-license-apache-2-0')

    const plan = parse(readFileSync(join(cwd, 'phases', 'repolinter.yaml'), 'utf8'))
    const phase = (id: string) => plan.phases.find((p: { id: string }) => p.id === id)
    expect(phase('repolinter-language-javascript').when).toEqual({ file: '**/*.{js,mjs,cjs,jsx}' })
    expect(phase('repolinter-license-apache-2-0').when).toEqual({ license: 'Apache-2.0' })
    const headers = phase('repolinter').gates.filter((g: { name: string }) => g.name.startsWith('source-license'))
    expect(headers[0]).toMatchObject({ severity: 'warning', 'file-contains': { exclude: ['node_modules/**'] } })
    expect(phase('repolinter-license-apache-2-0').gates[0].hint).toMatch(
      /^The NOTICE file is described in section 4\.4/,
    )

    const validate = await runCli(['validate'], { cwd })
    expect(validate.stderr).toBe('')
    expect(validate.code).toBe(0)
  })

  it('passes a repository that satisfies every rule of the default ruleset', async () => {
    const { code, gates, phases, status } = await runDefaultRuleset(HEALTHY)
    for (const gate of Object.values(gates)) expect([gate.name, gate.status]).toEqual([gate.name, 'passed'])
    expect(status('license-file-exists')).toBe('passed')
    expect(status('test-directory-exists')).toBe('passed')
    expect(status('javascript-package-metadata-exists')).toBe('passed')
    // No Python, Ruby, Java… sources: those rules do not apply, as linguist finds no such language.
    expect(phases['repolinter-language-python']).toBe('skipped')
    expect(phases['repolinter-language-ruby']).toBe('skipped')
    expect(code).toBe(0)
  })

  it('fails a repository that breaks rules of the default ruleset, rule by rule as Repolinter defines them', async () => {
    const broken = { ...HEALTHY }
    for (const f of [
      'license.txt',
      'SECURITY.md',
      'test/fixture.txt',
      '.github/workflows/ci.yml',
      'package.json',
      '.github/CONTRIBUTING.md',
    ])
      delete broken[f]
    Object.assign(broken, {
      'README.md': '# Tool\n\nNo terms here.\n',
      'CODE_OF_CONDUCT.md': '# Code of conduct\n\nBe kind.\n',
      // security-file-exists matches names exactly (no nocase in the ruleset); contributing does not.
      '.github/security.md': '# Security\n',
      'docs/contributing.md': '# Contributing\n',
      'src/index.js': 'export const x = 1\n',
      // The header must be in the first 5 lines: on line 6 it does not count.
      'src/late.js': '\n\n\n\n\n// Copyright 2026 Acme, MIT License\n',
      'tools/setup.exe': 'MZ',
      'app/main.py': 'print(1)\n',
    })
    const { code, gates, status } = await runDefaultRuleset(broken)
    expect(code).toBe(1)
    const failed = Object.values(gates)
      .filter((g) => g.status !== 'passed')
      .map((g) => [g.name, g.status])
      .sort()
    expect(failed).toEqual(
      [
        ['binaries-not-present', 'failed'],
        ['code-of-conduct-file-contains-email', 'failed'],
        ['integrates-with-ci', 'failed'],
        ['javascript-package-metadata-exists', 'failed'],
        ['license-file-exists', 'failed'],
        ['python-package-metadata-exists', 'failed'],
        ['readme-references-license', 'failed'],
        ['security-file-exists', 'failed'],
        ['source-license-headers-exist (Copyright)', 'warned'],
        ['source-license-headers-exist (License)', 'warned'],
        ['test-directory-exists', 'failed'],
      ].sort(),
    )
    expect(status('contributing-file-exists')).toBe('passed')
    expect(gates['readme-references-license']!.locations).toEqual([
      expect.objectContaining({ file: 'README.md', message: expect.stringContaining('0 matches') }),
    ])
    expect(gates['source-license-headers-exist (Copyright)']!.locations).toEqual([
      expect.objectContaining({ file: 'src/index.js' }),
      expect.objectContaining({ file: 'src/late.js' }),
    ])
    expect(gates['binaries-not-present']!.message).toContain('tools/setup.exe')
    expect(gates['binaries-not-present']!.message).not.toContain('node_modules')
  })

  it('applies the NOTICE rule to an Apache-2.0 project and skips it under MIT', async () => {
    const { 'license.txt': _, ...rest } = HEALTHY
    const apache = { ...rest, LICENSE: licenseText('license-apache-2.0') }
    const without = await runDefaultRuleset(apache)
    expect(without.phases['repolinter-license-apache-2-0']).toBe('failed')
    expect(without.gates['notice-file-exists']).toMatchObject({ status: 'failed', message: 'missing: NOTICE*' })
    expect(without.code).toBe(1)

    const withNotice = await runDefaultRuleset({ ...apache, NOTICE: 'Tool\nCopyright 2026 Acme\n' })
    expect(withNotice.phases['repolinter-license-apache-2-0']).toBe('passed')
    expect(withNotice.status('notice-file-exists')).toBe('passed')
    expect(withNotice.code).toBe(0)

    const mit = await runDefaultRuleset({ ...rest, LICENSE: licenseText('license-mit') })
    expect(mit.phases['repolinter-license-apache-2-0']).toBe('skipped')
    expect(mit.gates['notice-file-exists']).toBeUndefined()
    expect(mit.code).toBe(0)
  })

  it('translates large-file and file-no-broken-links into gates that judge as Repolinter does', async () => {
    const cwd = testdir({
      'repolinter.json': JSON.stringify({
        version: 2,
        rules: {
          'no-large-files': {
            level: 'error',
            rule: { type: 'large-file', options: { globsAll: ['assets/**'], size: 1000 } },
          },
          'no-broken-links': {
            level: 'error',
            rule: { type: 'file-no-broken-links', options: { globsAll: ['**/*.md'] } },
          },
        },
      }),
      // Repolinter fails a file larger than `size` bytes; one of exactly `size` passes.
      'assets/big.bin': 'x'.repeat(1001),
      'assets/edge.txt': 'x'.repeat(1000),
      'big-outside.txt': 'x'.repeat(2000),
      // Repolinter checks that a relative link's file exists; links to sections (`#…`) are not checked.
      'README.md': [
        '# Tool',
        '',
        'See [the guide](docs/guide.md) and [its setup](docs/guide.md#no-such-heading).',
        'Read [the gone page](docs/missing.md), or [jump](#nowhere).',
        '',
      ].join('\n'),
      'docs/guide.md': '# Guide\n\nBack to [the readme](../README.md).\n',
    })
    const { code, report } = await importIn(cwd)
    expect(code).toBe(0)
    expect(report.rules.map((r) => [r.name, r.gates, r.notes])).toEqual([
      ['no-large-files', ['large-files'], []],
      [
        'no-broken-links',
        ['markdown-links'],
        [
          'web links are not fetched: wf checks relative links to files of the repository',
          'wf passes when no file matches; Repolinter fails unless `succeed-on-non-existent` is set',
        ],
      ],
    ])
    const run = await runCli(['run', '--json', '--continue-on-error'], { cwd })
    const gates = JSON.parse(run.stdout).phases[0].gates
    expect(
      gates.map((g: { name: string; status: string; locations?: unknown }) => [g.name, g.status, g.locations]),
    ).toEqual([
      ['no-large-files', 'failed', [{ file: 'assets/big.bin', message: expect.stringContaining('over the limit') }]],
      [
        'no-broken-links',
        'failed',
        [
          {
            file: 'README.md',
            line: 4,
            col: 6,
            message: '`[the gone page](docs/missing.md)`: docs/missing.md does not exist',
          },
        ],
      ],
    ])
    expect(run.code).toBe(1)
  })

  it('lists a rule wf cannot translate with its reason, writes the rest and exits 1 (YAML configuration)', async () => {
    const cwd = testdir({
      'repolinter.yaml': [
        'version: 2',
        'rules:',
        '  readme-file-exists:',
        '    level: error',
        '    rule: { type: file-existence, options: { globsAny: [README*] } }',
        '    fix: { type: file-create, options: { file: README.md, text: "# Project" } }',
        '  no-internal-hosts:',
        '    level: error',
        '    rule:',
        '      type: file-not-contents',
        '      options: { globsAll: ["**/*.md"], content: "(?<!docs\\\\.)internal\\\\.acme" }',
        '  no-wip-commits:',
        '    level: warning',
        '    rule: { type: git-grep-log, options: { denylist: [WIP] } }',
        '',
      ].join('\n'),
    })
    const { code, report } = await importIn(cwd)
    expect(code).toBe(1)
    const rule = (name: string) => report.rules.find((r) => r.name === name)!
    expect(rule('readme-file-exists')).toMatchObject({ status: 'translated', gates: ['files-exist'] })
    expect(rule('readme-file-exists').notes).toEqual([
      'fix `file-create` is not translated: wf reports, it does not change the repository',
    ])
    expect(rule('no-internal-hosts').status).toBe('untranslated')
    expect(rule('no-internal-hosts').reason).toMatch(/^content \/\(\?<!docs\\\.\)internal\\\.acme\/: lookbehind/)
    expect(rule('no-internal-hosts').reason).toContain('RE2')
    expect(rule('no-wip-commits')).toMatchObject({
      status: 'untranslated',
      reason: 'it searches every commit message in the history; wf gates judge the working tree',
    })
    const plan = parse(readFileSync(join(cwd, 'phases', 'repolinter.yaml'), 'utf8'))
    expect(plan.phases[0].gates.map((g: { name: string }) => g.name)).toEqual(['readme-file-exists'])

    const text = await runCli(['import', 'repolinter', '--force'], { cwd })
    expect(text.code).toBe(1)
    expect(text.stdout).toMatch(/✖ no-wip-commits +git-grep-log: not translated: it searches every commit message/)
    expect(text.stdout).toMatch(/✔ readme-file-exists +file-existence → files-exist in repolinter/)
  })

  it('reads the older format: axioms as keys, "name:type" rules with [level, options]', async () => {
    const cwd = testdir({
      'repolinter.json': JSON.stringify({
        rules: {
          all: {
            'license-file-exists:file-existence': ['error', { globsAny: ['LICENSE*'], nocase: true }],
            'readme-references-license:file-contents': ['warning', { globsAll: ['README*'], content: 'license' }],
          },
          'language=javascript': {
            'package-metadata-exists:file-existence': ['error', { globsAny: ['package.json'] }],
          },
        },
      }),
      'lib/a.js': 'x\n',
      LICENSE: 'MIT\n',
      'README.md': 'no terms\n',
    })
    const { code, report } = await importIn(cwd)
    expect(code).toBe(0)
    expect(report.rules.map((r) => [r.name, r.type, r.phase])).toEqual([
      ['license-file-exists', 'file-existence', 'repolinter'],
      ['readme-references-license', 'file-contents', 'repolinter'],
      ['package-metadata-exists', 'file-existence', 'repolinter-language-javascript'],
    ])
    const run = JSON.parse((await runCli(['run', '--json', '--continue-on-error'], { cwd })).stdout)
    const gates = Object.fromEntries(
      run.phases.flatMap((p: { gates?: { name: string; status: string }[] }) =>
        (p.gates ?? []).map((g) => [g.name, g.status]),
      ),
    )
    expect(gates).toEqual({
      'license-file-exists': 'passed',
      'readme-references-license': 'warned',
      'package-metadata-exists': 'failed',
    })
  })

  it('reports a bad configuration at file:line:col, exits 2 and writes nothing', async () => {
    const cwd = testdir({
      'repolinter.yaml': 'version: 2\nrules:\n  readme:\n    level: fatal\n    rule: { type: file-existence }\n',
    })
    const result = await runCli(['import', 'repolinter'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('repolinter.yaml:4:12: error: rule readme: level must be error, warning or off')
    expect(existsSync(join(cwd, 'phases'))).toBe(false)

    const syntax = testdir({ 'rules.json': '{\n  "version": 2,\n  "rules": {\n    "a": [\n  }\n}\n' })
    const bad = await runCli(['import', 'repolinter', 'rules.json'], { cwd: syntax })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/rules\.json:\d+:\d+: error: YAML syntax error/)
    expect(existsSync(join(syntax, 'phases'))).toBe(false)

    const none = await runCli(['import', 'repolinter'], { cwd: testdir() })
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('no Repolinter configuration')
  })

  it('refuses to overwrite the plan without --force; --stdout prints it and writes nothing', async () => {
    const config =
      '{"version": 2, "rules": {"readme": {"level": "error", "rule": {"type": "file-existence", "options": {"globsAny": ["README*"]}}}}}'
    const cwd = testdir({ 'repolinter.json': config, 'phases/repolinter.yaml': '# mine\n' })
    const refused = await runCli(['import', 'repolinter'], { cwd })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('phases/repolinter.yaml already exists')
    expect(readFileSync(join(cwd, 'phases', 'repolinter.yaml'), 'utf8')).toBe('# mine\n')

    const printed = await runCli(['import', 'repolinter', '--stdout'], { cwd })
    expect(printed.code).toBe(0)
    expect(parse(printed.stdout).phases[0].gates[0]).toMatchObject({
      name: 'readme',
      'files-exist': { paths: 'README*' },
    })
    expect(readFileSync(join(cwd, 'phases', 'repolinter.yaml'), 'utf8')).toBe('# mine\n')

    const forced = await runCli(['import', 'repolinter', '--force', '--output', 'phases/community.yaml'], { cwd })
    expect(forced.code).toBe(0)
    expect(existsSync(join(cwd, 'phases', 'community.yaml'))).toBe(true)
  })

  it('writes the inline schema of a json-schema-passes rule beside the plan', async () => {
    const cwd = testdir({
      'repolinter.json': JSON.stringify({
        version: 2,
        rules: {
          'package-has-name': {
            level: 'error',
            rule: {
              type: 'json-schema-passes',
              options: { glob: 'package.json', schema: { type: 'object', required: ['name'] } },
            },
          },
        },
      }),
      'package.json': '{"version": "1.0.0"}\n',
    })
    const { code, report } = await importIn(cwd)
    expect(code).toBe(0)
    expect(report.written).toEqual(['phases/repolinter.yaml', 'phases/repolinter-package-has-name.schema.json'])
    const run = JSON.parse((await runCli(['run', '--json'], { cwd })).stdout)
    expect(run.phases[0].gates[0]).toMatchObject({ name: 'package-has-name', status: 'failed' })
  })
})

describe('Repolinter globs', () => {
  it('spells out braces and joins alternatives into one glob with shared folders outside', () => {
    expect(expandBraces('{docs/,.github/,}CONTRIB*')).toEqual(['docs/CONTRIB*', '.github/CONTRIB*', 'CONTRIB*'])
    expect(expandBraces('a{b,{c,d}}e')).toEqual(['abe', 'ace', 'ade'])
    expect(anyOf(['**/test*/**', '**/specs/**'])).toBe('**/{test*,specs}/**')
    expect(anyOf(['LICENSE*', 'COPYING*'])).toBe('{LICENSE*,COPYING*}')
    expect(anyOf(['README*'])).toBe('README*')
  })
})

describe('Repolinter axioms', () => {
  it('turns where entries into phase conditions, all of them required, or says why not', async () => {
    const rule = (name: string, where: string[]): RepolinterRule => ({
      name,
      level: 'error',
      type: 'file-existence',
      options: { globsAny: ['README*'] },
      where,
    })
    const { phases, rules } = await translateRepolinter(
      [
        rule('npm', ['packager=npm']),
        rule('perl', ['packager=cpan', 'language=perl']),
        rule('crowd', ['contributors>6']),
        rule('nameless', ['stars=5']),
      ],
      { packagers: 'packager', linguist: 'language', 'contributor-count': 'contributors' },
      (name) => `phases/${name}.schema.json`,
    )
    expect(phases.map((p) => [p.id, p.when])).toEqual([
      ['repolinter-packager-npm', { file: 'package.json' }],
      [
        'repolinter-language-perl-packager-cpan',
        { all: [{ any: [{ file: 'Makefile.PL' }, { file: 'Build.PL' }] }, { file: '**/*.{pl,pm}' }] },
      ],
    ])
    expect(rules.slice(2).map((r) => [r.status, r.reason])).toEqual([
      ['untranslated', "where `contributors>6`: wf has no condition on the contributor-count axiom's count"],
      ['untranslated', 'where `stars=5`: no axiom is named `stars` (see `axioms`)'],
    ])
  })
})
