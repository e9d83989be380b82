// What a crashed, damaged or newer ledger leaves behind, as the next wf command finds it. A kill
// leaves these states at random moments in test/e2e/crash-safety.test.ts; here they are set up on disk.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { hasStackTrace, testdir } from '../helpers.js'
import { type Ledger, type RunRecord, readJson, runPath, runSeqs, wfDir } from './ledger-files.js'

// Plain output, as outside GitHub Actions.
const wf = (cwd: string, args: string[]) => runCli(args, { cwd, env: { GITHUB_ACTIONS: undefined } })

describe('ledger recovery', () => {
  it('recovers a run killed before the first ledger.json was written, and one whose record was written but not the ledger', {
    timeout: 30_000,
  }, async () => {
    const cwd = testdir({ 'phases/plan.yaml': 'version: 1\nphases: [{ id: a, tasks: [{ run: "true" }] }]\n' })
    const dead = await deadPid()
    const orphan = (seq: number) => ({
      format: 1,
      seq,
      id: `${seq}-dead00`,
      status: 'running',
      startedAt: new Date().toISOString(),
      pid: dead,
      host: hostname(),
      argv: ['run'],
      wf: '0.1.0',
      git: { commit: null, branch: null, dirty: false },
      phases: [],
      prevHash: null,
    })
    writeInto(cwd, '.wf/runs/00000001.json', JSON.stringify(orphan(1)))
    const first = await wf(cwd, ['run'])
    expect(first.code, first.stderr).toBe(0)
    expect(readJson<RunRecord>(runPath(cwd, 1))).toMatchObject({ id: '1-dead00', status: 'interrupted' })
    expect(readJson<RunRecord>(runPath(cwd, 2)).prevHash).toBe(readJson<RunRecord>(runPath(cwd, 1)).hash)
    expect((await wf(cwd, ['ledger', 'verify'])).code).toBe(0)

    // Killed between writing its run record and the ledger: the ledger never saw run 3.
    writeInto(cwd, '.wf/runs/00000003.json', JSON.stringify(orphan(3)))
    const crashed = await wf(cwd, ['ledger', 'verify'])
    expect(crashed.code, `a crash is not tampering: ${crashed.stderr}`).toBe(0)
    const second = await wf(cwd, ['run', '--force'])
    expect(second.code, second.stderr).toBe(0)
    expect(runSeqs(cwd)).toEqual([1, 2, 3])
    expect(readJson<RunRecord>(runPath(cwd, 3))).toMatchObject({
      status: 'passed',
      prevHash: readJson<RunRecord>(runPath(cwd, 2)).hash,
    })
    const verify = await wf(cwd, ['ledger', 'verify'])
    expect(verify.code, verify.stderr).toBe(0)
  })

  it('moves a corrupt ledger aside with a warning, keeps it intact, and keeps the hash chain', {
    timeout: 30_000,
  }, async () => {
    const cwd = testdir({ 'phases/plan.yaml': 'version: 1\nphases: [{ id: a, tasks: [{ run: "true" }] }]\n' })
    expect((await wf(cwd, ['run'])).code).toBe(0)
    const garbage = '{"format": 1, "phases": {"a": \u0000\u0001 garbage'
    writeFileSync(join(wfDir(cwd), 'ledger.json'), garbage)

    const status = await wf(cwd, ['status'])
    expect(status.code).toBe(3)
    expect(status.stderr).toMatch(/\.wf\/ledger\.json is corrupt/)
    expect(status.stderr).toContain('wf run')
    expect(hasStackTrace(status.stderr)).toBe(false)
    const json = await wf(cwd, ['status', '--json'])
    expect(json.code).toBe(3)
    expect(JSON.parse(json.stdout).error.code).toBe('WF_LEDGER_UNREADABLE')
    expect(readFileSync(join(wfDir(cwd), 'ledger.json'), 'utf8')).toBe(garbage)

    const run = await wf(cwd, ['run'])
    expect(run.code, run.stderr).toBe(0)
    const aside = readdirSync(wfDir(cwd)).filter((n) => n.startsWith('ledger.json.corrupt-'))
    expect(aside).toHaveLength(1)
    expect(run.stderr).toMatch(/^warning: .*ledger\.json was corrupt/m)
    expect(run.stderr).toContain(`.wf/${aside[0]}`)
    expect(readFileSync(join(wfDir(cwd), aside[0]!), 'utf8')).toBe(garbage)
    expect(readJson<Ledger>(join(wfDir(cwd), 'ledger.json')).phases.a).toMatchObject({ status: 'passed' })
    expect((await wf(cwd, ['status'])).code).toBe(0)
    const verify = await wf(cwd, ['ledger', 'verify'])
    expect(verify.code, verify.stderr).toBe(0)
    expect(verify.stdout).toContain('2 run records')
  })

  it('refuses a ledger written by a newer wf and leaves it untouched', { timeout: 30_000 }, async () => {
    const cwd = testdir({ 'phases/plan.yaml': 'version: 1\nphases: [{ id: a, tasks: [{ run: "touch ran.txt" }] }]\n' })
    expect((await wf(cwd, ['run'])).code).toBe(0)
    rmSync(join(cwd, 'ran.txt'))
    const path = join(wfDir(cwd), 'ledger.json')
    const future = readFileSync(path, 'utf8').replace('"format": 2', '"format": 99')
    expect(future).toContain('"format": 99')
    writeFileSync(path, future)

    for (const args of [['run'], ['run', '--force']]) {
      const result = await wf(cwd, args)
      expect(result.code).toBe(3)
      expect(result.stderr).toMatch(/written by a newer wf/)
      expect(result.stderr).toContain('format 99')
      expect(hasStackTrace(result.stderr)).toBe(false)
    }
    expect(readFileSync(path, 'utf8')).toBe(future)
    expect(existsSync(join(cwd, 'ran.txt')), 'nothing ran').toBe(false)
    expect(existsSync(join(wfDir(cwd), 'lock')), 'the lock was released').toBe(false)
    expect(readdirSync(wfDir(cwd)).filter((n) => n.includes('corrupt'))).toEqual([])
    expect(runSeqs(cwd)).toEqual([1])
    const status = await wf(cwd, ['status'])
    expect(status.code).toBe(3)
    expect(status.stderr).toMatch(/newer wf/)
  })
})

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn('true')
  await new Promise((resolve) => child.on('exit', resolve))
  return child.pid!
}

function writeInto(cwd: string, path: string, content: string): void {
  mkdirSync(dirname(join(cwd, path)), { recursive: true })
  writeFileSync(join(cwd, path), content)
}
