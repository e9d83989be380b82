import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { spawnWf } from '../helpers.js'
import { longScanRepo } from '../gates/long-scan.js'

const started: { kill: () => void }[] = []
afterEach(() => {
  for (const child of started.splice(0)) child.kill()
})

describe('a long regex scan', () => {
  it('SIGTERM while a gate scans files stops wf with exit 130', { timeout: 60_000 }, async () => {
    const cwd = longScanRepo()
    const { child, done } = spawnWf(['run', '--reporter', 'plain'], { cwd })
    started.push({ kill: () => child.kill('SIGKILL') })
    while (!existsSync(join(cwd, 'started'))) await new Promise((r) => setTimeout(r, 20))
    // The gates start once the task has ended; a little later the scan is under way.
    await new Promise((r) => setTimeout(r, 500))
    child.kill('SIGTERM')
    const result = await done
    expect(result.code).toBe(130)
    expect(result.stdout).toContain('scan')
    expect(child.exitCode).toBe(130)
  })
})
