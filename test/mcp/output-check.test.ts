import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { checkOutputsSynchronously } from '../../src/mcp/tool-kit.js'

/** A server with one tool whose output schema is `schema`, returning `output` as structured content. */
async function callWith(schema: z.ZodRawShape, output: Record<string, unknown>): Promise<CallToolResult> {
  const server = new McpServer({ name: 't', version: '1.0.0' })
  server.registerTool('tool', { inputSchema: {}, outputSchema: schema }, async () => ({
    content: [{ type: 'text', text: JSON.stringify(output) }],
    structuredContent: output,
  }))
  checkOutputsSynchronously(server)
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await server.connect(serverSide)
  const client = new Client({ name: 'test', version: '1.0.0' })
  await client.connect(clientSide)
  try {
    return (await client.callTool({ name: 'tool', arguments: {} })) as CallToolResult
  } finally {
    await client.close()
    await server.close()
  }
}

const textOf = (result: CallToolResult) => (result.content[0] as { text: string }).text

describe('output schemas checked by a synchronous parse', () => {
  const shape = { phases: z.array(z.object({ id: z.string(), upToDate: z.boolean() })), total: z.number() }

  it('passes what matches the schema and refuses what does not, in the SDK words', async () => {
    const good = { phases: [{ id: 'a', upToDate: true }], total: 1 }
    expect((await callWith(shape, good)).structuredContent).toEqual(good)
    const bad = await callWith(shape, { phases: [{ id: 'a', upToDate: 'yes' }], total: 1 })
    expect(bad.isError).toBe(true)
    expect(textOf(bad)).toMatch(
      /^MCP error -32602: Output validation error: Invalid structured content for tool tool: /,
    )
    expect(textOf(bad)).toMatch(/upToDate/)
  })

  it('leaves a schema with asynchronous checks to the SDK', async () => {
    const checked = { id: z.string().refine(async (id) => id !== 'forbidden', 'not that id') }
    expect((await callWith(checked, { id: 'fine' })).isError).toBeFalsy()
    const refused = await callWith(checked, { id: 'forbidden' })
    expect(refused.isError).toBe(true)
    expect(textOf(refused)).toMatch(/not that id/)
  })
})
