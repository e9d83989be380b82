import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { generateTemplate, listTemplates, parseVarFlags } from '../../src/app/generate-template.js'
import { runCli } from '../cli-in-process.js'
import { library, read, templateRepo } from '../template-repo.js'

const names = Object.keys(library.templates)

/** `wf generate template NAME [--to TO] [--var …]`, as the command calls it. */
const generate = (cwd: string, template: string, options: { to?: string; vars?: string[] } = {}) =>
  generateTemplate({
    cwd,
    template,
    to: options.to,
    vars: parseVarFlags(options.vars ?? []),
    lockTimeoutMs: 10_000,
    argv: ['generate', 'template', template],
  })

describe('built-in template library', () => {
  it('has every template the library promises, each with a usual output path', () => {
    expect([...names].sort()).toEqual([
      'bug-report',
      'changelog',
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
      'support',
    ])
  })

  it('renders every template with its defaults, filled from git facts, with nothing left undefined', async () => {
    const cwd = templateRepo()
    const used = new Set<string>()
    for (const name of names) {
      // Both licenses go to LICENSE by default; the second one goes elsewhere.
      const usual = library.templates[name]!.to
      const to = used.has(usual) ? `alt/${usual}` : undefined
      used.add(usual)
      const out = await generate(cwd, `builtin:${name}`, { to })
      expect(out).toMatchObject({ template: `builtin:${name}`, action: 'created', path: to ?? usual })
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
    const cwd = templateRepo()
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
      changelog: ['project=Widgets'],
      support: ['project=Widgets'],
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
      changelog: ['notable changes to Widgets', '## [Unreleased]'],
      support: ['# Getting help with Widgets', 'SECURITY.md'],
    }
    expect(Object.keys(vars).sort()).toEqual([...names].sort())
    for (const name of names) {
      const to = `out/${name}`
      expect((await generate(cwd, `builtin:${name}`, { to, vars: vars[name] })).action, name).toBe('created')
      for (const text of expected[name]!) expect(read(cwd, to), name).toContain(text)
    }
  })

  it('writes YAML files that parse and have the shape GitHub expects', async () => {
    const cwd = templateRepo()
    for (const name of ['bug-report', 'feature-request', 'dependabot', 'ci-workflow'])
      expect((await generate(cwd, `builtin:${name}`)).action).toBe('created')
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
})

describe('wf generate template on a file edited by hand', () => {
  it('keeps the edit with or without --force (exit 1, the diff); --overwrite saves it byte for byte, then replaces it', async () => {
    const cwd = templateRepo()
    const args = ['generate', 'template', 'builtin:editorconfig', '--to', 'cfg/.editorconfig']
    expect((await runCli(args, { cwd })).code).toBe(0)
    const edit = Buffer.from('root = true\r\n[*]\r\nindent_size = 8\r\n# \xff', 'latin1')
    writeFileSync(join(cwd, 'cfg/.editorconfig'), edit)
    for (const flags of [[], ['--force']]) {
      const kept = await runCli([...args, ...flags], { cwd })
      expect(kept.code, flags.join(' ')).toBe(1)
      expect(kept.stdout).toContain('✖ not overwritten cfg/.editorconfig (edited since wf wrote it)')
      expect(kept.stdout).toContain('-indent_size = 8')
      expect(kept.stderr).toContain('cfg/.editorconfig was changed by hand and was not overwritten')
      expect(kept.stderr).toContain('--overwrite')
      expect(kept.stderr).toContain('`overwrite: never`')
      expect(readFileSync(join(cwd, 'cfg/.editorconfig')).equals(edit)).toBe(true)
    }
    const replaced = await runCli([...args, '--overwrite'], { cwd })
    expect(replaced.code).toBe(0)
    const [, backup] = replaced.stdout.match(/^✔ overwritten cfg\/\.editorconfig \(your edit saved in (\S+)\)$/m) ?? []
    expect(backup).toMatch(/^\.wf\/backup\/\d{8}T\d{6}Z-[0-9a-f]{6}\/cfg\/\.editorconfig$/)
    expect(readFileSync(join(cwd, backup!)).equals(edit)).toBe(true)
    expect(read(cwd, 'cfg/.editorconfig')).toContain('indent_size = 2')
    // Now current, and recorded: --overwrite has nothing to save.
    const again = await runCli([...args, '--overwrite', '--json'], { cwd })
    expect(JSON.parse(again.stdout)).toMatchObject({ action: 'unchanged' })
    expect(JSON.parse(again.stdout).backup).toBeUndefined()
    expect(readdirSync(join(cwd, '.wf/backup'))).toHaveLength(1)
  })
})

describe('wf templates list', () => {
  it("lists the built-in templates with their variables, and the repository's own with the variables they use", async () => {
    const cwd = templateRepo({
      'templates/docs/notice.njk':
        '{% for p in people %}{{ p }} {{ sep }}{% endfor %}{% set x = 1 %}{{ x }} {{ owner.name }}\n{{ title | default("none") }}{% for i in range(2) %}{{ i }}{% endfor %}{% macro badge(label) %}{{ label }}{% endmacro %}{{ badge(x) }}\n',
    })
    const templates = await listTemplates(cwd)
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
    const json = await runCli(['templates', 'list', '--json'], { cwd })
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout).templates.map((t: { name: string }) => t.name)).toEqual(templates.map((t) => t.name))
    const text = await runCli(['templates', 'list'], { cwd })
    expect(text.stdout).toContain('builtin:security-policy → SECURITY.md')
    expect(text.stdout).toMatch(/contact: An email address for private reports/)
  })
})
