import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WfError, exitCodeFor } from '../../src/lib/errors.js'
import { ledgerPaths, readLedger, type PhaseRecord } from '../../src/ledger/ledger.js'
import { verifyLedger } from '../../src/ledger/verify-ledger.js'
import { testdir } from '../helpers.js'
import { GIT as git, openWriter as open, phaseRecord as phase } from './writer-kit.js'

async function recordRuns(root: string, count: number, history?: number) {
  for (let i = 0; i < count; i++) {
    const writer = await open(root, { history })
    const run = await writer.startRun({ wf: '9.9.9', git, argv: ['run'] })
    await writer.recordPhase(phase('build', run.id))
    await writer.finishRun('passed')
    await writer.close()
  }
}

describe('ledger', () => {
  it('chains runs by hash and verifies them', async () => {
    const root = testdir()
    await recordRuns(root, 3)
    const { ledger } = await readLedger(root, '9.9.9')
    expect(ledger.lastSeq).toBe(3)
    expect(ledger.recent.map((r) => r.status)).toEqual(['passed', 'passed', 'passed'])
    const runs = readdirSync(ledgerPaths(root).runs)
      .sort()
      .map((n) => JSON.parse(readFileSync(join(ledgerPaths(root).runs, n), 'utf8')))
    expect(runs[1].prevHash).toBe(runs[0].hash)
    expect(runs[2].prevHash).toBe(runs[1].hash)
    expect(ledger.head).toBe(runs[2].hash)
    expect(await verifyLedger(root, '9.9.9')).toEqual({ ok: true, runs: 3, problems: [] })
  })

  it('detects an edited run record, a removed one and an edited latest state', async () => {
    const root = testdir()
    await recordRuns(root, 3)
    const second = join(ledgerPaths(root).runs, '00000002.json')
    const original = readFileSync(second, 'utf8')
    writeFileSync(second, original.replace('"status": "passed"', '"status": "failed"'))
    expect((await verifyLedger(root, '9.9.9')).problems.join('\n')).toMatch(/00000002\.json: run 2-\w+ was modified/)
    writeFileSync(second, original)
    expect((await verifyLedger(root, '9.9.9')).ok).toBe(true)
    const ledgerFile = ledgerPaths(root).ledger
    const ledgerText = readFileSync(ledgerFile, 'utf8')
    writeFileSync(ledgerFile, ledgerText.replace(/"status": "passed",\n\s*"runId"/, '"status": "failed",\n "runId"'))
    expect((await verifyLedger(root, '9.9.9')).problems.join('\n')).toMatch(
      /phases\.build was edited after run 3-\w+ recorded it/,
    )
    writeFileSync(ledgerFile, ledgerText)
    const { unlinkSync } = await import('node:fs')
    unlinkSync(second)
    expect((await verifyLedger(root, '9.9.9')).problems.join('\n')).toMatch(/chain is broken/)
  })

  it('keeps a bounded history and still verifies after pruning', async () => {
    const root = testdir()
    await recordRuns(root, 6, 3)
    expect(readdirSync(ledgerPaths(root).runs).sort()).toEqual(['00000004.json', '00000005.json', '00000006.json'])
    expect((await verifyLedger(root, '9.9.9')).ok).toBe(true)
  })

  it('lets one writer in at a time and names the holder', async () => {
    const root = testdir()
    const first = await open(root)
    const error = await open(root).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WfError)
    expect((error as WfError).code).toBe('WF_LEDGER_BUSY')
    expect(exitCodeFor(error)).toBe(3)
    expect((error as WfError).message).toContain(`pid ${process.pid}`)
    expect((error as WfError).message).toContain('wf test')
    await first.close()
    const second = await open(root)
    await second.close()
  })

  it('records a run whose process died as interrupted, with the phases it had finished', async () => {
    const root = testdir()
    const writer = await open(root)
    const run = await writer.startRun({ wf: '9.9.9', git, argv: ['run'] })
    await writer.recordPhase(phase('lint', run.id))
    await writer.recordPhase(phase('build', run.id, 'running'))
    await writer.close()
    // The process that ran it is gone: make the ledger name a pid that no longer exists.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout
    const path = ledgerPaths(root).ledger
    const ledger = JSON.parse(readFileSync(path, 'utf8'))
    ledger.active.pid = Number(dead)
    writeFileSync(path, JSON.stringify(ledger))
    const next = await open(root)
    await next.close()
    const after = (await readLedger(root, '9.9.9')).ledger
    expect(after.active).toBeNull()
    expect(after.recent.at(-1)).toMatchObject({ id: run.id, status: 'interrupted' })
    expect(after.phases.lint?.status).toBe('passed')
    expect(after.phases.build?.status).toBe('interrupted')
    const record = JSON.parse(readFileSync(join(ledgerPaths(root).runs, '00000001.json'), 'utf8'))
    expect(record.status).toBe('interrupted')
    expect(record.phases.map((p: PhaseRecord) => `${p.id}:${p.status}`)).toEqual(['lint:passed', 'build:interrupted'])
    expect((await verifyLedger(root, '9.9.9')).ok).toBe(true)
  })

  it('adopts a run that wrote its finished record but died before updating the ledger', async () => {
    const root = testdir()
    await recordRuns(root, 1)
    const writer = await open(root)
    const run = await writer.startRun({ wf: '9.9.9', git, argv: ['run'] })
    await writer.recordPhase(phase('build', run.id))
    const beforeEnd = readFileSync(ledgerPaths(root).ledger, 'utf8')
    await writer.finishRun('passed')
    await writer.close()
    // As if killed between the two writes of finishRun: the run record is final, ledger.json is not.
    writeFileSync(ledgerPaths(root).ledger, beforeEnd)
    expect(await verifyLedger(root, '9.9.9')).toMatchObject({ ok: true, runs: 2 })
    const next = await open(root)
    await next.close()
    const { ledger } = await readLedger(root, '9.9.9')
    expect(ledger.active).toBeNull()
    expect(ledger.recent.at(-1)).toMatchObject({ id: run.id, status: 'passed' })
    expect(JSON.parse(readFileSync(join(ledgerPaths(root).runs, '00000002.json'), 'utf8')).status).toBe('passed')
    expect((await verifyLedger(root, '9.9.9')).ok).toBe(true)
  })

  it('moves a corrupt ledger aside with a warning', async () => {
    const root = testdir({ '.wf/ledger.json': '{"format": 1, "phases": ' })
    const writer = await open(root)
    await writer.close()
    expect(writer.warnings.join()).toMatch(/ledger\.json was corrupt .* moved it to \.wf\/ledger\.json\.corrupt-/)
    const aside = readdirSync(join(root, '.wf')).find((n) => n.startsWith('ledger.json.corrupt-'))!
    expect(readFileSync(join(root, '.wf', aside), 'utf8')).toBe('{"format": 1, "phases": ')
    await expect(readLedger(root, '9.9.9')).resolves.toMatchObject({ exists: false })
  })

  it('refuses a ledger from a newer wf and leaves it untouched', async () => {
    const text = '{"format": 3, "future": true}\n'
    const root = testdir({ '.wf/ledger.json': text })
    const error = await open(root).catch((e: unknown) => e)
    expect((error as WfError).code).toBe('WF_LEDGER_UNREADABLE')
    expect((error as WfError).message).toContain('newer wf')
    expect(readFileSync(ledgerPaths(root).ledger, 'utf8')).toBe(text)
    expect(existsSync(ledgerPaths(root).lock)).toBe(false)
  })

  it('migrates a ledger of an older format through each migration in turn', async () => {
    // Format 1 is the first released format; this exercises the mechanism with a made-up format 0.
    const old = {
      format: 0,
      wf: '0.0.1',
      runs: [],
      latest: { build: { id: 'build', status: 'passed', runId: 'r1', tasks: [], gates: [] } },
    }
    const root = testdir({ '.wf/ledger.json': JSON.stringify(old) })
    const migrations = {
      0: (l: Record<string, unknown>) => ({
        format: 1,
        wf: l.wf,
        updatedAt: new Date(0).toISOString(),
        history: 100,
        lastSeq: 0,
        head: null,
        active: null,
        phases: l.latest,
        passed: {},
        recent: [],
      }),
    }
    const { MIGRATIONS } = await import('../../src/ledger/ledger.js')
    Object.assign(MIGRATIONS, migrations)
    try {
      const writer = await open(root)
      expect(writer.ledger.format).toBe(2)
      expect(writer.ledger.phases.build?.status).toBe('passed')
      await writer.close()
    } finally {
      delete (MIGRATIONS as Record<number, unknown>)[0]
    }
  })

  it('reads a format-1 ledger (written by an older wf), writes it back as format 2, and it still verifies', async () => {
    const root = testdir()
    const writer = await open(root)
    await writer.startRun({ wf: '9.9.9', git: { commit: null, branch: null, dirty: false }, argv: ['run'] })
    await writer.finishRun('passed')
    await writer.close()
    const path = ledgerPaths(root).ledger
    writeFileSync(path, readFileSync(path, 'utf8').replace('"format": 2', '"format": 1'))
    expect((await readLedger(root, '9.9.9')).ledger.format).toBe(2)
    await (await open(root)).close()
    expect(JSON.parse(readFileSync(path, 'utf8')).format).toBe(1)
    const again = await open(root)
    await again.startRun({ wf: '9.9.9', git: { commit: null, branch: null, dirty: false }, argv: ['run'] })
    await again.finishRun('passed')
    await again.close()
    expect(JSON.parse(readFileSync(path, 'utf8')).format).toBe(2)
    expect(await verifyLedger(root, '9.9.9')).toMatchObject({ ok: true })
  })
})
