import { describe, expect, it } from 'vitest'
import type { GateRecord } from '../../src/ledger/ledger.js'
import { createRunReporter } from '../../src/report/run-reporter.js'
import { createStyle } from '../../src/report/style.js'

const phase = (id: string) => ({ id, name: id, needs: [], tasks: [], gates: [] }) as never
const gate = (name: string): GateRecord => ({ name, kind: 'files-exist', status: 'passed', message: 'present' })

describe('the plain run reporter', () => {
  it('names the phase again when phases running at once take turns, so no line sits under another phase', async () => {
    let output = ''
    const report = createRunReporter('plain', (text) => (output += text), createStyle({ isTTY: false } as never))
    await report({ type: 'phase-start', phase: phase('secrets'), reason: 'first run' })
    await report({ type: 'phase-start', phase: phase('security-policy'), reason: 'first run' })
    await report({ type: 'gate-end', phase: 'security-policy', gate: gate('policy present') })
    await report({ type: 'gate-end', phase: 'secrets', gate: gate('no secrets') })
    await report({ type: 'gate-end', phase: 'secrets', gate: gate('no key files') })
    const lines = output.split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d /, ''))
    expect(lines).toEqual([
      '▶ secrets: first run',
      '▶ security-policy: first run',
      '  ✔ gate policy present: present',
      '▶ secrets (continued)',
      '  ✔ gate no secrets: present',
      '  ✔ gate no key files: present',
      '',
    ])
  })
})
