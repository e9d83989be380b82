import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { hasStackTrace, repoRoot, testdir } from '../helpers.js'
import { plan } from './sample-plan.js'

describe('wf validate', () => {
  it('exits 0 on a valid plan and reports what it read', async () => {
    const cwd = testdir({ 'phases/a.yaml': plan })
    const result = await runCli(['validate'], { cwd })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('1 plan file, 4 phases: valid')
    const json = await runCli(['validate', '--json'], { cwd })
    expect(JSON.parse(json.stdout)).toEqual({ valid: true, files: ['phases/a.yaml'], phases: 4 })
  })

  it('finds the repository root from a subfolder and honours --cwd', async () => {
    const cwd = testdir({ 'phases/a.yaml': plan, 'src/deep/x.txt': '' })
    expect((await runCli(['validate'], { cwd: join(cwd, 'src', 'deep') })).code).toBe(0)
    expect((await runCli(['validate', '--cwd', cwd], { cwd: repoRoot })).stdout).toContain('4 phases')
  })

  it('validates only the file given with --plan, following its includes', async () => {
    const cwd = testdir({
      'phases/broken.yaml': 'version: 1\nphases: [{ id: Bad }]\n',
      'plans/main.yaml': 'version: 1\ninclude: [extra.yaml]\nphases: [{ id: a, needs: [b] }]\n',
      'plans/extra.yaml': 'version: 1\nphases: [{ id: b }]\n',
    })
    const result = await runCli(['validate', '--plan', 'plans/main.yaml', '--json'], { cwd })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).files).toEqual(['plans/main.yaml', 'plans/extra.yaml'])
  })

  it('says how to start when there is no plan, with exit 2 and no stack trace', async () => {
    const cwd = testdir({})
    const result = await runCli(['validate'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/no phases\/ folder/)
    expect(result.stderr).toContain('wf init')
    expect(hasStackTrace(result.stderr)).toBe(false)
    const json = JSON.parse((await runCli(['validate', '--json'], { cwd })).stdout)
    expect(json.error.code).toBe('WF_PLAN_NOT_FOUND')
  })

  it('prints the stack trace only under DEBUG=wf*', async () => {
    const cwd = testdir({ 'phases/a.yaml': 'version: 1\nphases: [{ id: a, needs: [b] }]\n' })
    expect(hasStackTrace((await runCli(['validate'], { cwd })).stderr)).toBe(false)
    expect(hasStackTrace((await runCli(['validate'], { cwd, env: { DEBUG: 'wf*' } })).stderr)).toBe(true)
  })

  it('treats an unknown flag as a usage error (exit 2) without a stack trace', async () => {
    const cwd = testdir({ 'phases/a.yaml': plan })
    const result = await runCli(['validate', '--bogus'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--bogus')
    expect(hasStackTrace(result.stderr)).toBe(false)
  })
})
