// Spawns bin/run.js: the exit code and the absence of a stack trace are those of the real binary.
import { cpSync } from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hasStackTrace, repoRoot, runWf, testdir } from '../helpers.js'

// The whole corpus of test/fixtures/invalid runs in-process in test/plan/read-plan.test.ts.
const fixturesDir = join(repoRoot, 'test', 'fixtures', 'invalid')

describe('an invalid plan, read by the built binary', () => {
  it.each([
    ['yaml-unclosed-quote', 'phases/build.yaml:4:11: error: '],
    ['needs-cycle-two-phases', 'phases/ci.yaml:4:13: error: '],
  ])('%s: exits 2 with the located error, no stack trace, in text and JSON', async (name, header) => {
    const cwd = testdir()
    cpSync(join(fixturesDir, name), cwd, { recursive: true, filter: (src) => basename(src) !== 'expect.json' })
    const [human, json] = await Promise.all([runWf(['validate'], { cwd }), runWf(['validate', '--json'], { cwd })])
    expect(human.code, human.stderr).toBe(2)
    expect(human.stdout).toBe('')
    expect(human.stderr).toContain(header)
    expect(hasStackTrace(human.stderr), human.stderr).toBe(false)
    expect(json.code, json.stdout + json.stderr).toBe(2)
    expect(hasStackTrace(json.stderr), json.stderr).toBe(false)
    expect(JSON.parse(json.stdout).error.code).toBe('WF_PLAN_INVALID')
  })
})
