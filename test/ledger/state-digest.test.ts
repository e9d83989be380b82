import { describe, expect, it } from 'vitest'
import type { Ledger } from '../../src/ledger/ledger.js'
import { digestEntry, loadedEntries, stateDigest } from '../../src/ledger/state-digest.js'

const ledger = (extra: Partial<Ledger> & Record<string, unknown> = {}): Ledger => ({
  format: 2,
  wf: '9.9.9',
  updatedAt: '2026-01-01T00:00:00.000Z',
  history: 100,
  lastSeq: 1,
  head: 'h',
  active: null,
  phases: {},
  passed: {},
  recent: [],
  ...extra,
})
const approval = (by: string) => ({ by, at: '2026-01-01T00:00:00.000Z', fingerprint: 'f' })

describe('stateDigest', () => {
  it('digests every entry of every asserted map, a `checks` map included, and leaves empty maps out', () => {
    const state = stateDigest(
      ledger({
        phases: { build: { id: 'build', status: 'passed', runId: '1-a' } },
        approvals: { release: approval('alice') },
        checks: { build: { id: 'build', runId: '1-a', scope: { kind: 'staged' }, status: 'passed' } },
      }),
    )
    expect(Object.keys(state).sort()).toEqual(['approvals', 'checks', 'phases'])
    expect(state.approvals!.release).toBe(digestEntry(approval('alice')))
    expect(state.approvals!.release).toMatch(/^[0-9a-f]{32}$/)
    // Canonical JSON: the order of keys does not matter.
    expect(digestEntry({ a: 1, b: 2 })).toBe(digestEntry({ b: 2, a: 1 }))
    expect(digestEntry(approval('alice'))).not.toBe(digestEntry(approval('mallory')))
  })

  it('from the head state: digests what the writer replaced and keeps what the head gave the rest', () => {
    const found = ledger({
      approvals: { release: approval('mallory'), extra: approval('eve') },
      generated: { 'a.md': { hash: '1', source: 's', at: 't' } },
    })
    // The head recorded alice (mallory is a hand edit), had no `extra` (added by hand), and had
    // `gone.md` (removed by hand before the writer opened).
    const previous = {
      approvals: { release: digestEntry(approval('alice')) },
      generated: { 'a.md': digestEntry({ hash: '1', source: 's', at: 't' }), 'gone.md': 'd0' },
    }
    const loaded = loadedEntries(found)
    found.generated = { ...found.generated, 'b.md': { hash: '2', source: 's', at: 't' } }
    const state = stateDigest(found, { previous, loaded })
    expect(state.approvals).toEqual({ release: digestEntry(approval('alice')) })
    expect(state.generated).toEqual({
      'a.md': previous.generated['a.md'],
      'b.md': digestEntry({ hash: '2', source: 's', at: 't' }),
      'gone.md': 'd0',
    })
    // Once the writer replaces an entry, the new value is what it vouches for.
    found.approvals = { ...found.approvals, release: approval('bob') }
    expect(stateDigest(found, { previous, loaded }).approvals).toEqual({ release: digestEntry(approval('bob')) })
    // An entry the writer itself removes is dropped.
    delete found.generated!['a.md']
    expect(Object.keys(stateDigest(found, { previous, loaded }).generated!)).toEqual(['b.md', 'gone.md'])
  })

  it('counts the entries of the active run (and the passed fingerprints of its phases) as not yet vouched for', () => {
    const found = ledger({
      active: { runId: '2-b', seq: 2, pid: 1, host: 'h', startedAt: 't' },
      phases: { a: { id: 'a', status: 'running', runId: '2-b' }, b: { id: 'b', status: 'passed', runId: '1-a' } },
      passed: { a: { hash: 'x', runId: '1-a', at: 't', inputs: {} as never } },
      generated: { 'x.md': { hash: '1', source: 's', at: 't', runId: '2-b' } },
    })
    const loaded = loadedEntries(found)
    expect([...loaded.phases.keys()]).toEqual(['b'])
    expect([...loaded.passed.keys()]).toEqual([])
    expect([...loaded.generated.keys()]).toEqual([])
    const state = stateDigest(found, { previous: {}, loaded })
    expect(Object.keys(state.phases!)).toEqual(['a'])
    expect(Object.keys(state.generated!)).toEqual(['x.md'])
  })
})
