import { describe, expect, it } from 'vitest'
import { countStatuses, FAILING, RAN, SATISFIED } from '../../src/ledger/statuses.js'

describe('statuses', () => {
  it('counts each status once per item, in the order statuses first appear', () => {
    const items = ['failed', 'passed', 'failed', 'up-to-date', 'passed', 'failed'].map((status) => ({ status }))
    expect(Object.entries(countStatuses(items))).toEqual([
      ['failed', 3],
      ['passed', 2],
      ['up-to-date', 1],
    ])
    expect(countStatuses([])).toEqual({})
  })

  it.each([
    ['passed', { satisfied: true, failing: false, ran: true }],
    ['up-to-date', { satisfied: true, failing: false, ran: false }],
    ['skipped', { satisfied: true, failing: false, ran: false }],
    ['failed', { satisfied: false, failing: true, ran: true }],
    ['blocked', { satisfied: false, failing: true, ran: false }],
    ['awaiting-approval', { satisfied: false, failing: true, ran: true }],
    ['cancelled', { satisfied: false, failing: false, ran: true }],
    ['interrupted', { satisfied: false, failing: false, ran: false }],
    ['never-run', { satisfied: false, failing: false, ran: false }],
  ])('%s', (status, expected) => {
    expect({ satisfied: SATISFIED.has(status), failing: FAILING.has(status), ran: RAN.has(status) }).toEqual(expected)
  })
})
