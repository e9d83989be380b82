import { describe, expect, it } from 'vitest'
import { type Ledger, type RunRecord, summarizeRun } from '../../src/ledger/ledger.js'
import { ledgerEdits } from '../../src/ledger/ledger-edits.js'
import { stateDigest } from '../../src/ledger/state-digest.js'

// `checks` is the map of ledger.json that `wf check` writes.
type WithChecks = Ledger

function record(seq: number, ledger: WithChecks): RunRecord {
  return {
    format: 1,
    seq,
    id: `${seq}-abcdef`,
    status: 'passed',
    startedAt: 't',
    endedAt: 't',
    pid: 1,
    host: 'h',
    argv: ['run'],
    wf: '9.9.9',
    git: { commit: null, branch: null, dirty: false },
    phases: Object.values(ledger.phases).filter((p) => p !== undefined),
    prevHash: null,
    state: stateDigest(ledger),
  }
}

function recordedLedger(): { ledger: WithChecks; chain: RunRecord[] } {
  const ledger: WithChecks = {
    format: 2,
    wf: '9.9.9',
    updatedAt: 't',
    history: 100,
    lastSeq: 1,
    head: 'h',
    active: null,
    phases: { build: { id: 'build', status: 'passed', runId: '1-abcdef' } },
    passed: {},
    recent: [],
    checks: { build: { id: 'build', runId: '1-abcdef', scope: { kind: 'staged' }, status: 'failed' } },
  }
  const head = record(1, ledger)
  ledger.recent = [summarizeRun(head)]
  return { ledger: structuredClone(ledger), chain: [head] }
}

describe('ledgerEdits', () => {
  it('finds nothing in a ledger its head record vouches for', () => {
    const { ledger, chain } = recordedLedger()
    expect(ledgerEdits(ledger, chain)).toEqual([])
  })

  it.each([
    [
      'edited',
      (l: WithChecks) => (l.checks!.build!.status = 'passed'),
      'ledger.json: checks.build was edited after run 1-abcdef recorded it',
    ],
    [
      'added',
      (l: WithChecks) =>
        (l.checks!.lint = { id: 'lint', runId: '1-abcdef', scope: { kind: 'full' }, status: 'passed' }),
      'ledger.json: checks.lint was added by hand (run 1-abcdef has no such entry)',
    ],
    ['removed', (l: WithChecks) => delete l.checks, 'ledger.json: checks.build was removed (run 1-abcdef recorded it)'],
  ])('names a `checks` entry %s by hand', (_what, edit, problem) => {
    const { ledger, chain } = recordedLedger()
    edit(ledger)
    expect(ledgerEdits(ledger, chain)).toEqual([problem])
  })

  it('leaves out entries of the active run, which its head does not hold yet', () => {
    const { ledger, chain } = recordedLedger()
    ledger.active = { runId: '2-fedcba', seq: 2, pid: 1, host: 'h', startedAt: 't' }
    ledger.phases.build = { id: 'build', status: 'running', runId: '2-fedcba' }
    ledger.checks!.build = { id: 'build', runId: '2-fedcba', scope: { kind: 'full' }, status: 'passed' }
    ledger.generated = { 'x.md': { hash: '1', source: 's', at: 't', runId: '2-fedcba' } }
    ledger.passed.build = { hash: 'x', runId: '1-abcdef', at: 't', inputs: {} as never }
    expect(ledgerEdits(ledger, chain)).toEqual([])
    ledger.generated['y.md'] = { hash: '1', source: 's', at: 't', runId: '1-abcdef' }
    expect(ledgerEdits(ledger, chain)).toEqual([
      'ledger.json: generated `y.md` was added by hand (run 1-abcdef has no such entry)',
    ])
  })

  it('does not compare a head written before records carried state', () => {
    const { ledger, chain } = recordedLedger()
    delete chain[0]!.state
    ledger.checks!.build!.status = 'passed'
    expect(ledgerEdits(ledger, chain)).toEqual([])
  })
})
