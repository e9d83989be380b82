import { describe, expect, it } from 'vitest'
import { renderGraph } from '../../src/plan/graph.js'
import type { ResolvedPhase } from '../../src/plan/resolve-plan.js'

const phase = (id: string, needs: string[] = [], name = id): ResolvedPhase => ({
  id,
  name,
  needs,
  inputs: [],
  vars: {},
  env: {},
  tasks: [],
  gates: [],
  source: { file: 'phases/a.yaml', line: 1, col: 1 },
})
const diamond = [phase('a', [], 'Start "here"'), phase('b-1', ['a']), phase('c', ['a']), phase('d', ['b-1', 'c'])]

describe('renderGraph', () => {
  it('renders mermaid with safe node ids and escaped labels', () => {
    expect(renderGraph(diamond, 'mermaid')).toBe(
      [
        'flowchart TD',
        '  p_a["a: Start #quot;here#quot;"]',
        '  p_b_1["b-1"]',
        '  p_c["c"]',
        '  p_d["d"]',
        '  p_a --> p_b_1',
        '  p_a --> p_c',
        '  p_b_1 --> p_d',
        '  p_c --> p_d',
        '',
      ].join('\n'),
    )
  })

  it('renders dot with quoted ids', () => {
    const dot = renderGraph(diamond, 'dot')
    expect(dot).toContain('"a" [label="a\\nStart \\"here\\""];')
    expect(dot).toContain('"b-1" -> "d";')
  })

  it('renders a text tree that marks phases reached twice', () => {
    expect(renderGraph(diamond, 'text')).toBe('a\n├─ b-1\n│  └─ d\n└─ c\n   └─ d (see above)\n')
  })
})
