import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'

describe('plan files read from the cache', () => {
  it('reads a plan again when its bytes change: new phases appear, new errors are reported, YAML infinities are not cached', async () => {
    const cwd = testdir({ 'phases/p.yaml': 'version: 1\nphases:\n  - id: a\n    tasks: [{ run: "true" }]\n' })
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    // With .wf in place, reading the plan stores it; the next read comes from the cache.
    expect((await runCli(['list'], { cwd })).code).toBe(0)
    const cacheDir = join(cwd, '.wf', 'cache', 'plans')
    expect(readdirSync(cacheDir)).toHaveLength(1)
    writeFileSync(
      join(cwd, 'phases', 'p.yaml'),
      'version: 1\nphases:\n  - id: a\n    tasks: [{ run: "true" }]\n  - id: b\n    needs: [a]\n',
    )
    const list = await runCli(['list', '--json'], { cwd })
    expect(JSON.parse(list.stdout).phases.map((p: { id: string }) => p.id)).toEqual(['a', 'b'])
    writeFileSync(join(cwd, 'phases', 'p.yaml'), 'version: 1\nphases:\n  - id: a\n    needs: [nowhere]\n')
    const invalid = await runCli(['validate'], { cwd })
    expect(invalid.code).toBe(2)
    expect(invalid.stderr).toContain('phases/p.yaml:4:')
    expect(invalid.stderr).toContain('nowhere')
    // `.inf` has no JSON form: such a plan is parsed every time, never served from the cache as null.
    writeFileSync(join(cwd, 'phases', 'p.yaml'), 'version: 1\nvars: { big: .inf }\nphases:\n  - id: a\n')
    expect((await runCli(['list'], { cwd })).code).toBe(0)
    const cached = readdirSync(cacheDir).map(
      (name) => JSON.parse(JSON.parse(readFileSync(join(cacheDir, name), 'utf8')).plan) as { vars?: unknown },
    )
    expect(cached.some((plan) => plan.vars !== undefined)).toBe(false)
  })

  it('does not use a cache entry damaged since it was written', async () => {
    const cwd = testdir({ 'phases/p.yaml': 'version: 1\nphases:\n  - id: a\n  - id: b\n' })
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    expect((await runCli(['list'], { cwd })).code).toBe(0)
    const cacheDir = join(cwd, '.wf', 'cache', 'plans')
    const [name] = readdirSync(cacheDir)
    const entry = JSON.parse(readFileSync(join(cacheDir, name!), 'utf8'))
    writeFileSync(join(cacheDir, name!), JSON.stringify({ ...entry, plan: entry.plan.replace('"b"', '"c"') }))
    const list = await runCli(['list', '--json'], { cwd })
    expect(JSON.parse(list.stdout).phases.map((p: { id: string }) => p.id)).toEqual(['a', 'b'])
  })

  it('does not create .wf in a repository where wf has not run', async () => {
    const cwd = testdir({ 'phases/p.yaml': 'version: 1\nphases:\n  - id: a\n' })
    expect((await runCli(['validate'], { cwd })).code).toBe(0)
    expect((await runCli(['list'], { cwd })).code).toBe(0)
    expect(readdirSync(cwd)).not.toContain('.wf')
  })
})
