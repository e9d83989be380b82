import { mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo } from '../helpers.js'
import { connectMcp, data, type McpSession } from './mcp-client.js'

// The server keeps the plan, the ledger and file hashes between calls; each of these tests changes
// one of them between two calls and expects the second call to see the change.

const plan = (file: string) => `version: 1
phases:
  - id: docs
    inputs: [README.md]
    tasks:
      - run: "true"
    gates:
      - files-exist: [${file}]
      - file-contains: { in: README.md, text: governed }
`

/** Moves the mtime of every file and folder 10 s back, so the server may keep what it read of them. */
function age(dir: string): void {
  const past = Date.now() / 1000 - 10
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (!entry.parentPath.includes('.git')) utimesSync(join(entry.parentPath, entry.name), past, past)
  utimesSync(dir, past, past)
}

/** Each gate's kind and status, phase by phase in id order. */
const gateStatuses = (result: Record<string, unknown>) =>
  (result.phases as Array<{ id: string; gates: Array<{ kind: string; status: string }> }>)
    .sort((a, b) => a.id.localeCompare(b.id))
    .flatMap((p) => p.gates.map((g) => `${g.kind} ${g.status}`))

describe('wf mcp keeps what it read while it is unchanged', () => {
  let mcp: McpSession | undefined
  afterEach(async () => {
    await mcp?.close()
    mcp = undefined
  })

  const start = async () => {
    const cwd = gitRepo({
      'phases/plan.yaml': plan('LICENSE'),
      'README.md': 'governed by wf\n',
      LICENSE: 'MIT\n',
      NOTICE: 'none\n',
    })
    age(cwd)
    mcp = await connectMcp(cwd)
    const first = await data(mcp, 'check_phase', { id: 'docs' })
    expect(gateStatuses(first)).toEqual(['files-exist passed', 'file-contains passed'])
    return { cwd, mcp }
  }

  it('check_phase sees a plan file edited between two calls, even when its size stays the same', async () => {
    const { cwd, mcp } = await start()
    // Same length: only the content and the mtime tell the edit.
    writeFileSync(join(cwd, 'phases/plan.yaml'), plan('LICENSX'))
    const second = await data(mcp, 'check_phase', { id: 'docs' })
    expect(gateStatuses(second)).toEqual(['files-exist failed', 'file-contains passed'])
    expect(second.status).toBe('failed')
  })

  it('check_phase sees a plan file added and an input file changed between two calls', async () => {
    const { cwd, mcp } = await start()
    writeFileSync(join(cwd, 'README.md'), 'not any more\n')
    writeFileSync(
      join(cwd, 'phases/more.yaml'),
      'version: 1\nphases:\n  - id: notice\n    inputs: [NOTICE]\n    gates:\n      - files-exist: [NOTICE]\n',
    )
    const all = await data(mcp, 'check_phase')
    expect(all.phases.map((p: { id: string }) => p.id).sort()).toEqual(['docs', 'notice'])
    expect(gateStatuses(all)).toEqual(['files-exist passed', 'file-contains failed', 'files-exist passed'])
  })

  it('check_phase sees a plan file removed between two calls', async () => {
    const { cwd, mcp } = await start()
    writeFileSync(
      join(cwd, 'phases/more.yaml'),
      'version: 1\nphases:\n  - id: notice\n    gates:\n      - files-exist: [NOTICE]\n',
    )
    age(cwd)
    const ids = async () => (await data(mcp, 'check_phase')).phases.map((p: { id: string }) => p.id).sort()
    expect(await ids()).toEqual(['docs', 'notice'])
    expect(await ids()).toEqual(['docs', 'notice'])
    rmSync(join(cwd, 'phases/more.yaml'))
    expect(await ids()).toEqual(['docs'])
  })

  it('list_phases sees a run recorded and an input changed between two calls', async () => {
    const { cwd, mcp } = await start()
    const phases = async () =>
      (await data(mcp, 'list_phases')).phases.map((p: { id: string; status: string; upToDate: boolean }) => [
        p.id,
        p.status,
        p.upToDate,
      ])
    expect(await phases()).toEqual([['docs', 'never-run', false]])
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    age(cwd)
    expect(await phases()).toEqual([['docs', 'passed', true]])
    writeFileSync(join(cwd, 'README.md'), 'governed by wf, still\n')
    expect(await phases()).toEqual([['docs', 'passed', false]])
  })

  it('list_phases sees a file changed in a folder made after the tree was first read', async () => {
    const { cwd, mcp } = await start()
    writeFileSync(join(cwd, 'phases/plan.yaml'), plan('LICENSE').replace('inputs: [README.md]', 'inputs: ["docs/**"]'))
    const upToDate = async () => (await data(mcp, 'list_phases')).phases[0].upToDate
    mkdirSync(join(cwd, 'docs/deep'), { recursive: true })
    writeFileSync(join(cwd, 'docs/deep/a.md'), 'a\n')
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    age(cwd)
    const past = Date.now() / 1000 - 10
    utimesSync(join(cwd, '.git/index'), past, past)
    expect(await upToDate()).toBe(true)
    expect(await upToDate()).toBe(true)
    // Same size: only the event (or the stat) of the nested file tells the edit.
    writeFileSync(join(cwd, 'docs/deep/a.md'), 'b\n')
    expect(await upToDate()).toBe(false)
  })

  it('check_phase reads conditions and a .env file edited between calls against the environment the server started with', async () => {
    const { cwd, mcp } = await start()
    writeFileSync(
      join(cwd, 'phases/more.yaml'),
      [
        'version: 1',
        'phases:',
        '  - id: on-path',
        '    when: { env: PATH }',
        '    gates:',
        '      - files-exist: [NOTICE]',
        '  - id: from-dotenv',
        '    when: { env: WF_FROM_DOTENV }',
        '    gates:',
        '      - files-exist: [NOTICE]',
        '',
      ].join('\n'),
    )
    const statuses = async () =>
      Object.fromEntries(
        (await data(mcp, 'check_phase')).phases.map((p: { id: string; status: string }) => [p.id, p.status]),
      )
    expect(await statuses()).toEqual({ docs: 'passed', 'on-path': 'passed', 'from-dotenv': 'skipped' })
    writeFileSync(join(cwd, '.env'), 'WF_FROM_DOTENV=1\n')
    expect(await statuses()).toEqual({ docs: 'passed', 'on-path': 'passed', 'from-dotenv': 'passed' })
  })
})
