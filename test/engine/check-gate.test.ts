import { describe, expect, it } from 'vitest'
import { applyPolicy } from '../../src/engine/check-gate.js'

describe('applyPolicy', () => {
  const failed = { name: 'g', kind: 'command', status: 'failed' as const, message: 'broken' }
  it('waives a failure until the waiver expires', () => {
    const waive = { reason: 'flaky', owner: '@ops', until: '2026-12-31' }
    expect(applyPolicy({ command: 'x', waive }, failed, '2026-12-31')).toMatchObject({
      status: 'waived',
      waiver: { expired: false },
    })
    const expired = applyPolicy({ command: 'x', waive }, failed, '2027-01-01')
    expect(expired).toMatchObject({ status: 'failed', waiver: { expired: true } })
    expect(expired.message).toContain('expired on 2026-12-31')
  })
  it('turns a failure into a warning with severity warning, and leaves passes alone', () => {
    expect(applyPolicy({ command: 'x', severity: 'warning' }, failed).status).toBe('warned')
    expect(applyPolicy({ command: 'x', severity: 'warning' }, { ...failed, status: 'passed' }).status).toBe('passed')
  })
})
