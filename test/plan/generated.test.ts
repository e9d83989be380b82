import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers.js'
// @ts-expect-error plain JS build script without types
import { renderPlanArtifacts } from '../../scripts/gen-plan.js'

describe('generated plan artifacts', () => {
  it('are current with contracts/plan.schema.json (run `npm run gen:plan` if this fails)', async () => {
    const artifacts: [string, string][] = await renderPlanArtifacts()
    expect(artifacts.map(([path]) => path)).toEqual(['src/plan/plan.generated.ts', 'src/plan/validate-plan.generated.js'])
    for (const [path, content] of artifacts) {
      expect(readFileSync(join(repoRoot, path), 'utf8'), `${path} is stale`).toBe(content)
    }
  })

  it('name their source and say not to edit them', () => {
    for (const path of ['src/plan/plan.generated.ts', 'src/plan/validate-plan.generated.js']) {
      const head = readFileSync(join(repoRoot, path), 'utf8').split('\n')[0]
      expect(head).toContain('contracts/plan.schema.json')
      expect(head).toContain('Do not edit')
    }
  })
})
