// MCP sessions for tests: `connectMcp` talks to the server of src/mcp/server.ts inside the test
// process; `startMcp` starts `wf mcp` (bin/run.js) as a real process and talks to it over stdio.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import {
  ElicitRequestSchema,
  type CallToolResult,
  type ElicitRequest,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js'
import { createServer } from '../../src/mcp/server.js'
import { binPath } from '../helpers.js'

export interface McpSession {
  client: Client
  /** Errors the client saw, such as a line on stdout that is not a JSON-RPC message. */
  errors: Error[]
  /** What the server logged (its stderr). */
  stderr: () => string
  close: () => Promise<void>
}

export interface McpOptions {
  /** Answers the server's elicitation requests; without it the client does not offer elicitation. */
  onElicit?: (request: ElicitRequest) => ElicitResult
}

function newClient(options: McpOptions): { client: Client; errors: Error[] } {
  const onElicit = options.onElicit
  const client = new Client(
    { name: 'wf-test', version: '1.0.0' },
    { capabilities: onElicit ? { elicitation: { form: {} } } : {} },
  )
  if (onElicit) client.setRequestHandler(ElicitRequestSchema, async (request) => onElicit(request))
  const errors: Error[] = []
  client.onerror = (error) => errors.push(error)
  return { client, errors }
}

/** Connects a client to the wf MCP server for `cwd`, both in this process (as `wf mcp [--allow-write] [--allow-run]` serves it). */
export async function connectMcp(
  cwd: string,
  options: McpOptions & { allowRun?: boolean; allowWrite?: boolean } = {},
): Promise<McpSession> {
  let logged = ''
  const wf = createServer({
    cwd,
    allowRun: options.allowRun ?? false,
    allowWrite: options.allowWrite ?? false,
    log: (message) => (logged += `${message}\n`),
  })
  wf.server.server.onerror = (error) => (logged += `${error.message}\n`)
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await wf.server.connect(serverSide)
  const { client, errors } = newClient(options)
  await client.connect(clientSide)
  return {
    client,
    errors,
    stderr: () => logged,
    close: async () => {
      await wf.close()
      await client.close()
    },
  }
}

/** Spawns `wf mcp ARGS` in `cwd` and completes the handshake. */
export async function startMcp(
  cwd: string,
  args: string[] = [],
  options: McpOptions = {},
): Promise<McpSession & { transport: StdioClientTransport }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [binPath, 'mcp', ...args],
    cwd,
    env: { ...(process.env as Record<string, string>), NO_COLOR: '1', DEBUG: '' },
    stderr: 'pipe',
  })
  let stderr = ''
  transport.stderr?.on('data', (d) => (stderr += d))
  const { client, errors } = newClient(options)
  await client.connect(transport)
  return { client, transport, errors, stderr: () => stderr, close: () => client.close() }
}

/** Calls a tool and returns the whole result. */
export async function call(
  session: McpSession,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult> {
  return (await session.client.callTool({ name, arguments: args })) as CallToolResult
}

/** Calls a tool that must succeed; returns its structured content. */
// biome-ignore lint/suspicious/noExplicitAny: tests read each tool's JSON ad hoc; the server already checks it against the tool's outputSchema
export async function data<T = Record<string, any>>(
  session: McpSession,
  name: string,
  args: Record<string, unknown> = {},
): Promise<T> {
  const result = await call(session, name, args)
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`)
  return result.structuredContent as T
}

/** The `{code, message, hint}` of an isError result. */
export function errorOf(result: CallToolResult): { code: string; message: string; hint?: string; issues?: unknown[] } {
  if (!result.isError) throw new Error(`expected an error, got ${JSON.stringify(result.structuredContent)}`)
  const text = (result.content[0] as { text: string }).text
  return JSON.parse(text).error
}

/** The ledger of a repository. */
export function ledgerOf(cwd: string): {
  phases: Record<string, { status: string; reason?: string; tasks?: { status: string }[] }>
  recent: { status: string }[]
} {
  return JSON.parse(readFileSync(`${cwd}/.wf/ledger.json`, 'utf8'))
}

/** True while a process exists and is not a zombie waiting to be reaped. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return true
  }
}

/** Waits until `check` returns a truthy value (polling), or fails after `ms`. */
export async function waitFor<T>(check: () => T | undefined | false, ms = 15_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    let value: T | undefined | false
    try {
      value = check()
    } catch {
      value = undefined
    }
    if (value) return value
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** The tools `wf mcp` offers without --allow-run, sorted. */
export const READ_ONLY_TOOLS = [
  'check_phase',
  'get_phase',
  'get_status',
  'list_phases',
  'list_presets',
  'next_phase',
  'validate_plan',
]

/** The process id a task wrote into `file` of the repository, once it is there. */
export const pidIn = (cwd: string, file: string) =>
  waitFor(
    () => {
      const text = existsSync(join(cwd, file)) ? readFileSync(join(cwd, file), 'utf8').trim() : ''
      return /^\d+$/.test(text) ? Number(text) : undefined
    },
    15_000,
    file,
  )
