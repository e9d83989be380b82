import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { writeFileAtomic } from '../../src/lib/atomic-write.js'
import { ledgerPaths, readLedger, type PhaseRecord } from '../../src/ledger/ledger.js'
import { verifyLedger } from '../../src/ledger/verify-ledger.js'
import { testdir } from '../helpers.js'
import { runPath } from './ledger-files.js'
import { GIT as git, openWriter as open } from './writer-kit.js'

const record = (id: string, runId: string, status: PhaseRecord['status']): PhaseRecord => ({
  id,
  status,
  runId,
  tasks: [],
  gates: [{ name: 'no secrets', kind: 'forbid', status: status === 'failed' ? 'failed' : 'passed', message: 'm' }],
  gatesOnly: true,
})

/** A ledger whose phase `build` failed in a full run. */
async function failedBuild(root: string): Promise<PhaseRecord> {
  const writer = await open(root)
  const run = await writer.startRun({ wf: '9.9.9', git, argv: ['run'] })
  const failed = { ...record('build', run.id, 'failed'), gatesOnly: undefined }
  await writer.recordPhase(failed)
  await writer.finishRun('failed')
  await writer.close()
  return (await readLedger(root, '9.9.9')).ledger.phases.build!
}

describe('LedgerWriter.recordCheck', () => {
  it("records a check in its run and as the phase's last check, leaving the phase's result as it was", async () => {
    const root = testdir()
    const failed = await failedBuild(root)
    const writer = await open(root)
    const run = await writer.startRun({
      wf: '9.9.9',
      git,
      argv: ['check', '--staged'],
      check: { kind: 'staged', fileCount: 1, files: ['a.js'] },
    })
    writer.recordCheck({ ...record('build', run.id, 'passed'), gatesOnly: undefined })
    await writer.finishRun('passed')
    await writer.close()
    const { ledger } = await readLedger(root, '9.9.9')
    expect(ledger.phases.build).toEqual(failed)
    expect(ledger.passed).toEqual({})
    expect(ledger.checks?.build).toMatchObject({
      status: 'passed',
      runId: run.id,
      scope: { kind: 'staged', fileCount: 1, files: ['a.js'] },
    })
    const onDisk = JSON.parse(readFileSync(runPath(root, run.seq), 'utf8'))
    expect(onDisk.check).toEqual({ kind: 'staged', fileCount: 1, files: ['a.js'] })
    expect(onDisk.phases).toEqual([expect.objectContaining({ id: 'build', status: 'passed', gatesOnly: true })])
    expect(await verifyLedger(root, '9.9.9')).toMatchObject({ ok: true })
  })

  it("adopts a check whose run record was written but not the ledger as the phase's last check, not its result", async () => {
    const root = testdir()
    const failed = await failedBuild(root)
    const full = await open(root, (path, data) =>
      path.endsWith('ledger.json')
        ? Promise.reject(Object.assign(new Error('no space'), { code: 'ENOSPC' }))
        : writeFileAtomic(path, data),
    )
    const run = await full.startRun({ wf: '9.9.9', git, argv: ['check'], check: { kind: 'full' } })
    full.recordCheck(record('build', run.id, 'passed'))
    await expect(full.finishRun('passed')).rejects.toThrow()
    await full.close()
    await (await open(root)).close()
    const saved = JSON.parse(readFileSync(ledgerPaths(root).ledger, 'utf8'))
    expect(saved.lastSeq).toBe(2)
    expect(saved.phases.build).toEqual(failed)
    expect(saved.checks.build).toMatchObject({ status: 'passed', runId: run.id, scope: { kind: 'full' } })
    expect(await verifyLedger(root, '9.9.9')).toMatchObject({ ok: true })
  })
})
