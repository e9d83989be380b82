import { describe, expect, it } from 'vitest'
import { longScanRepo } from '../gates/long-scan.js'
import { connectMcp } from './mcp-client.js'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('MCP during a long regex scan', () => {
  it('answers ping while check_phase scans, and cancels the check', { timeout: 60_000 }, async () => {
    const mcp = await connectMcp(longScanRepo())
    try {
      const cancel = new AbortController()
      let settled = false
      const check = mcp.client
        .callTool({ name: 'check_phase', arguments: { id: 'scan' } }, undefined, {
          signal: cancel.signal,
          timeout: 600_000,
        })
        .finally(() => (settled = true))
      check.catch(() => {})
      for (let i = 0; i < 5; i++) {
        await pause(200)
        expect(await mcp.client.ping()).toEqual({})
      }
      // Every pong came while the scan (minutes of matching) was still running.
      expect(settled).toBe(false)
      cancel.abort('enough')
      await expect(check).rejects.toThrow()
      expect(await mcp.client.ping()).toEqual({})
    } finally {
      await mcp.close()
    }
  })
})
