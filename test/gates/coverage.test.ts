import { describe, expect, it } from 'vitest'
import { testdir } from '../helpers.js'
import { expectInvalid, planWith, runGates } from './run-gates.js'

describe('coverage gate', () => {
  const summary = JSON.stringify({
    total: {
      lines: { total: 200, covered: 165, skipped: 0, pct: 82.5 },
      statements: { total: 220, covered: 180, skipped: 0, pct: 81.81 },
      functions: { total: 40, covered: 36, skipped: 0, pct: 90 },
      branches: { total: 100, covered: 91, skipped: 0, pct: 91 },
    },
  })
  const lcov = [
    'TN:',
    'SF:src/a.ts',
    'FN:1,a',
    'FNDA:1,a',
    'FNF:1',
    'FNH:1',
    'BRF:4',
    'BRH:3',
    'LF:10',
    'LH:9',
    'end_of_record',
    'TN:',
    'SF:src/b.ts',
    'FNF:1',
    'FNH:0',
    'BRF:0',
    'BRH:0',
    'LF:10',
    'LH:7',
    'end_of_record',
    '',
  ].join('\n')

  it('passes when an istanbul summary and an lcov file reach the thresholds', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith(
        [
          '      - coverage: { summary: coverage/coverage-summary.json, lines: 80, functions: 90 }',
          '      - coverage: { lcov: coverage/lcov.info, lines: 80, branches: 75 }',
          '',
        ].join('\n'),
      ),
      'coverage/coverage-summary.json': summary,
      'coverage/lcov.info': lcov,
    })
    const { code, gates } = await runGates(cwd)
    expect(gates.map((g) => [g.status, g.message])).toEqual([
      ['passed', 'lines 82.5% ≥ 80%; functions 90.0% ≥ 90%'],
      ['passed', 'lines 80.0% ≥ 80%; branches 75.0% ≥ 75%'],
    ])
    expect(code).toBe(0)
  })

  it('says actual vs required for each metric, located at the report', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith(
        [
          '      - coverage: { summary: coverage/coverage-summary.json, lines: 85, branches: 80 }',
          '      - coverage: { lcov: coverage/lcov.info, functions: 60, statements: 80 }',
          '      - coverage: { summary: coverage/missing.json, lines: 1 }',
          '',
        ].join('\n'),
      ),
      'coverage/coverage-summary.json': summary,
      'coverage/lcov.info': lcov,
    })
    const { code, gates } = await runGates(cwd)
    expect(code).toBe(1)
    expect(gates[0]).toMatchObject({
      status: 'failed',
      message: 'lines 82.5% < 85% required; branches 91.0% ≥ 80%',
      locations: [{ file: 'coverage/coverage-summary.json', message: 'lines 82.5% < 85% required' }],
    })
    expect(gates[1]).toMatchObject({
      status: 'failed',
      message: 'functions 50.0% < 60% required; statements 80.0% ≥ 80%',
      locations: [{ file: 'coverage/lcov.info', message: 'functions 50.0% < 60% required' }],
    })
    expect(gates[2]!.status).toBe('failed')
    expect(gates[2]!.message).toContain(
      'coverage report coverage/missing.json does not exist; produce it with `vitest run --coverage --coverage.reporter=json-summary`',
    )
    expect(gates[2]!.locations).toEqual([{ file: 'coverage/missing.json', message: gates[2]!.message }])
  })

  it('rejects a report path outside the repository at plan time', async () => {
    const cwd = testdir({ 'phases/p.yaml': planWith('      - coverage: { lcov: ../lcov.info, lines: 80 }\n') })
    await expectInvalid(cwd, 'phases/p.yaml:5:27', 'coverage report `../lcov.info` leaves the repository')
  })
})
