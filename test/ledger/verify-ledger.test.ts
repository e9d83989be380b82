import { readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { hasStackTrace, testdir } from '../helpers.js'
import { type Ledger, type PhaseRecord, type RunRecord, runPath, runSeqs, wfDir } from './ledger-files.js'

// Plain output, as outside GitHub Actions.
const wf = (cwd: string, args: string[]) => runCli(args, { cwd, env: { GITHUB_ACTIONS: undefined } })

describe('wf ledger verify', () => {
  it('wf ledger verify detects an edited run, a removed run and an edited ledger', { timeout: 30_000 }, async () => {
    const cwd = testdir({
      'phases/plan.yaml':
        'version: 1\nphases: [{ id: a, tasks: [{ run: "true" }] }, { id: b, needs: [a], gates: [{ files-exist: [phases] }] }]\n',
    })
    for (let i = 0; i < 3; i++) expect((await wf(cwd, ['run', '--force'])).code).toBe(0)
    expect(runSeqs(cwd)).toEqual([1, 2, 3])
    const clean = await wf(cwd, ['ledger', 'verify'])
    expect(clean.code, clean.stderr).toBe(0)
    expect(clean.stdout).toContain('3 run records')

    const second = runPath(cwd, 2)
    const original = readFileSync(second, 'utf8')
    const run2 = JSON.parse(original) as RunRecord & { argv: string[] }
    writeFileSync(second, original.replace(/"status": "passed"/, '"status": "failed"'))
    expect(readFileSync(second, 'utf8')).not.toBe(original)
    const edited = await wf(cwd, ['ledger', 'verify'])
    expect(edited.code).toBe(1)
    expect(edited.stderr).toContain('runs/00000002.json')
    expect(edited.stderr).toContain(run2.id)
    expect(edited.stderr).toMatch(/modified/)
    expect(hasStackTrace(edited.stderr)).toBe(false)
    const json = await wf(cwd, ['ledger', 'verify', '--json'])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, runs: 3 })
    writeFileSync(second, original)
    expect((await wf(cwd, ['ledger', 'verify'])).code).toBe(0)

    unlinkSync(second)
    const removed = await wf(cwd, ['ledger', 'verify'])
    expect(removed.code).toBe(1)
    expect(removed.stderr).toMatch(/chain is broken/)
    expect(removed.stderr).toContain('runs/00000003.json')
    writeFileSync(second, original)
    expect((await wf(cwd, ['ledger', 'verify'])).code).toBe(0)

    const ledgerPath = join(wfDir(cwd), 'ledger.json')
    const ledgerText = readFileSync(ledgerPath, 'utf8')
    const ledger = JSON.parse(ledgerText) as Ledger & { phases: Record<string, PhaseRecord & { durationMs: number }> }
    ledger.phases.a!.durationMs += 1
    writeFileSync(ledgerPath, `${JSON.stringify(ledger, null, 1)}\n`)
    const tampered = await wf(cwd, ['ledger', 'verify'])
    expect(tampered.code).toBe(1)
    expect(tampered.stderr).toMatch(/phases\.a was edited after run 3-\w+ recorded it/)
    writeFileSync(ledgerPath, ledgerText)
    const restored = await wf(cwd, ['ledger', 'verify'])
    expect(restored.code, restored.stderr).toBe(0)
  })
})
