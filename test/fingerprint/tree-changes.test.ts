import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo } from '../helpers.js'
import { connectMcp, data } from '../mcp/mcp-client.js'

const wf = (cwd: string, args: string[]) => runCli(args, { cwd, env: { GITHUB_ACTIONS: undefined } })

// `a` declares no inputs: its fingerprint covers the whole working tree.
const PLAN = `version: 1
phases:
  - id: a
    tasks: [{ run: "echo a" }]
  - id: b
    needs: [a]
    inputs: [README.md]
`

const passedRepo = async () => {
  const cwd = gitRepo({ 'phases/p.yaml': PLAN, 'README.md': 'readme\n', 'tracked.txt': 'one\n', 'gone.txt': 'x\n' })
  expect((await wf(cwd, ['run'])).code).toBe(0)
  return cwd
}

describe('whole-tree fingerprints name the files that changed', () => {
  it('explain, status --detailed, a dry run and the MCP tools name an untracked file added, a tracked file modified and one deleted', async () => {
    const cwd = await passedRepo()
    writeFileSync(join(cwd, 'new.txt'), 'new\n')
    writeFileSync(join(cwd, 'tracked.txt'), 'two\n')
    rmSync(join(cwd, 'gone.txt'))
    const named = ['file removed: gone.txt', 'file added: new.txt', 'file modified: tracked.txt']

    const explained = await wf(cwd, ['explain', 'a', '--json'])
    expect(JSON.parse(explained.stdout)).toMatchObject({ phase: 'a', upToDate: false, changes: named })
    const text = (await wf(cwd, ['explain', 'a'])).stdout
    for (const line of named) expect(text).toContain(line)
    expect(text).not.toContain('working tree changed')

    const status = JSON.parse((await wf(cwd, ['status', '--detailed', '--json'])).stdout)
    expect(status.phases.find((p: { id: string }) => p.id === 'a').freshness.changes).toEqual(named)

    const dry = await wf(cwd, ['run', '--dry-run'])
    expect(dry.stdout).toContain(`would run a: ${named.join('; ')}`)

    const mcp = await connectMcp(cwd)
    try {
      expect((await data(mcp, 'get_phase', { id: 'a' })).changes).toEqual(named)
      expect((await data(mcp, 'next_phase')).why).toEqual(named)
    } finally {
      await mcp.close()
    }

    const run = await wf(cwd, ['run'])
    expect(run.stdout).toContain(`a: ${named.join('; ')}`)
    expect((await wf(cwd, ['explain', 'a'])).stdout).toContain('a is up to date')
    writeFileSync(join(cwd, 'tracked.txt'), 'three\n')
    expect(JSON.parse((await wf(cwd, ['explain', 'a', '--json'])).stdout).changes).toEqual([
      'file modified: tracked.txt',
    ])
  })

  it('names the first 20 files, then counts the rest', async () => {
    const cwd = await passedRepo()
    for (let i = 10; i < 35; i++) writeFileSync(join(cwd, `f${i}.txt`), `${i}\n`)
    const { changes } = JSON.parse((await wf(cwd, ['explain', 'a', '--json'])).stdout)
    expect(changes).toHaveLength(21)
    expect(changes[0]).toBe('file added: f10.txt')
    expect(changes[19]).toBe('file added: f29.txt')
    expect(changes[20]).toBe('and 5 more files changed')
  })

  it('keeps one saved tree per pass the ledger holds, and says the tree changed when the saved one is gone', async () => {
    const cwd = await passedRepo()
    const trees = join(cwd, '.wf', 'cache', 'trees')
    for (const content of ['1\n', '2\n', '3\n']) {
      writeFileSync(join(cwd, 'tracked.txt'), content)
      expect((await wf(cwd, ['run'])).code).toBe(0)
    }
    // The tree `a` passed on, and the one it passed on before (pruned by the next pass).
    expect(readdirSync(trees).length).toBeLessThanOrEqual(2)
    rmSync(trees, { recursive: true })
    writeFileSync(join(cwd, 'tracked.txt'), '4\n')
    expect(JSON.parse((await wf(cwd, ['explain', 'a', '--json'])).stdout).changes).toEqual([
      'working tree changed (the phase declares no inputs, so any file counts)',
    ])
  })
})
