import { verifyLedger } from '../../src/ledger/verify-ledger.js'
import { spawnSync } from 'node:child_process'
import { appendFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  adoptIntents,
  type Intent,
  IntentJournal,
  type PhaseEntry,
  readIntents,
  readPhaseEntries,
  removeIntents,
} from '../../src/ledger/intents.js'
import { readLedger } from '../../src/ledger/ledger.js'
import { sha256 } from '../../src/lib/files.js'
import { testdir } from '../helpers.js'
import { GIT as git, openWriter as open, phaseRecord } from './writer-kit.js'

const intentsDir = (root: string) => join(root, '.wf', 'intents')
/** The id of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid
const intent = (path: string, content: string, extra: Partial<Intent> = {}): Intent => ({
  path,
  hash: sha256(content),
  source: 'templates/doc.njk',
  pid: process.pid,
  at: '2026-01-01T00:00:00.000Z',
  ...extra,
})

describe('intent journal', () => {
  it('reads back what was appended, skipping a torn last line', async () => {
    const root = testdir()
    const journal = new IntentJournal(root, '7-abc')
    // Appends that arrive together share an fsync; each is on disk when its write resolves.
    await Promise.all([journal.write([intent('a.md', 'A'), intent('b.md', 'B')]), journal.write([intent('c.md', 'C')])])
    await journal.close()
    appendFileSync(join(intentsDir(root), '7-abc.jsonl'), '{"path":"d.md","hash":"')
    await new IntentJournal(root, '8-def').write([])
    expect(await readIntents(root)).toEqual([
      { name: '7-abc', intents: [intent('a.md', 'A'), intent('b.md', 'B'), intent('c.md', 'C')], phases: [] },
    ])
    await removeIntents(root, ['7-abc'])
    expect(await readIntents(root)).toEqual([])
  })

  it('records the files that hold what was intended, and only those', async () => {
    const root = join(
      testdir({ 'repo/a.md': 'new A', 'repo/b.md': 'edited by hand', 'repo/docs/c.md': 'C', 'outside.md': 'new A' }),
      'repo',
    )
    const generated = {
      'b.md': { hash: sha256('old B'), source: 'templates/doc.njk', at: '2025-01-01T00:00:00.000Z' },
      'docs/c.md': { hash: sha256('C'), source: 'templates/doc.njk', at: '2025-01-01T00:00:00.000Z' },
    }
    const adopted = await adoptIntents(root, generated, [
      intent('a.md', 'old A', { runId: '3-aaa' }),
      intent('a.md', 'new A', { runId: '3-aaa', phase: 'docs' }),
      intent('b.md', 'new B'),
      intent('docs/c.md', 'C'),
      intent('missing.md', 'never renamed'),
      intent('../outside.md', 'new A'),
    ])
    expect(adopted).toEqual(['a.md'])
    expect(generated).toEqual({
      'a.md': {
        hash: sha256('new A'),
        source: 'templates/doc.njk',
        phase: 'docs',
        runId: '3-aaa',
        at: intent('a.md', '').at,
      },
      'b.md': { hash: sha256('old B'), source: 'templates/doc.njk', at: '2025-01-01T00:00:00.000Z' },
      'docs/c.md': { hash: sha256('C'), source: 'templates/doc.njk', at: '2025-01-01T00:00:00.000Z' },
    })
  })

  it('removes the temp files a writer that is gone left beside the files it meant to write', async () => {
    const dead = deadPid()
    const root = testdir({
      'out/a.md': 'A',
      [`out/a.md.${dead}-x1y2z3.tmp`]: 'half',
      [`out/a.md.${process.pid}-x1y2z3.tmp`]: 'mine',
      [`out/b.md.${dead}-x1y2z3.tmp`]: 'not named in the journal',
      'out/a.md.notes.tmp': 'not a temp file of wf',
    })
    await adoptIntents(root, {}, [intent('out/a.md', 'A', { pid: dead })])
    expect(readdirSync(join(root, 'out')).sort()).toEqual([
      'a.md',
      `a.md.${process.pid}-x1y2z3.tmp`,
      'a.md.notes.tmp',
      `b.md.${dead}-x1y2z3.tmp`,
    ])
  })

  it('the next writer records what a dead writer renamed into place, in a record of the chain, and removes the journal', async () => {
    const root = testdir({ 'out/a.md': 'written, never recorded', 'out/b.md': 'edited by hand' })
    const journal = new IntentJournal(root, '4-dead')
    await journal.write([
      intent('out/a.md', 'written, never recorded', { runId: '4-dead', phase: 'docs', pid: deadPid() }),
      intent('out/b.md', 'what wf meant to write', { runId: '4-dead', phase: 'docs', pid: deadPid() }),
    ])
    await journal.close()
    const writer = await open(root)
    await writer.close()
    const { ledger } = await readLedger(root, '9.9.9')
    // No run was active in the ledger: what the journal proves is recorded in a `generate` record.
    const record = ledger.recent.at(-1)!
    expect(record).toMatchObject({ kind: 'generate' })
    expect(ledger.generated).toEqual({
      'out/a.md': expect.objectContaining({ hash: sha256('written, never recorded'), runId: record.id, phase: 'docs' }),
    })
    expect(readdirSync(intentsDir(root))).toEqual([])
    expect(await verifyLedger(root, '9.9.9')).toMatchObject({ ok: true })
  })

  it('a run journals only files it creates or updates, and removes its journal when it ends', async () => {
    const root = testdir()
    const writer = await open(root)
    const run = await writer.startRun({ wf: '9.9.9', git, argv: ['run'] })
    await writer.flushStart()
    await writer.intend([{ path: 'same.md', action: 'unchanged', hash: sha256('same'), source: 's' }], 'docs')
    expect(existsSync(intentsDir(root))).toBe(false)
    await writer.intend(
      [
        { path: 'out/a.md', action: 'created', hash: sha256('A'), source: 's' },
        { path: 'out/b.md', action: 'drifted', hash: sha256('B'), source: 's' },
      ],
      'docs',
    )
    expect((await readIntents(root)).map((j) => [j.name, j.intents.map((i) => i.path)])).toEqual([
      [run.id, ['out/a.md']],
    ])
    // The task wrote its file and then failed: its record names no file, the journal does.
    mkdirSync(join(root, 'out'))
    writeFileSync(join(root, 'out/a.md'), 'A')
    await writer.finishRun('failed')
    await writer.close()
    const { ledger } = await readLedger(root, '9.9.9')
    expect(ledger.generated?.['out/a.md']).toMatchObject({ hash: sha256('A'), runId: run.id, phase: 'docs' })
    expect(readdirSync(intentsDir(root))).toEqual([])
  })
})

/** Syncs that wait until a test lets them end (or fail), counted. */
function heldSyncs() {
  const held: Array<{ end: () => void; fail: (error: Error) => void }> = []
  let started = 0
  const sync = () =>
    new Promise<void>((resolve, reject) => {
      started++
      held.push({ end: resolve, fail: reject })
    })
  return { sync, held, started: () => started }
}
const entry = (id: string): PhaseEntry => ({ result: phaseRecord(id, '9-run') })
const tick = () => new Promise((resolve) => setImmediate(resolve))
const journaled = async (root: string) => (await readPhaseEntries(join(root, '.wf'), '9-run')).map((e) => e.result.id)

describe('phase results in a run journal (group commit)', () => {
  it('are in the file as soon as they are appended; one sync at a time, the next covering all appended meanwhile', async () => {
    const root = testdir()
    const { sync, held, started } = heldSyncs()
    const journal = new IntentJournal(root, '9-run', sync)
    await journal.record([entry('a')])
    // Readable (and kept if wf is killed now) while its sync is still in flight.
    expect(await journaled(root)).toEqual(['a'])
    expect(started()).toBe(1)
    // Phases ending while that sync runs do not wait for it, nor start syncs of their own.
    await journal.record([entry('b')])
    await journal.record([entry('c'), entry('d')])
    expect(await journaled(root)).toEqual(['a', 'b', 'c', 'd'])
    expect(started()).toBe(1)
    let synced = false
    const allSynced = journal.synced().then(() => {
      synced = true
    })
    held.shift()!.end()
    await tick()
    // One more sync covers b, c and d; `synced` waits for it.
    expect(started()).toBe(2)
    expect(synced).toBe(false)
    held.shift()!.end()
    await allSynced
    expect(started()).toBe(2)
    // Nothing is pending: the next result starts a sync at once.
    await journal.record([entry('e')])
    expect(started()).toBe(3)
    held.shift()!.end()
    await journal.close()
    expect(await journaled(root)).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('a sync the disk refused fails the next append and `synced`, and appends nothing more', async () => {
    const root = testdir()
    const { sync, held } = heldSyncs()
    const journal = new IntentJournal(root, '9-run', sync)
    await journal.record([entry('a')])
    await journal.record([entry('b')])
    const eio = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })
    held.shift()!.fail(eio)
    await expect(journal.synced()).rejects.toBe(eio)
    // The sync that would have covered b never started.
    expect(held).toHaveLength(0)
    await expect(journal.record([entry('c')])).rejects.toBe(eio)
    expect(await journaled(root)).toEqual(['a', 'b'])
    await journal.close()
  })

  it('closing waits for the sync in flight, and syncs what is pending unless the journal is discarded', async () => {
    for (const discard of [false, true]) {
      const root = testdir()
      const { sync, held, started } = heldSyncs()
      const journal = new IntentJournal(root, '9-run', sync)
      await journal.record([entry('a')])
      await journal.record([entry('b')])
      let closed = false
      const closing = journal.close({ discard }).then(() => {
        closed = true
      })
      await tick()
      expect(closed, `discard: ${discard}`).toBe(false)
      held.shift()!.end()
      await tick()
      if (!discard) {
        expect(started(), 'b is synced before the file is closed').toBe(2)
        held.shift()!.end()
      }
      await closing
      expect(started(), `discard: ${discard}`).toBe(discard ? 1 : 2)
    }
  })
})
