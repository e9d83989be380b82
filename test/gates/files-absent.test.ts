import { describe, expect, it } from 'vitest'
import { testdir } from '../helpers.js'
import { planWith, runGates } from './run-gates.js'

const plan = (gates: string) => planWith(gates, '    inputs: [README.md]\n')

async function gateResults(files: Record<string, string>) {
  const cwd = testdir(files)
  return { cwd, ...(await runGates(cwd)) }
}

describe('files-absent gate', () => {
  it('lists each forbidden file as a location, ignoring node_modules', async () => {
    const { gates } = await gateResults({
      'phases/p.yaml': plan('      - files-absent: ["**/*.pem", "**/.env"]\n'),
      'README.md': '',
      'certs/server.pem': 'x',
      'app/.env': 'A=1',
      'node_modules/pkg/test.pem': 'x',
    })
    expect(gates[0]!.status).toBe('failed')
    expect(gates[0]!.locations!.map((l) => l.file)).toEqual(['app/.env', 'certs/server.pem'])
  })
})
