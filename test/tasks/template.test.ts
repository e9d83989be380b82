import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { hasStackTrace, testdir } from '../helpers.js'
import { filesPlan, library, read, templateRepo } from '../template-repo.js'

describe('template tasks', () => {
  it('produces a repository that passes the built-in governance checks', async () => {
    const cwd = templateRepo({
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
    const result = await runCli(['run', '--json'], { cwd })
    const phases = JSON.parse(result.stdout).phases
    const failed = phases[1].gates.filter((g: { status: string }) => g.status !== 'passed')
    expect(failed).toEqual([])
    expect(result.code).toBe(0)
  })

  it('with `merge: false`, never overwrites a hand-edited file, even with --force, and shows the diff', async () => {
    const cwd = templateRepo({
      'phases/p.yaml': filesPlan(
        '      - { template: "builtin:security-policy", to: SECURITY.md, merge: false, vars: { contact: a@acme.dev } }\n',
      ),
    })
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    writeFileSync(join(cwd, 'SECURITY.md'), `${read(cwd, 'SECURITY.md')}\nOur own addition.\n`)
    writeFileSync(
      join(cwd, 'phases/p.yaml'),
      filesPlan(
        '      - { template: "builtin:security-policy", to: SECURITY.md, merge: false, vars: { contact: b@acme.dev } }\n',
      ),
    )
    const edited = read(cwd, 'SECURITY.md')
    for (const args of [[], ['--force']]) {
      const result = await runCli(['run', '--reporter', 'plain', ...args], { cwd })
      expect(result.code, args.join(' ')).toBe(1)
      expect(result.stdout).toContain('SECURITY.md was changed by hand and not overwritten')
      expect(result.stdout).toContain('run with --overwrite')
      expect(result.stdout).toContain('`overwrite: never`')
      expect(result.stdout).toMatch(/^.*-.*a@acme\.dev.*$/m)
      expect(result.stdout).toMatch(/^.*\+.*b@acme\.dev.*$/m)
      expect(result.stdout).toMatch(/-Our own addition\./)
      expect(read(cwd, 'SECURITY.md')).toBe(edited)
    }
    expect(existsSync(join(cwd, '.wf/backup'))).toBe(false)
  })

  it('--overwrite replaces a hand edit after saving it byte for byte in .wf/backup/<run>/, named in the output and the ledger', async () => {
    const cwd = templateRepo({
      'phases/p.yaml': filesPlan(
        '      - { template: "builtin:license-mit", to: docs/LICENSE, vars: { holder: Acme } }\n',
      ),
    })
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    // CRLF, bytes that are not UTF-8, and no newline at the end: a copy through a string would change them.
    const edit = Buffer.concat([
      readFileSync(join(cwd, 'docs/LICENSE')),
      Buffer.from('ours\r\n\xff\xfe\x80 end', 'latin1'),
    ])
    writeFileSync(join(cwd, 'docs/LICENSE'), edit)
    const run = await runCli(['run', '--overwrite', '--reporter', 'plain'], { cwd })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const ledger = JSON.parse(read(cwd, '.wf/ledger.json'))
    const runId = ledger.phases.files.runId as string
    const backup = `.wf/backup/${runId}/docs/LICENSE`
    expect(run.stdout).toContain(`overwritten docs/LICENSE (your edit saved in ${backup})`)
    expect(readFileSync(join(cwd, backup)).equals(edit)).toBe(true)
    expect(read(cwd, 'docs/LICENSE')).toContain('MIT License')
    expect(read(cwd, 'docs/LICENSE')).not.toContain('ours')
    expect(ledger.phases.files.tasks[0].generated).toEqual([
      { path: 'docs/LICENSE', action: 'overwritten', hash: expect.any(String), source: 'builtin:license-mit', backup },
    ])
    const record = JSON.parse(read(cwd, `.wf/runs/${String(ledger.lastSeq).padStart(8, '0')}.json`))
    expect(record.phases[0].tasks[0].generated[0]).toMatchObject({ action: 'overwritten', backup })
    expect((await runCli(['ledger', 'verify'], { cwd })).code).toBe(0)
    // What it wrote is recorded, so the next change to the plan updates the file without a backup.
    writeFileSync(
      join(cwd, 'phases/p.yaml'),
      filesPlan('      - { template: "builtin:license-mit", to: docs/LICENSE, vars: { holder: Acme Inc. } }\n'),
    )
    const json = await runCli(['run', '--overwrite', '--json'], { cwd })
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout).phases[0].tasks[0].overwritten).toBeUndefined()
    expect(readdirSync(join(cwd, '.wf/backup'))).toEqual([runId])

    // --json names the copy too; a second edit of the same file in another run gets its own folder.
    writeFileSync(join(cwd, 'docs/LICENSE'), 'second edit')
    const second = await runCli(['run', '--overwrite', '--json'], { cwd })
    const secondId = JSON.parse(second.stdout).runId as string
    expect(JSON.parse(second.stdout).phases[0].tasks[0].overwritten).toEqual([
      { path: 'docs/LICENSE', backup: `.wf/backup/${secondId}/docs/LICENSE` },
    ])
    expect(read(cwd, `.wf/backup/${secondId}/docs/LICENSE`)).toBe('second edit')
    expect(readFileSync(join(cwd, backup)).equals(edit)).toBe(true)
  })

  it('keeps a file with `overwrite: never` even with --overwrite, and --dry-run --overwrite writes nothing', async () => {
    const cwd = templateRepo({
      LICENSE: 'Proprietary. All rights reserved.',
      'phases/p.yaml': filesPlan('      - { template: "builtin:license-mit", to: LICENSE, overwrite: never }\n'),
    })
    const kept = await runCli(['run', '--overwrite', '--reporter', 'plain'], { cwd })
    expect(kept.code).toBe(0)
    expect(kept.stdout).toMatch(/kept\s+LICENSE/)
    expect(read(cwd, 'LICENSE')).toBe('Proprietary. All rights reserved.')
    writeFileSync(join(cwd, 'phases/p.yaml'), filesPlan('      - { template: "builtin:license-mit", to: LICENSE }\n'))
    const dry = await runCli(['run', '--overwrite', '--dry-run', '--reporter', 'plain'], { cwd })
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(
      'would overwrite LICENSE (exists but was not written by wf; your edit would be saved under .wf/backup/)',
    )
    expect(dry.stdout).toContain('-Proprietary. All rights reserved.')
    expect(read(cwd, 'LICENSE')).toBe('Proprietary. All rights reserved.')
    expect(existsSync(join(cwd, '.wf/backup'))).toBe(false)
  })

  it('updates a file nobody edited when its output changes, and leaves it alone when it does not', async () => {
    const cwd = templateRepo({
      'phases/p.yaml': filesPlan('      - { template: "builtin:license-mit", to: LICENSE, vars: { holder: Acme } }\n'),
    })
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    writeFileSync(
      join(cwd, 'phases/p.yaml'),
      filesPlan('      - { template: "builtin:license-mit", to: LICENSE, vars: { holder: Acme Inc. } }\n'),
    )
    const result = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/updated\s+LICENSE/)
    expect(read(cwd, 'LICENSE')).toContain('Acme Inc.')
    const ledger = JSON.parse(read(cwd, '.wf/ledger.json'))
    expect(ledger.generated.LICENSE).toMatchObject({ source: 'builtin:license-mit', phase: 'files' })
    expect(ledger.generated.LICENSE.hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('refuses to overwrite a file wf did not write, and honours overwrite: never and always', async () => {
    const cwd = templateRepo({
      LICENSE: 'Proprietary. All rights reserved.\n',
      'phases/p.yaml': filesPlan('      - { template: "builtin:license-mit", to: LICENSE }\n'),
    })
    const refused = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain('exists but was not written by wf')
    expect(read(cwd, 'LICENSE')).toBe('Proprietary. All rights reserved.\n')
    writeFileSync(
      join(cwd, 'phases/p.yaml'),
      filesPlan(
        '      - { template: "builtin:license-mit", to: LICENSE, overwrite: never }\n      - { template: "builtin:editorconfig", to: .editorconfig, overwrite: never }\n',
      ),
    )
    const kept = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(kept.code).toBe(0)
    expect(read(cwd, 'LICENSE')).toBe('Proprietary. All rights reserved.\n')
    expect(existsSync(join(cwd, '.editorconfig'))).toBe(true)
    writeFileSync(
      join(cwd, 'phases/p.yaml'),
      filesPlan('      - { template: "builtin:license-mit", to: LICENSE, overwrite: always }\n'),
    )
    const always = await runCli(['run', '--json'], { cwd })
    expect(always.code).toBe(0)
    expect(read(cwd, 'LICENSE')).toContain('MIT License')
    // `always` replaces a file wf did not write, but not without a copy.
    const [saved] = JSON.parse(always.stdout).phases[0].tasks[0].overwritten
    expect(read(cwd, saved.backup)).toBe('Proprietary. All rights reserved.\n')
  })

  it('--dry-run prints a unified diff and changes nothing', async () => {
    const cwd = templateRepo({
      'phases/p.yaml': filesPlan(
        '      - { template: "builtin:editorconfig", to: .editorconfig }\n      - { template: "builtin:license-mit", to: LICENSE, vars: { holder: Acme } }\n',
      ),
    })
    const first = await runCli(['run', '--dry-run', '--reporter', 'plain'], { cwd })
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('would create .editorconfig')
    expect(first.stdout).toContain('+++ b/.editorconfig')
    expect(first.stdout).toContain('+indent_size = 2')
    expect(existsSync(join(cwd, '.editorconfig'))).toBe(false)
    expect(existsSync(join(cwd, '.wf/ledger.json'))).toBe(false)
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    writeFileSync(
      join(cwd, 'phases/p.yaml'),
      filesPlan(
        '      - { template: "builtin:editorconfig", to: .editorconfig }\n      - { template: "builtin:license-mit", to: LICENSE, vars: { holder: Acme Inc. } }\n',
      ),
    )
    const before = read(cwd, 'LICENSE')
    const second = await runCli(['run', '--dry-run', '--reporter', 'plain'], { cwd })
    expect(second.stdout).toContain('would update LICENSE')
    expect(second.stdout).toContain('-Copyright (c)')
    expect(second.stdout).toMatch(/\+Copyright \(c\) \d+ Acme Inc\./)
    expect(second.stdout).toContain('is current: .editorconfig')
    expect(read(cwd, 'LICENSE')).toBe(before)
    const standalone = await runCli(
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
    const cwd = templateRepo({
      'phases/p.yaml': filesPlan(
        '      - { template: "builtin:editorconfig", to: linked/.editorconfig }\n      - { template: "builtin:license-mit", to: LICENSE }\n',
      ),
    })
    symlinkSync(outside, join(cwd, 'linked'))
    const viaLink = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(viaLink.code).toBe(1)
    expect(viaLink.stdout).toContain('leads outside the repository through a symbolic link')
    expect(existsSync(join(outside, '.editorconfig'))).toBe(false)
    writeFileSync(join(outside, 'target'), 'untouched\n')
    symlinkSync(join(outside, 'target'), join(cwd, 'NOTICE'))
    const viaFileLink = await runCli(['generate', 'template', 'builtin:license-mit', '--to', 'NOTICE'], { cwd })
    expect(viaFileLink.code).toBe(2)
    expect(viaFileLink.stderr).toContain('symbolic link')
    expect(read(outside, 'target')).toBe('untouched\n')
    const dotdot = await runCli(['generate', 'template', 'builtin:license-mit', '--to', '../escape.txt'], { cwd })
    expect(dotdot.code).toBe(2)
    expect(dotdot.stderr).toContain('outside the repository')
    for (const [to, why] of [
      ['README.md/LICENSE', 'README.md is a file, not a directory'],
      ['docs/', 'it names a directory'],
      ['.', 'it is the repository root'],
    ]) {
      const refused = await runCli(['generate', 'template', 'builtin:license-mit', '--to', to!], { cwd })
      expect(refused.code, to).toBe(2)
      expect(refused.stderr).toContain(why)
      expect(hasStackTrace(refused.stderr)).toBe(false)
    }
    expect(existsSync(join(cwd, 'docs'))).toBe(false)
    const inPlan = templateRepo({
      'phases/p.yaml': filesPlan('      - { template: "builtin:license-mit", to: ../escape.txt }\n'),
    })
    const invalid = await runCli(['run'], { cwd: inPlan })
    expect(invalid.code).toBe(2)
    expect(invalid.stderr).toMatch(/p\.yaml:\d+:\d+/)
    expect(existsSync(join(inPlan, '..', 'escape.txt'))).toBe(false)
  })

  it('checks a directory again after a command ran: a link made by a task between two template tasks is refused', async () => {
    const outside = testdir({}, { git: false })
    const cwd = templateRepo({
      'phases/p.yaml': filesPlan(
        `${[
          '      - { template: "builtin:editorconfig", to: out/first/.editorconfig }',
          `      - run: "rm -rf out/first && ln -s '${outside}' out/first"`,
          '      - { template: "builtin:license-mit", to: out/first/LICENSE }',
        ].join('\n')}\n`,
      ),
    })
    const result = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('leads outside the repository through a symbolic link')
    expect(existsSync(join(outside, 'LICENSE'))).toBe(false)
  })

  it('fingerprints what is on disk after the phase: a file a task removes after a template wrote it is not recorded', async () => {
    const cwd = templateRepo({
      'phases/p.yaml': filesPlan(
        '      - { template: "builtin:editorconfig", to: kept/.editorconfig }\n      - { template: "builtin:license-mit", to: gone/LICENSE }\n      - run: "rm gone/LICENSE"\n',
      ),
    })
    const result = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(result.code, result.stdout).toBe(0)
    const files = Object.keys(JSON.parse(read(cwd, '.wf/ledger.json')).passed.files.inputs.files)
    expect(files).toContain('kept/.editorconfig')
    expect(files).not.toContain('gone/LICENSE')
    const verify = await runCli(['ledger', 'verify'], { cwd })
    expect(verify.code, verify.stdout + verify.stderr).toBe(0)
  })

  it('renders a template that an earlier phase of the same run rewrote, as it is now', async () => {
    const cwd = templateRepo({
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
    const result = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(result.code, result.stdout).toBe(0)
    expect(read(cwd, 'out1.txt')).toBe('OLD\n')
    expect(read(cwd, 'out3.txt')).toBe('NEW\n')
  })

  it('does not read a template through a symbolic link that leads outside the repository', async () => {
    const outside = testdir({ 'secret.njk': 'outside content\n' }, { git: false })
    const cwd = templateRepo()
    mkdirSync(join(cwd, 'templates'))
    symlinkSync(join(outside, 'secret.njk'), join(cwd, 'templates/linked.njk'))
    const result = await runCli(['generate', 'template', 'templates/linked.njk', '--to', 'OUT'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('template templates/linked.njk is outside the repository')
    expect(existsSync(join(cwd, 'OUT'))).toBe(false)
  })

  it('names an undefined variable and its template line instead of writing an empty string', async () => {
    const cwd = templateRepo({
      'templates/notice.njk': 'Notice for {{ project }}\n\nMaintained by {{ team.lead }}.\n',
      'phases/p.yaml': filesPlan('      - { template: templates/notice.njk, to: NOTICE }\n'),
    })
    const result = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('templates/notice.njk:3:15: `team.lead` is undefined')
    expect(existsSync(join(cwd, 'NOTICE'))).toBe(false)
    const standalone = await runCli(['generate', 'template', 'templates/notice.njk', '--to', 'NOTICE'], { cwd })
    expect(standalone.code).toBe(2)
    expect(standalone.stderr).toContain('`team.lead` is undefined')
    expect(standalone.stderr).toContain('--var team=')
    expect(hasStackTrace(standalone.stderr)).toBe(false)
    writeFileSync(
      join(cwd, 'phases/p.yaml'),
      filesPlan('      - { template: templates/notice.njk, to: NOTICE, vars: { team: { lead: Grace } } }\n'),
    )
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    expect(read(cwd, 'NOTICE')).toBe('Notice for widgets\n\nMaintained by Grace.\n')
  })

  it('reports a template syntax error with its line', async () => {
    const cwd = templateRepo({ 'templates/bad.njk': 'ok\n{% if x %}\nno end\n' })
    const result = await runCli(['generate', 'template', 'templates/bad.njk', '--to', 'OUT'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('templates/bad.njk')
    expect(hasStackTrace(result.stderr)).toBe(false)
    expect(existsSync(join(cwd, 'OUT'))).toBe(false)
  })
})
