import type { Server } from '@modelcontextprotocol/sdk/server/index.js'
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { normalizeObjectSchema } from '@modelcontextprotocol/sdk/server/zod-compat.js'
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js'
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js'
import * as z from 'zod'
import { PlanError, WfError, type PlanIssue } from '../lib/errors.js'
import { writeFailure } from '../lib/write-failure.js'
import type { EngineEvent } from '../engine/events.js'
import type { GateRecord, TaskRecord } from '../ledger/ledger.js'
import type { RepoReader } from './repo-reader.js'
import { portable } from './portable.js'

/** What every tool handler gets: where the repository is, the plan reader, and the server's lifetime. */
export interface McpContext {
  cwd: string
  repo: RepoReader
  /** The protocol-level server (client capabilities, elicitation). */
  server: Server
  /** `wf mcp --allow-run`: run_phase is offered, and check_phase / next_phase evaluate `command` and `plugin` gates and `when: run`. */
  allowRun: boolean
  /** `wf mcp --allow-write` (or --allow-run): fix_phase is offered. */
  allowWrite: boolean
  /** Aborted when the server shuts down (stdin closed): running phases stop. */
  shutdown: AbortSignal
  /** The server's environment, copied once (it does not change while the server runs): reading process.env goes through C++ on every access. */
  env: NodeJS.ProcessEnv
  /** Runs in progress, awaited before the process exits. */
  running: Set<Promise<unknown>>
  log(message: string): void
}

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>

/** Registers one tool on the server. */
export type ToolRegistration = (server: McpServer, context: McpContext) => void

/** How long a tool that writes the ledger waits for another wf run to release it. */
export const LOCK_TIMEOUT_MS = 10_000
/** How long the user has to answer a confirmation asked through elicitation. */
export const CONFIRM_TIMEOUT_MS = 10 * 60_000

/** A phase id as the plan allows it; the plan itself is checked by the handler. */
export const phaseId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'a phase id: lowercase letters, digits, - and _')
  .describe('A phase id from list_phases, such as `build`.')

const location = z.object({
  file: z.string(),
  line: z.number().optional(),
  col: z.number().optional(),
  message: z.string().optional(),
})

/** A gate's result as tools report it. */
export const gateResult = z.object({
  name: z.string(),
  kind: z.string(),
  status: z.string().describe('passed, failed, warned, waived or awaiting-approval'),
  message: z.string(),
  locations: z.array(location).optional().describe('Files (and lines) the result is about.'),
  hint: z.string().optional().describe('What would make a failing gate pass.'),
})

/** A task's result as tools report it. */
export const taskResult = z.object({
  name: z.string(),
  kind: z.string(),
  status: z.string(),
  message: z.string().optional(),
  exitCode: portable.nullable(z.number(), 'The exit code; null when a signal ended the process.').optional(),
  output: z.string().optional().describe('The last lines of output (failed tasks only).'),
  overwritten: z
    .array(z.object({ path: z.string(), backup: z.string() }))
    .optional()
    .describe('Generated files edited by hand that the task replaced, and where each edit was saved.'),
})

/** A phase's result as tools report it. */
export const phaseResult = z.object({
  id: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  durationMs: z.number().optional(),
  endedAt: z.string().optional(),
  tasks: z.array(taskResult).optional(),
  gates: z.array(gateResult).optional(),
})

const MAX_OUTPUT = 4000

export function toGateResult({ name, kind, status, message, locations, hint }: GateRecord): z.infer<typeof gateResult> {
  return { name, kind, status, message, ...(locations?.length ? { locations } : {}), ...(hint ? { hint } : {}) }
}

export function toTaskResult({
  name,
  kind,
  status,
  message,
  exitCode,
  output,
  generated,
}: TaskRecord): z.infer<typeof taskResult> {
  const tail = status === 'failed' && output ? output.slice(-MAX_OUTPUT) : undefined
  const overwritten = (generated ?? []).flatMap(({ path, backup }) => (backup ? [{ path, backup }] : []))
  return {
    name,
    kind,
    status,
    ...(message ? { message } : {}),
    ...(exitCode !== undefined ? { exitCode } : {}),
    ...(tail ? { output: tail } : {}),
    ...(overwritten.length ? { overwritten } : {}),
  }
}

/** A successful result: the data as structured content, and as JSON text for clients that read only text. */
export function ok<T extends Record<string, unknown>>(data: T): CallToolResult & { structuredContent: T } {
  return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data }
}

/** A domain failure as an `isError` result: a stable code, a message and a hint, never a stack trace. */
export function failure(code: string, message: string, hint?: string, issues?: PlanIssue[]): CallToolResult {
  const error = { code, message, ...(hint ? { hint } : {}), ...(issues ? { issues: issues.map(flattenIssue) } : {}) }
  return { content: [{ type: 'text', text: JSON.stringify({ error }) }], isError: true }
}

/**
 * The SDK answers arguments that do not match a tool's input schema with a plain text error; this
 * gives them wf's `{code, message, hint}` shape, like every other failure. Call after the tools
 * are registered (the SDK sets up its tools/call handler then).
 */
export function shapeInputErrors(server: McpServer): void {
  type Handler = (request: { params?: { name?: string } }, extra: unknown) => Promise<unknown>
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, Handler> })._requestHandlers
  const sdkHandler = handlers?.get('tools/call')
  if (!handlers || !sdkHandler) return
  handlers.set('tools/call', async (request, extra) => {
    const result = (await sdkHandler(request, extra)) as CallToolResult
    const first = result.isError ? result.content?.[0] : undefined
    const match =
      first?.type === 'text'
        ? /^MCP error -32602: Input validation error: (?:Invalid arguments for tool \S+: )?([\s\S]*)$/.exec(first.text)
        : null
    if (!match) return result
    const tool = request.params?.name ?? 'the tool'
    return failure(
      'WF_USAGE',
      `invalid arguments for ${tool}: ${match[1]}`,
      `pass arguments that match the input schema of ${tool} (tools/list shows it)`,
    )
  })
}

/**
 * The SDK checks each result's structured content against the tool's output schema with an
 * asynchronous parse, for which zod does not use the code it compiles for object schemas; this
 * checks it with a synchronous parse of the same schema (several times faster on a page of
 * phases) and leaves every other case to the SDK: what is accepted and refused stays the same, and
 * a refusal is worded by the SDK.
 */
export function checkOutputsSynchronously(server: McpServer): void {
  type Tool = { outputSchema?: unknown }
  type Check = (tool: Tool, result: CallToolResult, name: string) => Promise<void>
  const sdk = server as unknown as { validateToolOutput?: Check }
  const sdkCheck = sdk.validateToolOutput?.bind(server)
  if (!sdkCheck) return
  // A tool may answer with a result it already gave (list_phases while nothing changed): checked once per tool.
  const passed = new WeakMap<object, Tool>()
  sdk.validateToolOutput = async (tool, result, name) => {
    const schema = normalizeObjectSchema(tool.outputSchema as Parameters<typeof normalizeObjectSchema>[0]) as
      | z.ZodType
      | undefined
    if (schema && 'content' in result && !result.isError && result.structuredContent) {
      if (passed.get(result.structuredContent) === tool) return
      try {
        if (schema.safeParse(result.structuredContent).success) {
          passed.set(result.structuredContent, tool)
          return
        }
      } catch {
        // A schema with asynchronous parts: the SDK's parse handles it.
      }
    }
    return sdkCheck(tool, result, name)
  }
}

/** A plan issue with its location as `file:line:col`. */
export function flattenIssue(issue: PlanIssue) {
  const { location, ...rest } = issue
  const at = location
    ? [location.file, location.line, location.col].filter((p) => p !== undefined).join(':')
    : undefined
  return {
    ...rest,
    ...(at ? { at } : {}),
    ...(location ? { file: location.file, line: location.line, col: location.col } : {}),
  }
}

/** Runs a tool handler; any thrown error becomes an `isError` result (the server keeps serving). */
export async function guard(context: McpContext, handler: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await handler()
  } catch (error) {
    if (error instanceof PlanError)
      return failure(
        error.code,
        error.message,
        'call validate_plan for every problem with file:line:col, then fix the plan files',
        error.issues,
      )
    const known = error instanceof WfError ? error : writeFailure(error)
    if (known) return failure(known.code, known.message, known.hint)
    const debug = /\bwf/.test(process.env.DEBUG ?? '')
    context.log(`internal error: ${(debug && (error as Error)?.stack) || ((error as Error)?.message ?? String(error))}`)
    return failure(
      'WF_INTERNAL',
      (error as Error)?.message ?? String(error),
      'this is a bug in wf; the server is still running',
    )
  }
}

/**
 * Sends MCP progress notifications for engine events, when the client asked for progress (a
 * progress token): one step at each task start and end and at each gate result.
 */
export function progressReporter(extra: ToolExtra, total?: number): (event: EngineEvent) => Promise<void> {
  const token = extra._meta?.progressToken
  let progress = 0
  return async (event) => {
    if (token === undefined) return
    let message: string | undefined
    if (event.type === 'task-start') message = `${event.phase}: task ${event.index + 1} started: ${event.name}`
    else if (event.type === 'task-end')
      message = `${event.phase}: task ${event.index + 1} ${event.task.status}: ${event.task.name}`
    else if (event.type === 'gate-end') message = `${event.phase}: gate ${event.gate.status}: ${event.gate.name}`
    if (!message) return
    progress++
    await extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress, ...(total && total >= progress ? { total } : {}), message },
      })
      .catch(() => {})
  }
}

/** Annotations of a tool that only reads. */
export const READ_ONLY = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const

/**
 * Annotations of a tool that evaluates plan code (`command` and `plugin` gates, `when: run`) when
 * the server was started with --allow-run: such code can change anything, so it is not read-only then.
 */
export const RUNS_PLAN_CODE = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: true,
} as const

/** What a read-only server says of a gate or condition it did not evaluate. */
export const NEEDS_ALLOW_RUN = 'not evaluated: needs --allow-run'
