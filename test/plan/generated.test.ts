import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers.js'
import { renderContractArtifacts } from '../../scripts/gen-contracts.js'

describe('generated contract artifacts', () => {
  it('are current with the schemas in contracts/ (run `npm run gen:contracts` if this fails)', async () => {
    const artifacts = (await renderContractArtifacts()) as [string, string][]
    expect(artifacts.map(([path]) => path)).toEqual([
      'src/plan/plan.generated.ts',
      'src/plan/validate-plan.generated.js',
      'src/ledger/ledger.generated.ts',
      'src/ledger/validate-ledger.generated.js',
    ])
    for (const [path, content] of artifacts) {
      expect(readFileSync(join(repoRoot, path), 'utf8'), `${path} is stale`).toBe(content)
    }
  })

  it('name their source and say not to edit them', () => {
    for (const [path, schema] of [
      ['src/plan/plan.generated.ts', 'plan'],
      ['src/plan/validate-plan.generated.js', 'plan'],
      ['src/ledger/ledger.generated.ts', 'ledger'],
      ['src/ledger/validate-ledger.generated.js', 'ledger'],
    ]) {
      const head = readFileSync(join(repoRoot, path!), 'utf8').split('\n')[0]
      expect(head).toContain(`contracts/${schema}.schema.json`)
      expect(head).toContain('Do not edit')
    }
  })
})
