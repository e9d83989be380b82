import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'

/** Longest line (one message) read from stdin; a longer one is answered with an error and skipped. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024

/**
 * Requests handled at once. Past it, and while answers wait for a client that does not read them,
 * requests wait in order and stdin is not read: what the server holds stays bounded.
 */
export const MAX_IN_FLIGHT = 16

const PARSE_ERROR = -32700
const INVALID_REQUEST = -32600

/**
 * MCP over stdio, one JSON-RPC message per line, that never gives up on its input: a line that is
 * not JSON, not a JSON-RPC message, or too long is answered with a JSON-RPC error (id null when
 * none can be read) and the next line is read as usual. End of input closes the transport.
 */
export class LineTransport implements Transport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage) => void

  private chunks: Buffer[] = []
  private size = 0
  /** Skipping the rest of a line that was too long. */
  private skipping = false
  private closed = false
  private initialized = false
  /** Requests handed on and not answered yet, by id; requests waiting their turn; answers not yet taken by the client. */
  private readonly inFlight = new Map<string | number, number>()
  private readonly waiting: JSONRPCMessage[] = []
  private blocked = false

  constructor(
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream = process.stdout,
    private readonly maxBytes = MAX_MESSAGE_BYTES,
  ) {}

  async start(): Promise<void> {
    this.input.on('data', this.onData)
    this.input.on('end', this.onEnd)
    this.input.on('close', this.onEnd)
    this.input.on('error', this.onInputError)
    this.output.on('error', this.onOutputError)
  }

  private readonly onData = (chunk: Buffer | string) => {
    let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10)) {
      const head = data.subarray(0, nl)
      data = data.subarray(nl + 1)
      if (this.skipping) {
        this.skipping = false
        continue
      }
      if (this.size + head.length > this.maxBytes) {
        this.chunks = []
        this.size = 0
        this.tooLong()
        continue
      }
      const line = this.size ? Buffer.concat([...this.chunks, head]) : head
      this.chunks = []
      this.size = 0
      this.handleLine(line.toString('utf8'))
    }
    if (data.length === 0 || this.skipping) return
    if (this.size + data.length > this.maxBytes) {
      this.chunks = []
      this.size = 0
      this.skipping = true
      this.tooLong()
      return
    }
    this.chunks.push(Buffer.from(data))
    this.size += data.length
  }

  private tooLong(): void {
    this.reply(null, INVALID_REQUEST, `message longer than ${this.maxBytes} bytes; it was skipped`)
  }

  private handleLine(raw: string): void {
    const line = raw.replace(/\r$/, '')
    if (line.trim() === '') return
    let data: unknown
    try {
      data = JSON.parse(line)
    } catch (error) {
      this.reply(null, PARSE_ERROR, `Parse error: ${(error as Error).message.slice(0, 200)}`)
      return
    }
    const parsed = JSONRPCMessageSchema.safeParse(data)
    if (!parsed.success) {
      const id = requestId(data)
      // A notification (no id) gets no answer, as JSON-RPC says; anything else learns what was wrong.
      if (id === undefined && isObject(data) && typeof data.method === 'string' && !('id' in data)) {
        this.onerror?.(new Error(`ignored a malformed notification \`${data.method.slice(0, 100)}\``))
        return
      }
      this.reply(
        id ?? null,
        INVALID_REQUEST,
        `Invalid Request: not a JSON-RPC 2.0 message (${describeProblem(parsed.error)})`,
      )
      return
    }
    if (!this.initialized && !this.allowedBeforeInitialize(parsed.data)) return
    const message = parsed.data
    if ('method' in message && 'id' in message) {
      if (this.waiting.length > 0 || this.blocked || this.inFlight.size >= MAX_IN_FLIGHT) {
        this.waiting.push(message)
        this.input.pause()
        return
      }
      this.track(message.id, 1)
    }
    this.deliver(message)
  }

  private deliver(message: JSONRPCMessage): void {
    try {
      this.onmessage?.(message)
    } catch (error) {
      this.onerror?.(error as Error)
    }
  }

  /** Hands on waiting requests while there is room, and reads stdin again once none wait. */
  private pump(): void {
    while (!this.closed && this.waiting.length > 0 && !this.blocked && this.inFlight.size < MAX_IN_FLIGHT) {
      const message = this.waiting.shift()!
      if ('id' in message) this.track(message.id, 1)
      this.deliver(message)
    }
    if (!this.closed && this.waiting.length === 0 && !this.blocked) this.input.resume()
  }

  /**
   * Until the client has sent `initialize`, only that and `ping` are served (as MCP requires):
   * other requests get an error, notifications are dropped.
   */
  private allowedBeforeInitialize(message: JSONRPCMessage): boolean {
    const method = 'method' in message ? message.method : undefined
    if (method === 'initialize' && 'id' in message) {
      this.initialized = true
      return true
    }
    if (method === 'ping') return true
    if (method !== undefined && 'id' in message && message.id !== undefined)
      this.reply(message.id, INVALID_REQUEST, `server not initialized: send \`initialize\` before \`${method}\``)
    return false
  }

  private reply(id: string | number | null, code: number, message: string): void {
    this.write({ jsonrpc: '2.0', id, error: { code, message } })
  }

  private write(message: unknown): Promise<void> {
    if (this.closed) return Promise.resolve()
    return new Promise((resolve) => {
      if (this.output.write(`${JSON.stringify(message)}\n`)) resolve()
      else {
        this.blocked = true
        this.input.pause()
        this.output.once('drain', () => {
          this.blocked = false
          this.pump()
          resolve()
        })
      }
    })
  }

  send(message: JSONRPCMessage): Promise<void> {
    const sent = this.write(message)
    if (('result' in message || 'error' in message) && this.track(message.id, -1)) this.pump()
    return sent
  }

  /** Counts a request handed on (+1) or answered (-1); says whether the id was in flight. */
  private track(id: string | number | null | undefined, delta: 1 | -1): boolean {
    if (id === null || id === undefined) return false
    const count = (this.inFlight.get(id) ?? 0) + delta
    if (delta < 0 && count < 0) return false
    if (count > 0) this.inFlight.set(id, count)
    else this.inFlight.delete(id)
    return true
  }

  private readonly onEnd = () => void this.close()
  private readonly onInputError = (error: Error) => {
    this.onerror?.(error)
    void this.close()
  }
  // stdout gone (the client left): nothing more can be said, so stop.
  private readonly onOutputError = (error: Error) => {
    this.onerror?.(error)
    void this.close()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.input.off('data', this.onData)
    this.input.off('end', this.onEnd)
    this.input.off('close', this.onEnd)
    // A paused stdin no longer keeps the process alive.
    this.input.pause()
    this.chunks = []
    this.waiting.length = 0
    this.onclose?.()
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The id of something that looks like a request, when it is a valid id. */
function requestId(data: unknown): string | number | undefined {
  if (!isObject(data)) return undefined
  const id = data.id
  return (typeof id === 'string' && id.length <= 200) || (typeof id === 'number' && Number.isFinite(id))
    ? id
    : undefined
}

function describeProblem(error: { issues?: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues?.[0]
  if (!issue) return 'unexpected shape'
  const path = issue.path.map(String).join('.')
  return `${path ? `${path}: ` : ''}${issue.message}`.slice(0, 200)
}
