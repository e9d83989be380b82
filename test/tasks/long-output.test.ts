import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunRecord } from '../../src/ledger/ledger.js'
import { readJson } from '../ledger/ledger-files.js'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'

describe('long output lines', () => {
  it('stores a 5 MB line of a task capped, with how many bytes were cut', { timeout: 60_000 }, async () => {
    const cwd = testdir({
      'phases/plan.yaml': `version: 1
phases:
  - id: long
    tasks:
      - run: node -e "process.stdout.write('x'.repeat(5 * 1024 * 1024) + 'END\\\\nafter\\\\n'); process.exitCode = 1"
`,
    })
    const result = await runCli(['run', '--reporter', 'plain'], { cwd, env: { GITHUB_ACTIONS: undefined } })
    expect(result.code, result.stderr).toBe(1)
    const marker = `… (${5 * 1024 * 1024 + 3 - 64 * 1024} bytes cut)`
    // Printed capped too (the plain reporter shortens it further to fit a line).
    expect(result.stdout.length).toBeLessThan(200 * 1024)
    const runs = join(cwd, '.wf', 'runs')
    const run = readJson<RunRecord>(join(runs, readdirSync(runs)[0]!))
    const output = run.phases[0]!.tasks![0]!.output!
    expect(output.slice(-200)).toBe(`${'x'.repeat(200 - marker.length - 6)}${marker}\nafter`)
    expect(output.length).toBeLessThanOrEqual(8 * 1024)
  })
})
