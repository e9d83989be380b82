// The ledger's writes go through one queue: a write function injected into the writer holds them,
// so a test decides the order in which they reach the disk, or makes one fail as a full disk does.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { writeFileAtomic } from '../../src/lib/atomic-write.js'
import { exitCodeFor, WfError } from '../../src/lib/errors.js'
import { ledgerPaths, readLedger, SAVE_EVERY_MS } from '../../src/ledger/ledger.js'
import { verifyLedger } from '../../src/ledger/verify-ledger.js'
import type { WriteFile } from '../../src/ledger/write-queue.js'
import { testdir } from '../helpers.js'
import { type Ledger, readJson, runPath } from './ledger-files.js'
import { GIT as git, openWriter, phaseRecord as phase } from './writer-kit.js'

// The hint after a failed write names the command to run again.
const open = (root: string, write?: WriteFile) => openWriter(root, { command: 'wf run', write })

const onDisk = (root: string) => readJson<Ledger>(ledgerPaths(root).ledger)
/** The phases as readers see them: ledger.json with the active run's journal replayed over it. */
const readPhases = async (root: string) => (await readLedger(root, '9.9.9')).ledger.phases

/**
 * A write function that holds every write until `drain` lets it through, the newest first: a write
 * asked for later reaches the disk before an earlier one whenever the writer lets both be pending.
 */
function heldWrites() {
  const held: Array<() => Promise<void>> = []
  const write: WriteFile = (path, data) =>
    new Promise<void>((resolve, reject) => {
      held.push(() => writeFileAtomic(path, data).then(resolve, reject))
    })
  /** Lets held writes through, newest first, until `until` settles. */
  async function drain<T>(until: Promise<T>): Promise<T> {
    let settled = false
    const watched = until.finally(() => {
      settled = true
    })
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve))
      await held.pop()?.()
    }
    return watched
  }
  return { write, drain, held }
}

/** An error as the disk gives it when it is full. */
const enospc = (path: string) =>
  Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), {
    code: 'ENOSPC',
    errno: -28,
    syscall: 'write',
    path: `${path}.${process.pid}-0badf00d.tmp`,
  })

const tempFiles = (root: string) =>
  [ledgerPaths(root).dir, ledgerPaths(root).runs].flatMap((dir) => readdirSync(dir).filter((n) => n.endsWith('.tmp')))

describe('ledger writes', () => {
  it('never lets an older ledger.json land over a newer one: a write takes the state of when it starts', async () => {
    const root = testdir()
    const { write, drain } = heldWrites()
    const writer = await open(root, write)
    const run = await writer.startRun({ wf: '9.9.9', git, argv: ['run'] })
    await drain(writer.flushStart())
    const ids = ['a', 'b', 'c', 'd', 'e']
    // Phases that end together; the writes they ask for are let through newest first.
    await drain(Promise.all(ids.map((id) => writer.recordPhase(phase(id, run.id)))))
    expect(Object.keys(await readPhases(root)).sort()).toEqual(ids)
    await drain(writer.finishRun('passed'))
    await writer.close()
    expect(Object.keys(onDisk(root).phases).sort()).toEqual(ids)
    expect(await verifyLedger(root, '9.9.9')).toMatchObject({ ok: true })
  })

  it('returns from recordPhase only when its record, and the run record before it, are on disk', async () => {
    const root = testdir()
    const { write, drain } = heldWrites()
    const writer = await open(root, write)
    const run = await writer.startRun({ wf: '9.9.9', git, argv: ['run'] })
    const seen: string[] = []
    // The first phases to end start the run's writes; none returns before those and its own are done.
    const recorded = ['a', 'b', 'c'].map((id) =>
      writer.recordPhase(phase(id, run.id)).then(() => {
        expect(existsSync(runPath(root, run.seq)), `${id}: the run record is on disk`).toBe(true)
        expect(onDisk(root).active?.runId, `${id}: ledger.json names the run active`).toBe(run.id)
        seen.push(id)
      }),
    )
    await drain(Promise.all(recorded))
    expect(seen.sort()).toEqual(['a', 'b', 'c'])
    // Each record is on disk (in the run's journal, replayed over ledger.json by every reader).
    for (const id of seen) expect((await readPhases(root))[id], id).toMatchObject({ status: 'passed' })
    await drain(writer.finishRun('passed'))
    await writer.close()
  })

  it('does not rewrite ledger.json for every phase: results go to the journal, the ledger is written when the run ends', async () => {
    const root = testdir()
    const written: string[] = []
    const writer = await open(root, (path, data) => {
      written.push(path)
      return writeFileAtomic(path, data)
    })
    const run = await writer.startRun({ wf: '9.9.9', git, argv: ['run'] })
    await writer.flushStart()
    const startWrites = written.length
    const ids = Array.from({ length: 20 }, (_, i) => `p${i}`)
    for (const id of ids) await writer.recordPhase(phase(id, run.id))
    // Twenty phases within a second of the run's start: none rewrote ledger.json, all are readable.
    expect(written.slice(startWrites)).toEqual([])
    expect(Object.keys(onDisk(root).phases)).toHaveLength(0)
    expect(Object.keys(await readPhases(root)).sort()).toEqual([...ids].sort())
    await writer.finishRun('passed')
    await writer.close()
    expect(Object.keys(onDisk(root).phases)).toHaveLength(20)
    expect(await verifyLedger(root, '9.9.9')).toMatchObject({ ok: true })
  })

  it('fails the Nth write of a run as a full disk does, for every N: exit 3, no temp file, a ledger that verifies, and the next run recovers', {
    timeout: 60_000,
  }, async () => {
    /** A run as `wf run` writes it: two phases that ran, one up to date (`durable: false`), then the end. */
    const smallRun = async (root: string, write?: WriteFile, durable = true) => {
      const writer = await open(root, write)
      try {
        const run = await writer.startRun({ wf: '9.9.9', git, argv: ['run'] })
        try {
          if (durable) await writer.flushStart()
          await Promise.all([
            writer.recordPhase(phase('a', run.id), undefined, durable),
            writer.recordPhase(phase('b', run.id), undefined, durable),
          ])
          await writer.recordPhase(phase('c', run.id, 'up-to-date'), undefined, false)
          return run
        } finally {
          await writer.finishRun('passed')
        }
      } finally {
        await writer.close()
      }
    }
    for (const durable of [true, false]) {
      let writes = 0
      const counted = testdir()
      await smallRun(counted)
      await smallRun(
        counted,
        (path, data) => {
          writes++
          return writeFileAtomic(path, data)
        },
        durable,
      )
      expect(writes).toBeGreaterThanOrEqual(durable ? 4 : 2)
      for (let n = 1; n <= writes; n++) {
        const label = `${durable ? 'a run that did work' : 'a run where all was up to date'}, write ${n} of ${writes}`
        const root = testdir()
        await smallRun(root)
        const before = readFileSync(ledgerPaths(root).ledger, 'utf8')
        let count = 0
        const error = await smallRun(
          root,
          (path, data) => (++count === n ? Promise.reject(enospc(path)) : writeFileAtomic(path, data)),
          durable,
        ).catch((e: unknown) => e)
        expect(error, label).toBeInstanceOf(WfError)
        expect((error as WfError).code, label).toBe('WF_LEDGER_WRITE')
        expect(exitCodeFor(error), label).toBe(3)
        expect((error as WfError).message, label).toMatch(
          /^no space left on device writing \.wf\/(ledger\.json|runs\/\d{8}\.json); the ledger was left as it was before this write$/,
        )
        expect((error as WfError).hint, label).toBe('free space, then run `wf run` again')
        if (n === 1) expect(readFileSync(ledgerPaths(root).ledger, 'utf8'), label).toBe(before)
        expect(tempFiles(root), label).toEqual([])
        expect(await verifyLedger(root, '9.9.9'), label).toMatchObject({ ok: true })

        // Space is back: the next run takes over what the failed one left, and ends recorded.
        const next = await smallRun(root)
        const { ledger } = await readLedger(root, '9.9.9')
        expect(ledger.recent.at(-1), label).toMatchObject({ id: next.id, status: 'passed' })
        expect(ledger.phases.a?.runId, label).toBe(next.id)
        expect(await verifyLedger(root, '9.9.9'), label).toMatchObject({ ok: true })
      }
    }
  })

  it('adopts a run whose record was written but whose ledger write was refused, when the ledger never counted it', async () => {
    const root = testdir()
    const writer = await open(root)
    const first = await writer.startRun({ wf: '9.9.9', git, argv: ['run'] })
    await writer.recordPhase(phase('a', first.id))
    await writer.finishRun('passed')
    await writer.close()
    // Everything up to date: the run writes only its end, and the disk refuses its second write.
    const full = await open(root, (path, data) =>
      path.endsWith('ledger.json') ? Promise.reject(enospc(path)) : writeFileAtomic(path, data),
    )
    const uncounted = await full.startRun({ wf: '9.9.9', git, argv: ['run'] })
    await full.recordPhase(phase('a', uncounted.id, 'up-to-date'), undefined, false)
    await expect(full.finishRun('passed')).rejects.toThrow(/writing \.wf\/ledger\.json/)
    await full.close()
    expect(onDisk(root).lastSeq).toBe(1)
    expect(await verifyLedger(root, '9.9.9')).toMatchObject({ ok: true, runs: 2 })

    const next = await open(root)
    await next.close()
    const { ledger } = await readLedger(root, '9.9.9')
    expect(ledger.lastSeq).toBe(2)
    expect(ledger.recent.map((r) => r.id)).toEqual([first.id, uncounted.id])
    expect(ledger.phases.a).toMatchObject({ status: 'up-to-date', runId: uncounted.id })
    expect(ledger.head).toBe(readJson<{ hash: string }>(join(ledgerPaths(root).runs, '00000002.json')).hash)
    expect(await verifyLedger(root, '9.9.9')).toMatchObject({ ok: true })
  })

  describe('while a run goes on', () => {
    afterEach(() => {
      vi.useRealTimers()
    })

    it('a chain of phases never waits for the disk: each record is readable at once, synced by group commit', async () => {
      const root = testdir()
      const held: Array<() => void> = []
      const writer = await openWriter(root, { command: 'wf run', sync: () => new Promise<void>((r) => held.push(r)) })
      const run = await writer.startRun({ wf: '9.9.9', git, argv: ['run'] })
      const ids = Array.from({ length: 10 }, (_, i) => `p${i}`)
      for (const id of ids) await writer.recordPhase(phase(id, run.id))
      // Ten phases ended one after another while the first sync was held: none waited for it, and
      // one more sync will cover the nine that came after it.
      expect(held).toHaveLength(1)
      expect(Object.keys(await readPhases(root)).sort()).toEqual([...ids].sort())
      held.shift()!()
      await new Promise((resolve) => setImmediate(resolve))
      expect(held).toHaveLength(1)
      held.shift()!()
      await writer.finishRun('passed')
      await writer.close()
      expect(Object.keys(onDisk(root).phases).sort()).toEqual([...ids].sort())
      expect(await verifyLedger(root, '9.9.9')).toMatchObject({ ok: true })
    })

    it('phases that end in the same turn share one journal write and one sync', async () => {
      const root = testdir()
      let syncs = 0
      const writer = await openWriter(root, { command: 'wf run', sync: async () => void syncs++ })
      const run = await writer.startRun({ wf: '9.9.9', git, argv: ['run'] })
      await writer.flushStart()
      await Promise.all(['a', 'b', 'c'].map((id) => writer.recordPhase(phase(id, run.id))))
      expect(syncs).toBe(1)
      const journal = readFileSync(join(ledgerPaths(root).dir, 'intents', `${run.id}.jsonl`), 'utf8')
      expect(journal.split('\n').filter(Boolean)).toHaveLength(3)
      await writer.finishRun('passed')
      await writer.close()
    })

    it('rewrites ledger.json now and then without the phases waiting for it; a rewrite the disk refused fails the next record', async () => {
      const root = testdir()
      let refuse = false
      const { write, drain, held } = heldWrites()
      const writer = await open(root, (path, data) =>
        refuse && path.endsWith('ledger.json') ? Promise.reject(enospc(path)) : write(path, data),
      )
      const run = await writer.startRun({ wf: '9.9.9', git, argv: ['run'] })
      await drain(writer.flushStart())
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(Date.now() + 2 * SAVE_EVERY_MS)
      // Time for a rewrite: a's record asks for one, and b's returns while it is still held.
      await writer.recordPhase(phase('a', run.id))
      expect(held).toHaveLength(1)
      await writer.recordPhase(phase('b', run.id))
      expect(held).toHaveLength(1)
      await drain(new Promise((resolve) => setTimeout(resolve, 0)))
      // The rewrite holds the ledger as it was when it started; b is in the journal.
      expect(Object.keys(onDisk(root).phases)).toEqual(['a'])
      expect(Object.keys(await readPhases(root)).sort()).toEqual(['a', 'b'])

      // The disk is full by the next rewrite: the phase after it is not recorded, and says why.
      refuse = true
      vi.setSystemTime(Date.now() + 100 * SAVE_EVERY_MS)
      await writer.recordPhase(phase('c', run.id))
      await new Promise((resolve) => setImmediate(resolve))
      const error = await writer.recordPhase(phase('d', run.id)).catch((e: unknown) => e)
      expect((error as WfError).code).toBe('WF_LEDGER_WRITE')
      expect((error as WfError).message).toMatch(/^no space left on device writing \.wf\/ledger\.json/)
      expect(Object.keys(await readPhases(root)).sort()).toEqual(['a', 'b', 'c'])
      await expect(writer.finishRun('failed')).rejects.toMatchObject({ code: 'WF_LEDGER_WRITE' })
      await writer.close()
      expect(await verifyLedger(root, '9.9.9')).toMatchObject({ ok: true })
    })
  })
})
