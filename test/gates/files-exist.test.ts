import { describe, expect, it } from 'vitest'
import { testdir } from '../helpers.js'
import { planWith, runGates } from './run-gates.js'

const plan = (gates: string) => planWith(gates, '    inputs: [README.md]\n')

async function gateResults(files: Record<string, string>) {
  const cwd = testdir(files)
  return { cwd, ...(await runGates(cwd)) }
}

describe('files-exist gate', () => {
  it('passes when every pattern matches, names what is missing', async () => {
    const { code, gates } = await gateResults({
      'phases/p.yaml': plan(
        '      - files-exist: [README.md, "docs/*.md"]\n      - files-exist: [LICENSE, README.md, SECURITY.md]\n',
      ),
      'README.md': '# x\n',
      'docs/a.md': 'a',
    })
    expect(code).toBe(1)
    expect(gates[0]!.status).toBe('passed')
    expect(gates[1]).toMatchObject({ status: 'failed', message: 'missing: LICENSE, SECURITY.md' })
  })
})
