// Packs the npm package and installs it into an empty folder: only real npm and a real install show what users get.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { git, gitRepo, repoRoot, testdir } from '../helpers.js'

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'error', npm_config_audit: 'false', npm_config_fund: 'false' },
  })

describe('npm package', () => {
  it('packs, installs into an empty folder, runs `wf --version` and `wf validate`, and `npx wf-phases init` then `run` pass', () => {
    const out = testdir({}, { git: false })
    // dist/ is built by `npm test` before the suite runs; packing must not rebuild into the repository.
    const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', out], repoRoot))
    const files = packed.files.map((f: { path: string }) => f.path)
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/run.js',
        'bin/load-cli.js',
        'dist/cli.cjs',
        'dist/commands.cjs',
        'oclif.manifest.json',
        'contracts/plan.schema.json',
        'package.json',
        'README.md',
      ]),
    )
    expect(files.some((f: string) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false)

    const app = testdir({}, { git: false })
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "version": "1.0.0", "private": true }\n')
    npm(['install', '--no-save', join(out, packed.filename)], app)
    const wf = join(app, 'node_modules', '.bin', 'wf')
    expect(execFileSync(wf, ['--version'], { encoding: 'utf8' })).toMatch(/^wf-phases\/\d+\.\d+\.\d+ /)

    const repo = testdir({ 'phases/a.yaml': 'version: 1\nphases:\n  - id: a\n  - id: b\n    needs: [a]\n' })
    expect(execFileSync(wf, ['validate', '--cwd', repo], { encoding: 'utf8' })).toContain('2 phases: valid')
    expect(execFileSync(wf, ['graph', '--format', 'text', '--cwd', repo], { encoding: 'utf8' })).toBe('a\n└─ b\n')

    // The README's Quick start, under the package's registry name: install, `npx NAME init`, `npx NAME run`.
    expect(packed.name).toBe('wf-phases')
    const project = gitRepo({ 'README.md': '# project\n', '.gitignore': 'node_modules/\n' })
    writeFileSync(
      join(project, 'package.json'),
      '{ "name": "project", "version": "1.0.0", "private": true, "engines": { "node": ">=20" } }\n',
    )
    npm(['install', '--save-dev', join(out, packed.filename)], project)
    git(project, 'add', '-A')
    git(project, 'commit', '-q', '-m', 'install wf')
    const init = npm(['exec', '--no', '--', 'wf-phases', 'init'], project)
    expect(init).toContain('wrote phases/governance.yaml')
    expect(init).toContain('`npx wf-phases run`')
    // The plan's modeline points at the schema of the installed package, which is there.
    const modeline = readFileSync(join(project, 'phases', 'governance.yaml'), 'utf8').split('\n')[0]
    expect(modeline).toBe('# yaml-language-server: $schema=../node_modules/wf-phases/contracts/plan.schema.json')
    expect(existsSync(join(project, 'node_modules', 'wf-phases', 'contracts', 'plan.schema.json'))).toBe(true)
    const run = npm(['exec', '--no', '--', 'wf-phases', 'run'], project)
    expect(run).toMatch(/passed/)
    // From an empty repository with nothing installed, as `npx wf-phases init` from the registry.
    const empty = gitRepo({ 'README.md': '# empty\n' })
    const fresh = npm(['exec', '--yes', `--package=${join(out, packed.filename)}`, '--', 'wf', 'init'], empty)
    expect(fresh).toContain('wrote phases/governance.yaml')
    expect(existsSync(join(empty, 'node_modules'))).toBe(false)
    // Once installed, the binary answers to `wf` as well.
    expect(npm(['exec', '--no', '--', 'wf', 'status', '--json'], project)).toContain('"passed"')
  })
})
