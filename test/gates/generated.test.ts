import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { git, testdir } from '../helpers.js'
import { filesPlan, read, templateRepo } from '../template-repo.js'

describe('the generated gate', () => {
  const files = (holder: string) =>
    filesPlan(
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
    const cwd = templateRepo({ 'templates/notice.njk': 'Notice\nfor {{ project }}\n', 'phases/p.yaml': files('Acme') })
    const run = await runCli(['run', '--json'], { cwd })
    expect(run.code).toBe(0)
    expect(generatedGate(run.stdout)).toMatchObject({ status: 'passed', message: '2 generated files are current' })
    expect((await runCli(['check'], { cwd })).code).toBe(0)

    // missing
    rmSync(join(cwd, 'docs/NOTICE'))
    let check = await runCli(['check', '--json'], { cwd })
    expect(check.code).toBe(1)
    expect(generatedGate(check.stdout).message).toBe('1 missing: docs/NOTICE')
    expect(generatedGate(check.stdout).locations![0]!.message).toContain('run `wf run-phase files`')

    // drifted: edited by hand after wf wrote it
    expect((await runCli(['run', '--force'], { cwd })).code).toBe(0)
    writeFileSync(join(cwd, 'docs/NOTICE'), 'Notice\nfor someone else\n')
    check = await runCli(['check', '--json'], { cwd })
    expect(check.code).toBe(1)
    expect(generatedGate(check.stdout).message).toBe('1 drifted: docs/NOTICE')
    expect(generatedGate(check.stdout).locations).toEqual([expect.objectContaining({ file: 'docs/NOTICE', line: 2 })])
    expect(generatedGate(check.stdout).locations![0]!.message).toContain('run `wf run-phase files --overwrite`')

    // stale: the plan changed and nobody ran it
    expect((await runCli(['run', '--overwrite'], { cwd })).code).toBe(0)
    writeFileSync(join(cwd, 'phases/p.yaml'), files('Acme Inc.'))
    check = await runCli(['check', '--json'], { cwd })
    expect(check.code).toBe(1)
    expect(generatedGate(check.stdout).message).toBe('1 stale: LICENSE')
    expect(generatedGate(check.stdout).locations![0]).toMatchObject({ file: 'LICENSE', line: 3 })
  })

  it('in a fresh clone without a ledger, any difference fails the check', async () => {
    const cwd = templateRepo({ 'templates/notice.njk': 'Notice for {{ project }}\n', 'phases/p.yaml': files('Acme') })
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    git(cwd, 'add', '-A')
    git(cwd, 'commit', '-qm', 'generated')
    const clone = testdir({}, { git: false })
    git(clone, 'clone', '-q', cwd, 'c')
    const copy = join(clone, 'c')
    git(copy, 'remote', 'set-url', 'origin', 'git@github.com:acme/widgets.git')
    expect((await runCli(['check'], { cwd: copy })).code).toBe(0)
    writeFileSync(join(copy, 'LICENSE'), read(copy, 'LICENSE').replace('Acme', 'Ac me'))
    const check = await runCli(['check', '--json'], { cwd: copy })
    expect(check.code).toBe(1)
    expect(generatedGate(check.stdout).message).toBe('1 stale: LICENSE')
  })

  it('only asks a file written with overwrite: never to exist', async () => {
    const cwd = templateRepo({
      'templates/notice.njk': 'Notice\n',
      'phases/p.yaml': filesPlan(
        '      - { template: templates/notice.njk, to: NOTICE, overwrite: never }\n',
        '      - generated: true\n',
      ),
    })
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    writeFileSync(join(cwd, 'NOTICE'), 'Our own notice\n')
    expect((await runCli(['check'], { cwd })).code).toBe(0)
    rmSync(join(cwd, 'NOTICE'))
    const check = await runCli(['check', '--json'], { cwd })
    expect(check.code).toBe(1)
    expect(generatedGate(check.stdout).message).toBe('1 missing: NOTICE')
  })

  it("can check another phase's outputs, limited to some files", async () => {
    const cwd = templateRepo({
      'templates/notice.njk': 'Notice\n',
      'phases/p.yaml': `${files('Acme')}  - id: verify\n    needs: [files]\n    gates:\n      - generated: { phases: [files], files: "docs/**" }\n`,
    })
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    writeFileSync(join(cwd, 'LICENSE'), 'changed\n')
    const check = await runCli(['check', 'verify', '--json'], { cwd })
    expect(check.code).toBe(0)
    expect(JSON.parse(check.stdout).phases[0].gates[0].message).toBe('1 generated file is current')
    mkdirSync(join(cwd, 'docs'), { recursive: true })
    writeFileSync(join(cwd, 'docs/NOTICE'), 'changed\n')
    expect((await runCli(['check', 'verify'], { cwd })).code).toBe(1)
  })
})
