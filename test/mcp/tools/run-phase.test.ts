import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { gitRepo } from '../../helpers.js'
import { alive, call, connectMcp, data, errorOf, ledgerOf, pidIn, waitFor } from '../mcp-client.js'

const PLAN = `version: 1
phases:
  - id: build
    name: Build
    inputs: ["src/**"]
    tasks:
      - run: mkdir -p out && cp src/app.txt out/app.txt
      - run: echo built >> out/log.txt
    gates:
      - files-exist: [out/app.txt]
      - file-contains: { in: out/log.txt, text: built }
  - id: ship
    needs: [build]
    tasks: [{ run: "echo shipped > shipped.txt" }]
  - id: slow
    name: Slow
    tasks:
      - run: "echo $$ > shell.pid; sleep 30 & echo $! > sleep.pid; wait"
`

const repo = () => gitRepo({ 'phases/plan.yaml': PLAN, 'src/app.txt': 'app\n', '.gitignore': '.wf/\n*.pid\nout/\n' })

describe('wf mcp run_phase', () => {
  it('is not offered without --allow-run, and calling it anyway changes nothing', async () => {
    const cwd = repo()
    const mcp = await connectMcp(cwd)
    try {
      expect((await mcp.client.listTools()).tools.map((t) => t.name)).not.toContain('run_phase')
      const result = await call(mcp, 'run_phase', { id: 'build' })
      expect(result.isError).toBe(true)
      expect(JSON.stringify(result.content)).toMatch(/run_phase not found/)
      expect(existsSync(join(cwd, 'out'))).toBe(false)
      expect(existsSync(join(cwd, '.wf', 'ledger.json'))).toBe(false)
    } finally {
      await mcp.close()
    }
  })

  it('with --allow-run runs a phase that changes files, records it in the ledger and reports progress per task and gate', async () => {
    const cwd = repo()
    const mcp = await connectMcp(cwd, { allowRun: true })
    try {
      const tool = (await mcp.client.listTools()).tools.find((t) => t.name === 'run_phase')!
      expect(tool.annotations).toEqual({
        title: 'Run a phase',
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: true,
      })
      // No argument can carry a command: unknown ones are refused, and nothing runs.
      const smuggled = await call(mcp, 'run_phase', { id: 'build', command: 'touch pwned' })
      expect(smuggled.isError).toBe(true)
      expect(JSON.stringify(smuggled.content)).toMatch(/command/)
      expect(existsSync(join(cwd, 'pwned'))).toBe(false)
      expect(existsSync(join(cwd, 'out'))).toBe(false)
      const progress: { progress: number; total?: number; message?: string }[] = []
      const result = await mcp.client.callTool({ name: 'run_phase', arguments: { id: 'build' } }, undefined, {
        onprogress: (p) => progress.push(p),
      })
      expect(result.isError).toBeFalsy()
      const run = result.structuredContent as { phases: { tasks: { status: string }[]; gates: { status: string }[] }[] }
      expect(run).toMatchObject({
        status: 'passed',
        runId: expect.stringMatching(/^1-/),
        phases: [{ id: 'build', status: 'passed' }],
      })
      expect(run.phases[0]!.tasks.map((t: { status: string }) => t.status)).toEqual(['passed', 'passed'])
      expect(run.phases[0]!.gates.map((g: { status: string }) => g.status)).toEqual(['passed', 'passed'])
      expect(readFileSync(join(cwd, 'out/app.txt'), 'utf8')).toBe('app\n')
      expect(ledgerOf(cwd).phases.build!.status).toBe('passed')

      expect(progress.map((p) => p.message)).toEqual([
        'build: task 1 started: mkdir -p out && cp src/app.txt out/app.txt',
        'build: task 1 passed: mkdir -p out && cp src/app.txt out/app.txt',
        'build: task 2 started: echo built >> out/log.txt',
        'build: task 2 passed: echo built >> out/log.txt',
        'build: gate passed: files exist: out/app.txt',
        expect.stringMatching(/^build: gate passed: /),
      ])
      expect(progress.map((p) => p.progress)).toEqual([1, 2, 3, 4, 5, 6])
      expect(progress.every((p) => p.total === 6)).toBe(true)

      // A second run skips it as up to date; force runs it again.
      const again = await data(mcp, 'run_phase', { id: 'build' })
      expect(again.phases[0].status).toBe('up-to-date')
      expect(readFileSync(join(cwd, 'out/log.txt'), 'utf8')).toBe('built\n')
      expect((await data(mcp, 'run_phase', { id: 'build', force: true })).phases[0].status).toBe('passed')
      expect(readFileSync(join(cwd, 'out/log.txt'), 'utf8')).toBe('built\nbuilt\n')
      expect((await data(mcp, 'list_phases')).phases[0]).toMatchObject({
        id: 'build',
        status: 'passed',
        upToDate: true,
      })

      expect(errorOf(await call(mcp, 'run_phase', { id: 'buld' }))).toMatchObject({
        code: 'WF_UNKNOWN_PHASE',
        hint: 'did you mean `build`?',
      })
      // After a failed run of build, ship cannot run: its need has not passed.
      rmSync(join(cwd, 'src/app.txt'))
      expect((await data(mcp, 'run_phase', { id: 'build' })).phases[0]).toMatchObject({
        status: 'failed',
        reason: expect.stringContaining('failed'),
      })
      expect(errorOf(await call(mcp, 'run_phase', { id: 'ship' }))).toMatchObject({
        code: 'WF_UNMET_NEEDS',
        message: 'unmet needs: `ship` needs `build` (failed)',
        hint: expect.stringContaining('run_phase'),
      })
      expect(existsSync(join(cwd, 'shipped.txt'))).toBe(false)
      expect(mcp.errors).toEqual([])
    } finally {
      await mcp.close()
    }
  })

  it('keeps a generated file edited by hand even with force; overwrite replaces it and names the saved copy', async () => {
    const cwd = gitRepo({
      'phases/plan.yaml':
        'version: 1\nphases:\n  - id: files\n    tasks:\n      - { template: "builtin:editorconfig", to: .editorconfig, merge: false }\n',
      '.gitignore': '.wf/\n',
    })
    const mcp = await connectMcp(cwd, { allowRun: true })
    try {
      expect((await data(mcp, 'run_phase', { id: 'files' })).status).toBe('passed')
      writeFileSync(join(cwd, '.editorconfig'), 'root = false\r\n')
      const kept = await data(mcp, 'run_phase', { id: 'files', force: true })
      expect(kept.phases[0].tasks[0]).toMatchObject({ status: 'failed', message: expect.stringContaining('overwrite') })
      expect(readFileSync(join(cwd, '.editorconfig'), 'utf8')).toBe('root = false\r\n')
      const replaced = await data(mcp, 'run_phase', { id: 'files', overwrite: true })
      const backup = `.wf/backup/${replaced.runId}/.editorconfig`
      expect(replaced.phases[0].tasks[0]).toMatchObject({
        status: 'passed',
        overwritten: [{ path: '.editorconfig', backup }],
      })
      expect(readFileSync(join(cwd, backup), 'utf8')).toBe('root = false\r\n')
      expect(readFileSync(join(cwd, '.editorconfig'), 'utf8')).toContain('root = true')
    } finally {
      await mcp.close()
    }
  })

  it("cancelling the request kills the phase's processes and records it as cancelled; the server keeps serving", async () => {
    const cwd = repo()
    const mcp = await connectMcp(cwd, { allowRun: true })
    try {
      const controller = new AbortController()
      const pending = mcp.client.callTool({ name: 'run_phase', arguments: { id: 'slow' } }, undefined, {
        signal: controller.signal,
        onprogress: () => {},
      })
      const shell = await pidIn(cwd, 'shell.pid')
      const sleeper = await pidIn(cwd, 'sleep.pid')
      expect(alive(sleeper)).toBe(true)
      controller.abort('the user stopped it')
      await expect(pending).rejects.toThrow()
      // The run is over once it is in the ledger's list of recent runs.
      const record = await waitFor(() => ledgerOf(cwd).recent.length > 0 && ledgerOf(cwd), 15_000, 'the end of the run')
      expect(record.recent.at(-1)!.status).toBe('cancelled')
      expect(record.phases.slow).toMatchObject({ status: 'cancelled', reason: 'the run was interrupted' })
      await waitFor(() => !alive(sleeper) && !alive(shell), 5_000, "the phase's processes to end")
      const status = await data(mcp, 'get_status')
      expect(status.phases.find((p: { id: string }) => p.id === 'slow')).toMatchObject({ status: 'cancelled' })
      expect(status.active).toBeNull()
    } finally {
      await mcp.close()
    }
  })

  it('asks the user to confirm when the client supports elicitation: decline runs nothing, accept runs', async () => {
    const cwd = repo()
    const asked: string[] = []
    let answer: 'decline' | 'accept' = 'decline'
    const mcp = await connectMcp(cwd, {
      allowRun: true,
      onElicit: (request) => {
        asked.push(request.params.message)
        return answer === 'accept' ? { action: 'accept', content: { run: true } } : { action: 'decline' }
      },
    })
    try {
      const declined = errorOf(await call(mcp, 'run_phase', { id: 'build' }))
      expect(declined).toMatchObject({
        code: 'WF_DECLINED',
        message: 'the user did not confirm running phase `build`; nothing ran',
      })
      expect(asked).toHaveLength(1)
      expect(asked[0]).toMatch(
        /Run wf phase `build` \(Build\)\? It runs `mkdir -p out && cp src\/app.txt out\/app.txt`, `echo built >> out\/log.txt`/,
      )
      expect(existsSync(join(cwd, 'out'))).toBe(false)
      expect(existsSync(join(cwd, '.wf', 'ledger.json'))).toBe(false)

      answer = 'accept'
      expect((await data(mcp, 'run_phase', { id: 'build' })).status).toBe('passed')
      expect(asked).toHaveLength(2)
      expect(existsSync(join(cwd, 'out/app.txt'))).toBe(true)
    } finally {
      await mcp.close()
    }
  })
})
