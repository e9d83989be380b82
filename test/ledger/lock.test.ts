import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { repoRoot, testdir } from '../helpers.js'

const ajv = new Ajv()
const validateLedger = ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'contracts', 'ledger.schema.json'), 'utf8')))

const plan = `version: 1
phases:
  - id: prepare
    tasks: [{ run: "echo x > prepared.txt" }]
`
// Plain output, as outside GitHub Actions.
const wf = (cwd: string, args: string[]) => runCli(args, { cwd, env: { GITHUB_ACTIONS: undefined } })
const runNames = (cwd: string) => readdirSync(join(cwd, '.wf', 'runs')).filter((n) => /^\d{8}\.json$/.test(n))

/** A lock file as a `wf run` on `host` with process `pid` would have left it. */
const lockFile = (pid: number, host = hostname()) =>
  JSON.stringify({
    pid,
    host,
    startedAt: '2026-01-01T00:00:00.000Z',
    command: 'wf run --only ghost',
    token: 'feedfacefeedface',
  })

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn('true')
  await new Promise((resolve) => child.on('exit', resolve))
  return child.pid!
}

describe('stale and foreign locks', () => {
  it('takes over a lock left by a process that died on this host', async () => {
    const cwd = testdir({ 'phases/plan.yaml': plan })
    const pid = await deadPid()
    expect(() => process.kill(pid, 0)).toThrow()
    mkdirSync(join(cwd, '.wf'))
    writeFileSync(join(cwd, '.wf', 'lock'), lockFile(pid))
    const result = await wf(cwd, ['run', '--lock-timeout', '0'])
    expect(result.code, result.stderr).toBe(0)
    expect(runNames(cwd)).toHaveLength(1)
    // The ledger is valid, unlocked, without temp files, and its hash chain verifies.
    const ledger = JSON.parse(readFileSync(join(cwd, '.wf', 'ledger.json'), 'utf8'))
    expect(validateLedger(ledger), ajv.errorsText(validateLedger.errors)).toBe(true)
    expect(ledger.active).toBeNull()
    const files = [...readdirSync(join(cwd, '.wf')), ...readdirSync(join(cwd, '.wf', 'runs'))]
    expect(files.filter((n) => n === 'lock' || n.endsWith('.tmp') || n.includes('stale'))).toEqual([])
    const verify = await wf(cwd, ['ledger', 'verify'])
    expect(verify.code, verify.stderr).toBe(0)
  })

  it('waits for a live holder and for a lock from another host instead of breaking it', async () => {
    const cwd = testdir({ 'phases/plan.yaml': plan })
    mkdirSync(join(cwd, '.wf'))
    const lock = join(cwd, '.wf', 'lock')
    // This process is alive: the lock is held.
    writeFileSync(lock, lockFile(process.pid))
    const live = await wf(cwd, ['run', '--lock-timeout', '0'])
    expect(live.code).toBe(3)
    expect(live.stderr).toContain(`\`wf run --only ghost\` (pid ${process.pid} on ${hostname()}`)

    const foreign = lockFile(await deadPid(), 'elsewhere.example')
    writeFileSync(lock, foreign)
    const remote = await wf(cwd, ['run', '--lock-timeout', '1'])
    expect(remote.code).toBe(3)
    expect(remote.stderr).toContain('on elsewhere.example')
    expect(remote.stderr).toMatch(/waited 1s/)
    expect(readFileSync(lock, 'utf8')).toBe(foreign)
    expect(existsSync(join(cwd, 'prepared.txt')), 'nothing ran').toBe(false)
  })
})
