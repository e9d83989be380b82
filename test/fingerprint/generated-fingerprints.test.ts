import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { read, templateRepo } from '../template-repo.js'

describe('generated files and whole-tree fingerprints', () => {
  it('leaves generated files out of whole-tree fingerprints: the second run is up to date, an edit re-runs only the generator', async () => {
    const cwd = templateRepo({
      'phases/p.yaml': [
        'version: 1',
        'phases:',
        '  - id: baseline',
        '    gates: [{ files-exist: [README.md] }]',
        '  - id: files',
        '    needs: [baseline]',
        '    tasks:',
        // merge: false, so a hand edit fails the generator instead of being merged.
        '      - { template: "builtin:security-policy", to: SECURITY.md, merge: false }',
        '  - id: last',
        '    needs: [files]',
        '    gates: [{ files-exist: [SECURITY.md] }]',
        '',
      ].join('\n'),
    })
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    const again = await runCli(['run', '--json'], { cwd })
    expect(JSON.parse(again.stdout).phases.map((p: { status: string }) => p.status)).toEqual([
      'up-to-date',
      'up-to-date',
      'up-to-date',
    ])
    // A hand edit of the generated file is its generator's business (it reports the drift); baseline stays up to date.
    writeFileSync(join(cwd, 'SECURITY.md'), `${read(cwd, 'SECURITY.md')}\nedited\n`)
    const edited = await runCli(['run', '--json'], { cwd })
    expect(edited.code).toBe(1)
    expect(JSON.parse(edited.stdout).phases.map((p: { id: string; status: string }) => `${p.id}:${p.status}`)).toEqual([
      'baseline:up-to-date',
      'files:failed',
      'last:blocked',
    ])
    // Any other file still counts for a phase without inputs.
    writeFileSync(join(cwd, 'notes.txt'), 'new\n')
    const explained = await runCli(['explain', 'baseline'], { cwd })
    expect(explained.stdout).toContain('baseline would run')
    expect(explained.stdout).toContain('file added: notes.txt')
  })

  it('keeps in the whole tree what no generator of the plan writes: files of `wf generate template`, kept `overwrite: never` files', async () => {
    const cwd = templateRepo({
      'templates/c.njk': 'export const c = 1\n',
      'src/config.ts': 'export const config = {}\n',
      'phases/p.yaml':
        'version: 1\nphases:\n  - id: test\n    tasks: [{ run: "true" }]\n  - id: scaffold\n    tasks:\n      - { template: "builtin:editorconfig", to: src/config.ts, overwrite: never }\n',
    })
    expect((await runCli(['generate', 'template', 'templates/c.njk', '--to', 'src/c.ts'], { cwd })).code).toBe(0)
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    // The kept file is not wf's: the second run is up to date all the same.
    const again = await runCli(['run', '--json'], { cwd })
    expect(JSON.parse(again.stdout).phases.map((p: { status: string }) => p.status)).toEqual([
      'up-to-date',
      'up-to-date',
    ])
    // A file generated outside the plan counts for phases that watch the whole tree.
    writeFileSync(join(cwd, 'src', 'c.ts'), 'export const c = 2\n')
    const edited = await runCli(['run', '--json'], { cwd })
    expect(JSON.parse(edited.stdout).phases.map((p: { id: string; status: string }) => `${p.id}:${p.status}`)).toEqual([
      'test:passed',
      'scaffold:passed',
    ])
  })
})
