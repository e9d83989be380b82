import { createHash } from 'node:crypto'
import stringify from 'safe-stable-stringify'
import { describe, expect, it } from 'vitest'
import { hashRecord } from '../../src/ledger/hash-record.js'
import { digestEntry } from '../../src/ledger/state-digest.js'

const reference = (record: object) => {
  const { hash: _hash, ...rest } = record as { hash?: unknown }
  return createHash('sha256').update(stringify(rest)!).digest('hex')
}

const phase = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  status: 'up-to-date',
  reason: `nothing changed in “${id}”\n\t"quoted" \\ \u0001`,
  runId: '7-abc',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 0,
  ...extra,
})

const records = {
  'a run with phases and a state': {
    format: 1,
    seq: 7,
    id: '7-abc',
    status: 'passed',
    argv: ['run', '--plan', 'odd "name".yaml'],
    phases: [phase('b'), phase('a', { tasks: [{ name: 'x', status: 'passed', skipped: undefined }] }), phase('c')],
    prevHash: null,
    state: { phases: { a: '1', b: '2' }, passed: {} },
    hash: 'left out',
    endedAt: undefined,
    zeta: { ä: 1, a: [1, undefined, null] },
    Über: true,
  },
  'a run without phases': { seq: 1, phases: [], kind: 'approve', approvals: { p: { by: 'me' } } },
  'a record with no phases field': { seq: 2, status: 'passed' },
}

describe('hashRecord', () => {
  it.each(Object.entries(records))('of %s is the sha256 of its canonical JSON, its hash left out', (_, record) => {
    expect(hashRecord(record)).toBe(reference(record))
  })

  it.each(Object.entries(records))(
    'of %s is the same when the JSON of its phases comes from their state digests',
    (_, record) => {
      const texts = new Map<unknown, string>()
      // Some phases digested (their JSON kept), others not: both must give the same text.
      for (const p of ((record as { phases?: object[] }).phases ?? []).slice(1)) digestEntry(p, texts)
      expect(hashRecord(record, texts)).toBe(reference(record))
    },
  )

  it('uses the JSON the digests kept for the phases (so they must be made from the phases as they are)', () => {
    const record = records['a run with phases and a state']
    const texts = new Map<unknown, string>([[record.phases[0], stringify(phase('b', { status: 'failed' }))!]])
    expect(hashRecord(record, texts)).not.toBe(reference(record))
  })
})
