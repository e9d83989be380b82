import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/mcp/server.js'
import { LineTransport, MAX_IN_FLIGHT } from '../../src/mcp/stdio-transport.js'
import { gitRepo } from '../helpers.js'
import { waitFor } from './mcp-client.js'

const phases = Array.from({ length: 40 }, (_, i) => `  - id: p${i}\n    gates: [{ files-exist: [README.md] }]`)
const PLAN = `version: 1\nphases:\n${phases.join('\n')}\n`

describe('wf mcp memory', () => {
  it('stops reading requests while a client does not read the answers, and answers them all once it does', {
    timeout: 60_000,
  }, async () => {
    const cwd = gitRepo({ 'phases/plan.yaml': PLAN, 'README.md': '# demo\n' })
    const stdin = new PassThrough()
    // Nobody reads stdout until the end: answers pile up past its small buffer.
    const stdout = new PassThrough({ highWaterMark: 1024 })
    const wf = createServer({ cwd, allowRun: false, log: () => {} })
    await wf.server.connect(new LineTransport(stdin, stdout))
    const line = (message: object) => `${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`
    stdin.write(
      line({
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      }) + line({ method: 'notifications/initialized' }),
    )
    const requests = 20 * MAX_IN_FLIGHT
    for (let id = 1; id <= requests; id++)
      stdin.write(line({ id, method: 'tools/call', params: { name: 'list_phases', arguments: {} } }))

    await waitFor(() => stdin.isPaused() || undefined, 30_000, 'the server to stop reading stdin')
    // Requests are left in stdin, unread, instead of answers growing in memory.
    expect(stdin.readableLength).toBeGreaterThan(0)

    const answered = new Set<unknown>()
    let partial = ''
    stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n')
      partial = lines.pop()!
      for (const text of lines) {
        const answer = JSON.parse(text) as { id: unknown; result?: { isError?: boolean } }
        if (answer.result && !answer.result.isError) answered.add(answer.id)
      }
    })
    await waitFor(() => answered.size === requests + 1 || undefined, 30_000, `answers to all ${requests + 1} requests`)
    expect(stdin.readableLength).toBe(0)
    await wf.server.close()
  })
})
