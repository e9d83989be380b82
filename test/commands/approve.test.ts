import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo } from '../helpers.js'

const ledger = (cwd: string) => JSON.parse(readFileSync(join(cwd, '.wf', 'ledger.json'), 'utf8'))

describe('approvals', () => {
  const plan = `version: 1
phases:
  - id: release
    inputs: [CHANGELOG.md]
    gates:
      - approval: { approvers: [alice, bob], reason: "someone reads the changelog" }
  - id: publish
    needs: [release]
    tasks: [{ run: "echo published >> publish.log" }]
`

  it('keeps a phase awaiting approval until wf approve, and asks again when its inputs change', async () => {
    const cwd = gitRepo({ 'phases/p.yaml': plan, 'CHANGELOG.md': '# 1.0\n' })
    const waiting = await runCli(['run'], { cwd })
    expect(waiting.code).toBe(1)
    expect(waiting.stdout).toMatch(
      /release awaiting approval( \(\d+ms\))?: no approval recorded: run `wf approve release --by alice` \(someone reads the changelog\)/,
    )
    expect(ledger(cwd).phases).toMatchObject({
      release: { status: 'awaiting-approval' },
      publish: { status: 'blocked' },
    })
    expect(JSON.parse((await runCli(['status', '--json'], { cwd })).stdout).approvals).toEqual([
      { phase: 'release', state: 'pending', command: 'wf approve release' },
    ])

    const wrong = await runCli(['approve', 'release', '--by', 'mallory'], { cwd })
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('mallory may not approve `release`; its approvers are alice, bob')

    expect((await runCli(['approve', 'release', '--by', 'alice', '--note', 'read it'], { cwd })).code).toBe(0)
    expect(ledger(cwd).approvals.release).toMatchObject({ by: 'alice', note: 'read it' })
    const approved = await runCli(['run'], { cwd })
    expect(approved.code).toBe(0)
    expect(readFileSync(join(cwd, 'publish.log'), 'utf8')).toBe('published\n')
    const status = JSON.parse((await runCli(['status', '--json'], { cwd })).stdout)
    expect(status.approvals).toEqual([
      expect.objectContaining({ phase: 'release', state: 'approved', by: 'alice', note: 'read it' }),
    ])

    writeFileSync(join(cwd, 'CHANGELOG.md'), '# 1.0\n# 1.1\n')
    const changed = await runCli(['run'], { cwd })
    expect(changed.code).toBe(1)
    expect(changed.stdout).toMatch(/approved by alice at \S+, but the phase's inputs changed since/)
    expect(readFileSync(join(cwd, 'publish.log'), 'utf8')).toBe('published\n')
    expect((await runCli(['approve', 'release', '--by', 'bob'], { cwd })).code).toBe(0)
    expect((await runCli(['run'], { cwd })).code).toBe(0)
  })

  it('refuses to approve a phase without an approval gate', async () => {
    const cwd = gitRepo({ 'phases/p.yaml': plan, 'CHANGELOG.md': '# 1.0\n' })
    const result = await runCli(['approve', 'publish', '--by', 'alice'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('phase `publish` has no approval gate')
  })
})
