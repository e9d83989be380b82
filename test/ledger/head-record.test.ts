// A ledger whose last run record does not verify: writers stop and say how to recover, readers
// still answer and show the problem.
import { execSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { hasStackTrace, testdir } from '../helpers.js'
import { runPath, runSeqs, wfDir } from './ledger-files.js'

const wf = (cwd: string, args: string[]) => runCli(args, { cwd, env: { GITHUB_ACTIONS: undefined } })
const plan = 'version: 1\nphases: [{ id: a, tasks: [{ run: "true" }] }]\n'

describe('the last run record', () => {
  it('stops `wf run` with exit 3 and a way out when it is truncated; status still shows the phases and the problem', {
    timeout: 30_000,
  }, async () => {
    const cwd = testdir({ 'phases/plan.yaml': plan })
    expect((await wf(cwd, ['run'])).code).toBe(0)
    expect((await wf(cwd, ['run', '--force'])).code).toBe(0)
    const text = readFileSync(runPath(cwd, 2), 'utf8')
    writeFileSync(runPath(cwd, 2), text.slice(0, text.length / 2))

    const run = await wf(cwd, ['run', '--force'])
    expect(run.code, run.stderr).toBe(3)
    expect(run.stderr).toContain('.wf/runs/00000002.json, the record of the last run, is not valid JSON')
    expect(run.stderr).toContain('[WF_LEDGER_DAMAGED]')
    expect(hasStackTrace(run.stderr)).toBe(false)
    expect(runSeqs(cwd), 'nothing was added to the ledger').toEqual([1, 2])
    expect(existsSync(`${wfDir(cwd)}/lock`), 'the lock was released').toBe(false)

    const status = await wf(cwd, ['status'])
    expect(status.code, status.stderr).toBe(0)
    expect(status.stdout).toMatch(/the ledger does not verify: \.wf\/runs\/00000002\.json, the record of the last run/)
    expect(status.stdout).toMatch(/^a\s+passed/m)
    const json = JSON.parse((await wf(cwd, ['status', '--json'])).stdout)
    expect(json.ledgerProblem).toContain('00000002.json')

    // The hint's command moves the ledger aside; the next run starts a new one.
    const move = /mv \S+ \S+/.exec(run.stderr)?.[0]
    expect(move, run.stderr).toBeDefined()
    execSync(move!, { cwd })
    expect(readdirSync(cwd).filter((n) => n.startsWith('.wf.damaged-'))).toHaveLength(1)
    const fresh = await wf(cwd, ['run'])
    expect(fresh.code, fresh.stderr).toBe(0)
    expect((await wf(cwd, ['ledger', 'verify'])).code).toBe(0)
  })

  it('stops `wf run` when it was edited, and lets it go on once the record is restored', {
    timeout: 30_000,
  }, async () => {
    const cwd = testdir({ 'phases/plan.yaml': plan })
    expect((await wf(cwd, ['run'])).code).toBe(0)
    const text = readFileSync(runPath(cwd, 1), 'utf8')
    writeFileSync(runPath(cwd, 1), text.replace('"status": "passed"', '"status": "failed"'))

    const run = await wf(cwd, ['run', '--force'])
    expect(run.code, run.stderr).toBe(3)
    expect(run.stderr).toContain('.wf/runs/00000001.json, the record of the last run, was changed after it was written')
    expect(run.stderr).toMatch(/hint: .*restore \.wf\/ from a copy/)
    expect(runSeqs(cwd)).toEqual([1])

    writeFileSync(runPath(cwd, 1), text)
    const again = await wf(cwd, ['run', '--force'])
    expect(again.code, again.stderr).toBe(0)
    expect(runSeqs(cwd)).toEqual([1, 2])
    expect((await wf(cwd, ['ledger', 'verify'])).code).toBe(0)
  })

  it('stops `wf run` when it was edited in place to the same size with its modification time put back', {
    timeout: 30_000,
  }, async () => {
    const cwd = testdir({ 'phases/plan.yaml': plan })
    expect((await wf(cwd, ['run'])).code).toBe(0)
    // The writer noted the record it wrote (so the next writer need not hash it again): the note must not hide an edit.
    expect(readFileSync(`${wfDir(cwd)}/cache/ledger/head.json`, 'utf8')).toContain('00000001.json')
    const before = statSync(runPath(cwd, 1))
    const text = readFileSync(runPath(cwd, 1), 'utf8')
    const edited = text.replace('"status": "passed"', '"status": "failed"')
    expect(edited.length).toBe(text.length)
    writeFileSync(runPath(cwd, 1), edited)
    utimesSync(runPath(cwd, 1), before.atime, before.mtime)
    expect(Math.abs(statSync(runPath(cwd, 1)).mtimeMs - before.mtimeMs)).toBeLessThan(1)

    const run = await wf(cwd, ['run', '--force'])
    expect(run.code, run.stderr).toBe(3)
    expect(run.stderr).toContain('.wf/runs/00000001.json, the record of the last run, was changed after it was written')
    const status = await wf(cwd, ['status', '--json'])
    expect(JSON.parse(status.stdout).ledgerProblem).toContain('00000001.json')
  })
})
