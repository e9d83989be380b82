// Spawns `wf mcp`: what only the real binary shows — the protocol on its stdout, logs on stderr,
// cancellation over the wire, and how the process ends (stdin closed, SIGTERM).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { binPath, gitRepo } from '../helpers.js'
import { alive, data, ledgerOf, pidIn, READ_ONLY_TOOLS, startMcp, waitFor } from '../mcp/mcp-client.js'

const PLAN = `version: 1
phases:
  - id: build
    tasks: [{ run: "echo built > built.txt" }]
    gates: [{ files-exist: [README.md] }]
  - id: slow
    tasks:
      - run: "echo $$ > shell.pid; sleep 30 & echo $! > sleep.pid; wait"
`

const repo = () => gitRepo({ 'phases/plan.yaml': PLAN, 'README.md': '# demo\n', '.gitignore': '.wf/\n*.pid\n' })

interface Message {
  jsonrpc: string
  id?: string | number | null
  result?: Record<string, unknown>
  error?: { code: number; message: string }
}

/** `wf mcp ARGS` spoken to line by line: every line it writes to stdout is parsed (`stray` keeps those that are not JSON-RPC). */
function spawnMcp(cwd: string, args: string[] = []) {
  const child = spawn(process.execPath, [binPath, 'mcp', ...args], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', DEBUG: '' },
  })
  const messages: Message[] = []
  const stray: string[] = []
  let partial = ''
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n')
    partial = lines.pop()!
    for (const line of lines) {
      try {
        const message = JSON.parse(line) as Message
        if (message.jsonrpc === '2.0') messages.push(message)
        else stray.push(line)
      } catch {
        stray.push(line)
      }
    }
  })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const send = (message: object | string) =>
    child.stdin.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`)
  const answerTo = (id: number) => waitFor(() => messages.find((m) => m.id === id), 15_000, `the answer to ${id}`)
  const initialize = async () => {
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    })
    const answer = await answerTo(1)
    send({ jsonrpc: '2.0', method: 'notifications/initialized' })
    return answer
  }
  /** Kills it if it still runs (a test that failed half-way), and waits for it to end. */
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  }
  return { child, messages, stray, stderr: () => stderr, send, answerTo, initialize, exited, stop }
}

describe('wf mcp over stdio', () => {
  it('answers the handshake and a tool call, says what it cannot read, writes only JSON-RPC to stdout and its log to stderr, and exits 0 when stdin closes', async () => {
    const cwd = repo()
    const mcp = spawnMcp(cwd)
    try {
      expect((await mcp.initialize()).result).toMatchObject({
        protocolVersion: '2025-11-25',
        serverInfo: { name: 'wf' },
        instructions: expect.stringMatching(/next_phase/),
      })
      mcp.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' })
      const { tools } = (await mcp.answerTo(2)).result as { tools: { name: string }[] }
      expect(tools.map((t) => t.name).sort()).toEqual(READ_ONLY_TOOLS)
      mcp.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_phases', arguments: {} } })
      const listed = (await mcp.answerTo(3)).result as { structuredContent: { phases: { id: string }[] } }
      expect(listed.structuredContent.phases.map((p) => p.id)).toEqual(['build', 'slow'])
      mcp.send('{ not json')
      mcp.send({
        jsonrpc: '2.0',
        id: 4,
        method: 'tools/call',
        params: { name: 'get_phase', arguments: { id: 'nope' } },
      })
      expect((await mcp.answerTo(4)).result).toMatchObject({ isError: true })
      expect(mcp.messages.find((m) => m.id === null)?.error?.code).toBe(-32700)
      mcp.child.stdin.end()
      expect(await mcp.exited).toBe(0)
      expect(mcp.stray).toEqual([])
      expect(mcp.stderr()).toMatch(/wf mcp: serving .* \(read-only\)/)
      expect(existsSync(join(cwd, 'built.txt'))).toBe(false)
    } finally {
      await mcp.stop()
    }
  })

  it("cancelling a request kills the phase's processes and records it as cancelled; the server keeps serving", async () => {
    const cwd = repo()
    const mcp = await startMcp(cwd, ['--allow-run'])
    try {
      expect(mcp.transport.pid).toBeGreaterThan(0)
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
      const record = await waitFor(() => ledgerOf(cwd).recent.length > 0 && ledgerOf(cwd), 15_000, 'the end of the run')
      expect(record.phases.slow).toMatchObject({ status: 'cancelled', reason: 'the run was interrupted' })
      await waitFor(() => !alive(sleeper) && !alive(shell), 15_000, "the phase's processes to end")
      expect((await data(mcp, 'run_phase', { id: 'build' })).status).toBe('passed')
      expect(mcp.errors).toEqual([])
    } finally {
      await mcp.close()
    }
  })

  for (const how of ['stdin closes', 'it gets SIGTERM'] as const) {
    it(`exits when ${how}, stopping a running phase with no process left behind`, async () => {
      const cwd = repo()
      const mcp = spawnMcp(cwd, ['--allow-run'])
      try {
        await mcp.initialize()
        mcp.send({
          jsonrpc: '2.0',
          id: 2,
          method: 'tools/call',
          params: { name: 'run_phase', arguments: { id: 'slow' } },
        })
        const shell = await pidIn(cwd, 'shell.pid')
        const sleeper = await pidIn(cwd, 'sleep.pid')
        if (how === 'stdin closes') mcp.child.stdin.end()
        else mcp.child.kill('SIGTERM')
        expect(await mcp.exited).toBe(how === 'stdin closes' ? 0 : 130)
        expect(alive(sleeper)).toBe(false)
        expect(alive(shell)).toBe(false)
        expect(ledgerOf(cwd).phases.slow!.status).toBe('cancelled')
        expect(ledgerOf(cwd).recent.at(-1)!.status).toBe('cancelled')
        expect(mcp.stray).toEqual([])
      } finally {
        await mcp.stop()
      }
    })
  }
})
