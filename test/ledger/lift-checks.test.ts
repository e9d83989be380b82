import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ledgerPaths, readLedger, type PhaseRecord } from '../../src/ledger/ledger.js'
import { hashRecord } from '../../src/ledger/hash-record.js'
import { verifyLedger } from '../../src/ledger/verify-ledger.js'
import { testdir } from '../helpers.js'
import { GIT as git, openWriter as open } from './writer-kit.js'

const record = (id: string, runId: string, status: PhaseRecord['status'], gatesOnly = false): PhaseRecord => ({
  id,
  status,
  runId,
  endedAt: new Date().toISOString(),
  tasks: [],
  gates: [{ name: 'no secrets', kind: 'forbid', status: status === 'failed' ? 'failed' : 'passed', message: 'm' }],
  ...(gatesOnly ? { gatesOnly: true } : {}),
})
const inputs = { wf: '9.9.9', definition: 'd', vars: 'v', env: 'e', needs: {}, files: {} }

/** A ledger as wf wrote it before checks were kept apart: a check's results stored as phases' latest states. */
async function oldLedger(root: string): Promise<PhaseRecord> {
  const writer = await open(root)
  const run = await writer.startRun({ wf: '9.9.9', git, argv: ['run'] })
  const failed = record('build', run.id, 'failed')
  await writer.recordPhase(failed)
  await writer.finishRun('failed')
  const check = await writer.startRun({ wf: '9.9.9', git, argv: ['check', '--staged'] })
  // An approval gate let such a check record what the phase passed with, too.
  const fingerprint = { hash: 'h', runId: check.id, at: new Date().toISOString(), inputs }
  await writer.recordPhase(record('build', check.id, 'passed', true), fingerprint)
  await writer.recordPhase(record('lint', check.id, 'passed', true))
  await writer.finishRun('passed')
  await writer.close()
  asWrittenBefore(root)
  return failed
}

/** The chain as an older wf wrote it: records with no digest of the ledger's state, rehashed. */
function asWrittenBefore(root: string): void {
  const { runs, ledger } = ledgerPaths(root)
  let head: string | null = null
  for (const name of readdirSync(runs).sort()) {
    const run = JSON.parse(readFileSync(join(runs, name), 'utf8'))
    delete run.state
    run.prevHash = head
    run.hash = hashRecord(run)
    head = run.hash
    writeFileSync(join(runs, name), JSON.stringify(run))
  }
  writeFileSync(ledger, JSON.stringify({ ...JSON.parse(readFileSync(ledger, 'utf8')), head }))
}

describe('a ledger whose phases hold checks (written by an older wf)', () => {
  it('reads with each check moved beside its phase, and the phase given back its last full-run result', async () => {
    const root = testdir()
    const failed = await oldLedger(root)
    const before = readFileSync(ledgerPaths(root).ledger, 'utf8')
    expect(JSON.parse(before).phases.build).toMatchObject({ status: 'passed', gatesOnly: true })

    const { ledger } = await readLedger(root, '9.9.9')
    expect(ledger.phases.build).toEqual(failed)
    expect(ledger.phases.lint).toBeUndefined()
    expect(ledger.passed).toEqual({})
    expect(ledger.checks?.build).toMatchObject({ id: 'build', status: 'passed', runId: expect.stringMatching(/^2-/) })
    expect(ledger.checks?.build).not.toHaveProperty('gatesOnly')
    expect(ledger.checks?.lint).toMatchObject({ status: 'passed' })
    // Reading writes nothing.
    expect(readFileSync(ledgerPaths(root).ledger, 'utf8')).toBe(before)
  })

  it('is rewritten in the new shape when a writer opens it, and still verifies', async () => {
    const root = testdir()
    const failed = await oldLedger(root)
    await (await open(root)).close()
    const saved = JSON.parse(readFileSync(ledgerPaths(root).ledger, 'utf8'))
    expect(saved.phases).toEqual({ build: failed })
    expect(saved.passed).toEqual({})
    expect(Object.keys(saved.checks)).toEqual(['build', 'lint'])
    expect(saved.checks.build.gates).toHaveLength(1)
    expect(await verifyLedger(root, '9.9.9')).toMatchObject({ ok: true, problems: [] })
  })
})
