import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { repoRoot } from '../helpers.js'

describe("wf's own plan", () => {
  it('validates', async () => {
    const result = await runCli(['validate', '--json'], { cwd: repoRoot })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: true, files: ['phases/wf.yaml'] })
  })

  it('orders build before test and extends the built-in governance phase', async () => {
    const { phases } = JSON.parse((await runCli(['list', '--json'], { cwd: repoRoot })).stdout)
    const ids = phases.map((p: { id: string }) => p.id)
    expect(ids.indexOf('build')).toBeLessThan(ids.indexOf('test'))
    const governance = phases.find((p: { id: string }) => p.id === 'governance')
    expect(governance.gates).toBeGreaterThan(5)
  })
})
