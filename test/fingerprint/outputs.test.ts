import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo } from '../helpers.js'

const WRITE_QUALITY = `node -e "require('fs').writeFileSync('quality.txt','ok')"`

/** The issue's plan: three phases without inputs; the last writes quality.txt (`outputs` lines go on phase3). */
const qualityPlan = (outputs = '') =>
  [
    'version: 1',
    'phases:',
    '  - id: phase1',
    '    gates: [{ files-exist: [README.md] }]',
    '  - id: phase2',
    '    needs: [phase1]',
    '    gates: [{ files-exist: [README.md] }]',
    '  - id: phase3',
    '    needs: [phase2]',
    ...(outputs ? [outputs] : []),
    '    tasks:',
    `      - run: ${JSON.stringify(WRITE_QUALITY)}`,
    '',
  ].join('\n')

const statuses = (stdout: string) =>
  (JSON.parse(stdout) as { phases: { id: string; status: string }[] }).phases.map((p) => `${p.id}:${p.status}`)

describe('declared outputs', () => {
  it('leaves a declared output out of whole-tree fingerprints: the second run is up to date', async () => {
    const cwd = gitRepo({ 'README.md': '# r\n', 'phases/p.yaml': qualityPlan('    outputs: [quality.txt]') })
    const first = await runCli(['run', '--json'], { cwd })
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout).warnings).toBeUndefined()
    const second = await runCli(['run', '--json'], { cwd })
    expect(statuses(second.stdout)).toEqual(['phase1:up-to-date', 'phase2:up-to-date', 'phase3:up-to-date'])
  })

  it('names an undeclared write and the phases it re-runs; with the declaration it says, the plan settles', async () => {
    const cwd = gitRepo({ 'README.md': '# r\n', 'phases/p.yaml': qualityPlan() })
    const first = await runCli(['run'], { cwd })
    expect(first.code).toBe(0)
    const warning =
      'phase3 wrote quality.txt, which is not in its outputs: the next run will run phase1 and phase2 again; declare `outputs: [quality.txt]`'
    expect(first.stderr).toContain(`warning: ${warning}`)
    // The declaration goes on the task this time (a phase's outputs are the union of its own and its tasks').
    writeFileSync(
      join(cwd, 'phases/p.yaml'),
      qualityPlan().replace(
        `      - run: ${JSON.stringify(WRITE_QUALITY)}`,
        `      - run: ${JSON.stringify(WRITE_QUALITY)}\n        outputs: [quality.txt]`,
      ),
    )
    const second = await runCli(['run', '--json'], { cwd })
    expect(second.code).toBe(0)
    expect(JSON.parse(second.stdout).warnings).toBeUndefined()
    const third = await runCli(['run', '--json'], { cwd })
    expect(statuses(third.stdout)).toEqual(['phase1:up-to-date', 'phase2:up-to-date', 'phase3:up-to-date'])
  })

  it('re-runs a phase whose declared output is missing or changed, and explain says which', async () => {
    const cwd = gitRepo({
      'README.md': '# r\n',
      'phases/p.yaml': [
        'version: 1',
        'phases:',
        '  - id: build',
        '    inputs: [README.md]',
        '    outputs: [dist/app.js]',
        '    tasks:',
        `      - run: ${JSON.stringify(`node -e "require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/app.js','built')"`)}`,
        '',
      ].join('\n'),
    })
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    expect(statuses((await runCli(['run', '--json'], { cwd })).stdout)).toEqual(['build:up-to-date'])
    rmSync(join(cwd, 'dist/app.js'))
    const missing = await runCli(['explain', 'build'], { cwd })
    expect(missing.stdout).toContain('output missing: dist/app.js')
    const rerun = await runCli(['run', '--json'], { cwd })
    expect(statuses(rerun.stdout)).toEqual(['build:passed'])
    expect(existsSync(join(cwd, 'dist/app.js'))).toBe(true)
    writeFileSync(join(cwd, 'dist/app.js'), 'edited')
    expect((await runCli(['explain', 'build'], { cwd })).stdout).toContain('output changed: dist/app.js')
  })

  it('counts a report or workflow wf writes into the repository as that command’s output: nothing re-runs', async () => {
    const cwd = gitRepo({
      'README.md': '# r\n',
      'phases/p.yaml': 'version: 1\nphases:\n  - id: docs\n    gates: [{ files-exist: [README.md] }]\n',
    })
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    expect((await runCli(['report', '--format', 'html', '--output', 'report.html'], { cwd })).code).toBe(0)
    expect((await runCli(['ci', 'github'], { cwd })).code).toBe(0)
    expect(existsSync(join(cwd, 'report.html'))).toBe(true)
    expect(statuses((await runCli(['run', '--json'], { cwd })).stdout)).toEqual(['docs:up-to-date'])
    // An edit by hand is a change of the tree again.
    writeFileSync(join(cwd, 'report.html'), 'edited')
    expect((await runCli(['explain', 'docs'], { cwd })).stdout).toContain('would run')
  })

  it('names every phase that was running as a candidate when phases ran side by side', async () => {
    // Each task waits for the other's file, so the two phases certainly overlap.
    const task = (mine: string, theirs: string) =>
      JSON.stringify(
        `node -e "const fs=require('fs');fs.writeFileSync('${mine}','x');const t=Date.now();while(!fs.existsSync('${theirs}')&&Date.now()-t<20000){}"`,
      )
    const cwd = gitRepo({
      'README.md': '# r\n',
      'phases/p.yaml': [
        'version: 1',
        'phases:',
        '  - id: left',
        `    tasks: [{ run: ${task('left.txt', 'right.txt')} }]`,
        '  - id: right',
        `    tasks: [{ run: ${task('right.txt', 'left.txt')} }]`,
        '',
      ].join('\n'),
    })
    const run = await runCli(['run', '--concurrency', '2', '--json'], { cwd })
    expect(run.code).toBe(0)
    const warnings = JSON.parse(run.stdout).warnings as string[]
    expect(warnings.join('\n')).toContain('left or right wrote')
    expect(warnings.join('\n')).toContain('on the phase that writes it')
  }, 30_000)
})
