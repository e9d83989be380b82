import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../cli-in-process.js'
import { git, gitRepo } from '../../helpers.js'
import { connectMcp, data } from '../mcp-client.js'

describe('get_status', () => {
  it("shows a phase's last check beside its result, which the check leaves as it was", async () => {
    const cwd = gitRepo({
      'phases/p.yaml': 'version: 1\nphases:\n  - id: lint\n    gates:\n      - forbid: { patterns: ["debugger"] }\n',
      'src/a.js': 'debugger\n',
    })
    expect((await runCli(['run'], { cwd })).code).toBe(1)
    writeFileSync(join(cwd, 'src', 'b.js'), 'export {}\n')
    git(cwd, 'add', 'src/b.js')
    expect((await runCli(['check', '--staged'], { cwd })).code).toBe(0)
    const mcp = await connectMcp(cwd)
    try {
      const status = await data(mcp, 'get_status')
      expect(status.phases).toEqual([
        expect.objectContaining({
          id: 'lint',
          status: 'failed',
          check: expect.objectContaining({
            status: 'passed',
            scope: { kind: 'staged', fileCount: 1, files: ['src/b.js'] },
            gates: { passed: 1 },
          }),
        }),
      ])
    } finally {
      await mcp.close()
    }
  })
})
