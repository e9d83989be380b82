import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'
import { plan } from './sample-plan.js'

describe('wf graph', () => {
  it('renders mermaid, dot and text', async () => {
    const cwd = testdir({ 'phases/a.yaml': plan })
    const mermaid = await runCli(['graph'], { cwd })
    expect(mermaid.stdout).toContain('flowchart TD')
    expect(mermaid.stdout).toContain('p_lint --> p_build')
    const dot = await runCli(['graph', '--format', 'dot'], { cwd })
    expect(dot.stdout).toMatch(/^digraph wf \{/)
    expect(dot.stdout).toContain('"build" -> "test";')
    const text = await runCli(['graph', '--format', 'text'], { cwd })
    expect(text.stdout).toBe('lint\n├─ build\n│  └─ test\n└─ docs\n')
    const json = JSON.parse((await runCli(['graph', '--json'], { cwd })).stdout)
    expect(json.edges).toContainEqual({ from: 'lint', to: 'docs' })
  })

  it('rejects an unknown format with exit 2', async () => {
    const cwd = testdir({ 'phases/a.yaml': plan })
    const result = await runCli(['graph', '--format', 'svg'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('svg')
  })
})
