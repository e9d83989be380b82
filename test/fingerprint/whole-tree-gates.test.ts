import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo } from '../helpers.js'

const PLAN = `version: 1
phases:
  - id: scan
    inputs: [src/**]
    gates: [{ forbid: { patterns: [secrets] } }]
  - id: whole
    gates: [{ files-exist: [README.md] }]
`

describe('a forbid gate without `in` reads what it scans: every file git does not ignore', () => {
  it('an ignored build file changes nothing; any other file re-runs the phase, and explain names it', async () => {
    const cwd = gitRepo({
      'phases/plan.yaml': PLAN,
      'README.md': '# demo\n',
      'src/a.ts': 'x\n',
      '.gitignore': 'dist/\n.wf/\n',
    })
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    mkdirSync(join(cwd, 'dist'))
    writeFileSync(join(cwd, 'dist', 'bundle.js.cache'), 'built\n')
    const again = await runCli(['run'], { cwd })
    expect(again.stdout).toMatch(/scan up to date/)
    expect(again.stdout).toMatch(/whole up to date/)
    writeFileSync(join(cwd, 'notes.txt'), 'new\n')
    expect((await runCli(['explain', 'scan'], { cwd })).stdout).toMatch(/file added: notes\.txt/)
    expect((await runCli(['run'], { cwd })).stdout).not.toMatch(/scan up to date/)
  })
})
