import { createHash } from 'node:crypto'
import * as z from 'zod'
import { WfError } from '../lib/errors.js'

/** Most items a list tool returns at once when `limit` is not given. */
export const DEFAULT_LIMIT = 50
/** Most items a list tool returns at once. */
export const MAX_LIMIT = 200

/** The `cursor` and `limit` arguments of a list tool (MCP's list pagination: pass `nextCursor` back as `cursor`). */
export const pageInput = {
  cursor: z
    .string()
    .max(512)
    .optional()
    .describe(
      'The `nextCursor` of the previous call with the same filters, to get the next page; omit for the first page.',
    ),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .optional()
    .describe(`How many items to return at most (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}).`),
}

/** The pagination fields of a list tool's result. */
export const pageOutput = {
  total: z.number().describe('How many items match the filters, on all pages.'),
  nextCursor: z
    .string()
    .optional()
    .describe('Present when more items match: pass it as `cursor` (with the same filters) to get the next page.'),
}

interface CursorState {
  /** Index in the full list of the last item returned. */
  i: number
  /** Its id: the list must still hold it there. */
  id: string
  /** Digest of the list's ids in order, and of the query. */
  l: string
  q: string
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16)

const restart = 'call again without `cursor` to start from the first page'

function decode(cursor: string): CursorState {
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (
      Number.isInteger(state?.i) &&
      state.i >= 0 &&
      typeof state.id === 'string' &&
      typeof state.l === 'string' &&
      typeof state.q === 'string'
    )
      return state
  } catch {}
  throw new WfError('WF_USAGE', 'invalid cursor: it is not a `nextCursor` this tool returned', { hint: restart })
}

/**
 * One page of the items that match, after the cursor. The cursor names the last item returned and
 * is bound to the query and to the list it came from, so a page never repeats or skips an item:
 * a cursor of another query, or of a list that changed since (a phase added, removed or moved), is
 * refused with a WF_USAGE error saying to start again.
 */
export function paginate<T>(
  items: readonly T[],
  options: {
    id: (item: T) => string
    matches?: (item: T) => boolean
    /** The filters, as one value: a cursor answers only the query it was made for. */
    query: unknown
    cursor?: string
    limit?: number
  },
): { page: T[]; total: number; nextCursor?: string } {
  const { id, matches = () => true } = options
  const limit = Math.min(options.limit ?? DEFAULT_LIMIT, MAX_LIMIT)
  const list = digest(items.map(id).join('\n'))
  const query = digest(JSON.stringify(options.query ?? null))
  let start = 0
  if (options.cursor !== undefined) {
    const state = decode(options.cursor)
    if (state.q !== query)
      throw new WfError('WF_USAGE', 'the cursor belongs to a call with other filters', {
        hint: `pass the same filters as the call that returned it, or ${restart}`,
      })
    const item = items[state.i]
    if (state.l !== list || !item || id(item) !== state.id)
      throw new WfError('WF_USAGE', 'the cursor is stale: the list changed since it was returned', { hint: restart })
    start = state.i + 1
  }
  const page: T[] = []
  let total = 0
  let last = -1
  let more = false
  items.forEach((item, i) => {
    if (!matches(item)) return
    total++
    if (i < start) return
    if (page.length < limit) {
      page.push(item)
      last = i
    } else more = true
  })
  const nextCursor = more
    ? Buffer.from(JSON.stringify({ i: last, id: id(items[last] as T), l: list, q: query })).toString('base64url')
    : undefined
  return { page, total, ...(nextCursor ? { nextCursor } : {}) }
}
