import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers.js'
import { importCycles, importGraph, layerViolations } from './imports.js'

describe('the layers of src/', () => {
  const graph = importGraph(join(repoRoot, 'src'))

  it('every import points down the layers', () => {
    expect(layerViolations(graph)).toEqual([])
  })

  it('no import cycles', () => {
    expect(importCycles(graph)).toEqual([])
  })

  it('catches an upward import, a sideways one, and a cycle', () => {
    const planted = new Map([
      ['lib/files.ts', ['engine/run-plan.ts']],
      ['engine/run-plan.ts', ['lib/files.ts']],
      ['cli/cli.ts', ['mcp/server.ts']],
      ['mcp/server.ts', []],
      ['gates/a.ts', ['gates/b.ts']],
      ['gates/b.ts', ['gates/a.ts']],
    ])
    expect(layerViolations(planted)).toEqual([
      'lib/files.ts (lib) imports engine/run-plan.ts (engine)',
      'cli/cli.ts (cli) imports mcp/server.ts (mcp)',
    ])
    expect(importCycles(planted)).toEqual([
      ['engine/run-plan.ts', 'lib/files.ts'],
      ['gates/a.ts', 'gates/b.ts'],
    ])
  })
})
