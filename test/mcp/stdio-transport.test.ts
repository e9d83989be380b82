import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/mcp/server.js'
import { LineTransport } from '../../src/mcp/stdio-transport.js'
import { gitRepo, hasStackTrace } from '../helpers.js'
import { waitFor } from './mcp-client.js'

const PLAN = `version: 1
phases:
  - id: build
    tasks: [{ run: "echo built > built.txt" }]
    gates: [{ files-exist: [README.md] }]
`

interface Answer {
  jsonrpc: string
  id: string | number | null
  result?: { isError?: boolean; content?: { text: string }[] }
  error?: { code: number; message: string }
}

/** Hostile or malformed lines, each with the id its answer must carry (null: the line could not be read as a request). */
function hostileMessages(count: number): { line: string; id: string | number | null }[] {
  const req = (id: number, method: string, params?: unknown) =>
    JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) })
  const tool = (id: number, name: unknown, args?: unknown) =>
    req(id, 'tools/call', { name, ...(args === undefined ? {} : { arguments: args }) })
  let nested: unknown = 'deep'
  for (let i = 0; i < 3000; i++) nested = [nested]
  const kinds: ((id: number) => { line: string; id: string | number | null })[] = [
    () => ({ line: '{', id: null }),
    () => ({ line: 'not json at all', id: null }),
    () => ({ line: '{"jsonrpc":"2.0","id":', id: null }),
    () => ({ line: '\u0000\u0001\u0002\u00ff', id: null }),
    () => ({ line: "{'single': 'quotes'}", id: null }),
    () => ({ line: '[1, 2', id: null }),
    () => ({ line: '42', id: null }),
    () => ({ line: 'null', id: null }),
    () => ({ line: '[]', id: null }),
    () => ({ line: '"a string"', id: null }),
    () => ({ line: '{}', id: null }),
    () => ({ line: JSON.stringify({ jsonrpc: '2.0', id: { not: 'an id' }, method: 'tools/list' }), id: null }),
    (id) => ({ line: JSON.stringify({ jsonrpc: '1.0', id, method: 'tools/list' }), id }),
    (id) => ({ line: JSON.stringify({ jsonrpc: '2.0', id, method: 42 }), id }),
    (id) => ({ line: req(id, 'tools/call', 'params as a string'), id }),
    (id) => ({ line: req(id, 'tools/call', [1, 2, 3]), id }),
    (id) => ({ line: req(id, 'no/such/method'), id }),
    (id) => ({ line: req(id, 'tools/call'), id }),
    (id) => ({ line: tool(id, 123), id }),
    (id) => ({ line: tool(id, 'rm_rf', { path: '/' }), id }),
    (id) => ({ line: tool(id, 'run_phase', { id: 'build' }), id }),
    (id) => ({ line: tool(id, 'get_phase', { id: '../../etc/passwd' }), id }),
    (id) => ({ line: tool(id, 'get_phase', { id: '/etc/passwd' }), id }),
    (id) => ({ line: tool(id, 'get_phase', { id: '..' }), id }),
    (id) => ({ line: tool(id, 'get_phase', { id: 'build/../../x' }), id }),
    (id) => ({ line: tool(id, 'check_phase', { id: '..\\..\\windows' }), id }),
    (id) => ({ line: tool(id, 'get_phase', { id: 'a'.repeat(200_000) }), id }),
    (id) => ({ line: tool(id, 'get_phase', { id: 'nope' }), id }),
    (id) => ({ line: tool(id, 'get_phase', { id: 5 }), id }),
    (id) => ({ line: tool(id, 'get_phase', { id: null }), id }),
    (id) => ({ line: tool(id, 'get_phase', {}), id }),
    (id) => ({ line: tool(id, 'get_phase', 'id=build'), id }),
    (id) => ({ line: tool(id, 'get_phase', { id: nested }), id }),
    (id) => ({ line: tool(id, 'check_phase', { id: ['build'] }), id }),
    (id) => ({ line: tool(id, 'next_phase', { check: 'yes' }), id }),
    (id) => ({ line: tool(id, 'get_phase', { id: 'build; rm -rf /' }), id }),
    (id) => ({ line: tool(id, 'get_phase', { id: '$(touch pwned)' }), id }),
    (id) => ({ line: tool(id, 'get_phase', { id: 'build', command: 'touch pwned' }), id }),
    (id) => ({ line: tool(id, 'check_phase', { id: 'build', template: '{{ 7 * 7 }}', to: '../outside.txt' }), id }),
    (id) => ({ line: tool(id, 'list_phases', { cwd: '/etc' }), id }),
    (id) => ({ line: tool(id, 'validate_plan', { plan: '/etc/passwd' }), id }),
    (id) => ({ line: tool(id, 'x'.repeat(100_000), {}), id }),
    (id) => ({ line: req(id, 'resources/read', { uri: 'file:///etc/passwd' }), id }),
    (id) => ({ line: req(id, 'resources/read', { uri: 'wf://phases/../../etc/passwd' }), id }),
    (id) => ({ line: req(id, 'resources/read', { uri: 'wf://phases/%2e%2e%2f%2e%2e%2fetc' }), id }),
    (id) => ({ line: req(id, 'resources/read', { uri: 12 }), id }),
    (id) => ({
      line: req(id, 'completion/complete', {
        ref: { type: 'ref/resource', uri: 'wf://nope/{x}' },
        argument: { name: 'x', value: '' },
      }),
      id,
    }),
    (id) => ({ line: req(id, 'prompts/get', { name: 'anything' }), id }),
  ]
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length]!(1000 + i))
}

describe('wf mcp robustness', () => {
  it('answers 500+ malformed or hostile messages with an error each, writes only JSON-RPC, and keeps serving', async () => {
    const cwd = gitRepo({ 'phases/plan.yaml': PLAN, 'README.md': '# demo\n' })
    // The server as `wf mcp` serves it, over a pair of streams in place of stdin and stdout.
    const stdin = new PassThrough()
    const stdout = new PassThrough()
    let stderr = ''
    const wf = createServer({ cwd, allowRun: false, log: (message) => (stderr += `${message}\n`) })
    wf.server.server.onerror = (error) => (stderr += `${error.message}\n`)
    const closed = new Promise<void>((resolve) => {
      wf.server.server.onclose = () => resolve()
    })
    await wf.server.connect(new LineTransport(stdin, stdout))
    const answers: Answer[] = []
    const stray: string[] = []
    let partial = ''
    stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n')
      partial = lines.pop()!
      for (const line of lines) {
        try {
          const message = JSON.parse(line) as Answer
          if (message.jsonrpc !== '2.0') stray.push(line)
          answers.push(message)
        } catch {
          stray.push(line)
        }
      }
    })
    // In pieces of at most 64 KiB, as a pipe delivers them: a long line arrives in many chunks.
    const send = async (line: string) => {
      const bytes = Buffer.from(`${line}\n`)
      for (let at = 0; at < bytes.length; at += 65536)
        if (!stdin.write(bytes.subarray(at, at + 65536))) await new Promise((resolve) => stdin.once('drain', resolve))
    }
    const answerTo = (id: number) => waitFor(() => answers.find((a) => a.id === id), 30_000, `the answer to ${id}`)
    try {
      await send(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
        }),
      )
      expect((await answerTo(1)).result).toMatchObject({ protocolVersion: '2025-11-25', serverInfo: { name: 'wf' } })
      await send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }))

      const messages = hostileMessages(540)
      for (const message of messages) await send(message.line)
      // One line longer than the server reads (4 MiB), then more input.
      await send(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 9999,
          method: 'tools/call',
          params: { name: 'get_phase', arguments: { id: 'x'.repeat(5 * 1024 * 1024) } },
        }),
      )
      await send(
        JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_phases', arguments: {} } }),
      )
      const final = await answerTo(2)
      expect(final.result?.isError).toBeFalsy()
      expect(
        (final.result as { structuredContent?: { phases: { id: string }[] } }).structuredContent!.phases.map(
          (p) => p.id,
        ),
      ).toEqual(['build'])

      const byId = new Map(answers.filter((a) => a.id !== null).map((a) => [a.id, a]))
      const withId = messages.filter((m) => m.id !== null)
      for (const message of withId) {
        const answer = await answerTo(message.id as number)
        const failed = answer.error !== undefined || answer.result?.isError === true
        expect(failed, `${message.line.slice(0, 120)} → ${JSON.stringify(answer).slice(0, 200)}`).toBe(true)
        expect(hasStackTrace(JSON.stringify(answer))).toBe(false)
      }
      expect(byId.size).toBe(withId.length + 2)
      const unreadable = messages.length - withId.length + 1
      await waitFor(
        () => answers.filter((a) => a.id === null).length >= unreadable,
        10_000,
        'answers to unreadable lines',
      )
      const nulls = answers.filter((a) => a.id === null)
      expect(nulls).toHaveLength(unreadable)
      expect(nulls.every((a) => a.error && [-32700, -32600].includes(a.error.code))).toBe(true)
      expect(nulls.some((a) => /longer than 4194304 bytes/.test(a.error!.message))).toBe(true)
      expect(messages.length).toBeGreaterThanOrEqual(500)
      expect(stray).toEqual([])
      // Domain errors carry a code and a hint.
      const unknown = answers.find((a) => a.result?.content?.[0]?.text.includes('WF_UNKNOWN_PHASE'))!
      expect(JSON.parse(unknown.result!.content![0]!.text).error).toMatchObject({
        code: 'WF_UNKNOWN_PHASE',
        message: 'no phase `nope` in the plan',
        hint: expect.any(String),
      })
      expect(existsSync(join(cwd, 'pwned'))).toBe(false)
      expect(existsSync(join(cwd, 'built.txt'))).toBe(false)
      expect(stderr).not.toMatch(/internal error/)
    } finally {
      // The end of the input ends the session (the process then exits 0: test/e2e/mcp-stdio.test.ts).
      stdin.end()
      await closed
      await wf.close()
    }
  })
})

describe('wf mcp before initialize', () => {
  it('serves only `initialize` and `ping` until the client has initialized', async () => {
    const cwd = gitRepo({ 'phases/plan.yaml': PLAN, 'README.md': '# demo\n' })
    const stdin = new PassThrough()
    const stdout = new PassThrough()
    const wf = createServer({ cwd, allowRun: false, log: () => {} })
    await wf.server.connect(new LineTransport(stdin, stdout))
    const answers: Answer[] = []
    stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) answers.push(JSON.parse(line) as Answer)
    })
    const send = (message: object) => stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`)
    const answerTo = (id: number) => waitFor(() => answers.find((a) => a.id === id), 30_000, `the answer to ${id}`)
    try {
      send({ id: 1, method: 'tools/list' })
      send({ id: 2, method: 'tools/call', params: { name: 'list_phases', arguments: {} } })
      send({ method: 'notifications/initialized' })
      send({ id: 3, method: 'ping' })
      expect((await answerTo(1)).error).toMatchObject({
        code: -32600,
        message: expect.stringMatching(/not initialized/),
      })
      expect((await answerTo(2)).error?.message).toMatch(/send `initialize` before `tools\/call`/)
      expect((await answerTo(3)).result).toEqual({})
      send({
        id: 4,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      })
      expect((await answerTo(4)).result).toMatchObject({ serverInfo: { name: 'wf' } })
      send({ id: 5, method: 'tools/list' })
      expect((await answerTo(5)).result).toMatchObject({ tools: expect.arrayContaining([expect.anything()]) })
    } finally {
      stdin.end()
      await wf.close()
    }
  })
})
