import { readdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../cli-in-process.js'
import { gitRepo } from '../../helpers.js'
import { call, connectMcp, data, errorOf, type McpSession } from '../mcp-client.js'

// 24 independent phases: every 5th fails its gate; categories and tags cycle; one reuses a preset.
const phase = (i: number) =>
  [
    `  - id: p${String(i).padStart(2, '0')}`,
    `    name: Phase ${i}`,
    ...(i % 3 === 0 ? [`    description: ${i % 2 ? 'Checks the Docs folder' : 'Checks the build'}`] : []),
    `    category: ${['security', 'docs', 'release'][i % 3]}`,
    ...(i % 4 === 0 ? ['    tags: [fast, ci]'] : i % 4 === 1 ? ['    tags: [slow]'] : []),
    `    gates: [{ files-exist: [${i % 5 === 0 ? 'MISSING.md' : 'README.md'}] }]`,
  ].join('\n')
const plan = (count: number) =>
  `version: 1\nphases:\n${Array.from({ length: count }, (_, i) => phase(i)).join('\n')}\n  - id: policy\n    extends: builtin:governance\n    when: { file: NOWHERE }\n`

type Row = { id: string; status: string; category?: string; tags?: string[]; description?: string }
type Page = { phases: Row[]; total: number; nextCursor?: string }

/** Every page of list_phases with these arguments, following nextCursor. */
async function allPages(mcp: McpSession, args: Record<string, unknown>): Promise<Page[]> {
  const pages: Page[] = []
  let cursor: string | undefined
  do {
    const page = await data<Page>(mcp, 'list_phases', { ...args, ...(cursor ? { cursor } : {}) })
    pages.push(page)
    cursor = page.nextCursor
  } while (cursor && pages.length < 100)
  return pages
}

describe('list_phases filters and pagination', () => {
  let cwd: string
  let mcp: McpSession
  let all: Row[]

  beforeAll(async () => {
    cwd = gitRepo({ 'phases/plan.yaml': plan(24), 'README.md': '# demo\n' })
    expect((await runCli(['run', '--continue-on-error'], { cwd })).code).toBe(1)
    // Files written over a second ago: the server keeps what it computed of them between calls.
    const past = Date.now() / 1000 - 10
    for (const entry of readdirSync(cwd, { withFileTypes: true, recursive: true }))
      utimesSync(join(entry.parentPath, entry.name), past, past)
    utimesSync(cwd, past, past)
    mcp = await connectMcp(cwd)
    const first = await data<Page>(mcp, 'list_phases')
    all = first.phases
    expect(first.total).toBe(25)
    expect(first.nextCursor).toBeUndefined()
  })
  afterAll(async () => {
    await mcp?.close()
  })

  it('shows category, tags and description; a phase that extends a preset has its category and tags', () => {
    expect(all[3]).toMatchObject({ id: 'p03', category: 'security', description: 'Checks the Docs folder' })
    expect(all[4]).toMatchObject({ id: 'p04', category: 'docs', tags: ['fast', 'ci'], status: 'passed' })
    expect(all[5]).toMatchObject({ id: 'p05', status: 'failed' })
    expect(all.at(-1)).toMatchObject({ id: 'policy', category: 'community', status: 'skipped' })
    expect(all.at(-1)!.tags).toContain('scorecard')
  })

  it('pages through every phase in run order: no duplicates, no gaps, each page at most `limit`', async () => {
    const pages = await allPages(mcp, { limit: 7 })
    expect(pages.map((p) => p.phases.length)).toEqual([7, 7, 7, 4])
    expect(pages.every((p) => p.total === 25)).toBe(true)
    expect(pages.flatMap((p) => p.phases.map((r) => r.id))).toEqual(all.map((r) => r.id))
    expect(pages.at(-1)!.nextCursor).toBeUndefined()
    // A page that ends exactly at the last phase says no more remain.
    const exact = await allPages(mcp, { limit: 5 })
    expect(exact.map((p) => p.phases.length)).toEqual([5, 5, 5, 5, 5])
  })

  it('filters by category, tag (any case), status and text, and pages through the filtered list', async () => {
    const ids = async (args: Record<string, unknown>) =>
      (await allPages(mcp, args)).flatMap((p) => p.phases.map((r) => r.id))
    const expected = (keep: (row: Row) => boolean) => all.filter(keep).map((r) => r.id)
    expect(await ids({ category: 'docs', limit: 3 })).toEqual(expected((r) => r.category === 'docs'))
    expect(await ids({ category: 'DOCS' })).toHaveLength(8)
    expect(await ids({ tag: 'fast', limit: 2 })).toEqual(['p00', 'p04', 'p08', 'p12', 'p16', 'p20'])
    expect(await ids({ status: 'failed', limit: 2 })).toEqual(['p00', 'p05', 'p10', 'p15', 'p20'])
    expect(await ids({ status: 'failed', tag: 'FAST' })).toEqual(['p00', 'p20'])
    expect(await ids({ status: 'never-run' })).toEqual([])
    // Every word, in any case, in the id, name, description or tags.
    expect(await ids({ text: 'docs FOLDER' })).toEqual(['p03', 'p09', 'p15', 'p21'])
    expect(await ids({ text: 'phase 1' })).toEqual(['p01', ...expected((r) => r.id.startsWith('p1')), 'p21'])
    expect(await ids({ text: 'slow', category: 'security' })).toEqual(['p09', 'p21'])
    expect(await ids({ text: 'nothing-has-this' })).toEqual([])
    const filtered = await data<Page>(mcp, 'list_phases', { category: 'docs', limit: 3 })
    expect(filtered).toMatchObject({ total: 8, nextCursor: expect.any(String) })
  })

  it('refuses a malformed cursor, a cursor of other filters, and bad arguments with a clear error', async () => {
    expect(errorOf(await call(mcp, 'list_phases', { cursor: 'not-a-cursor' }))).toMatchObject({
      code: 'WF_USAGE',
      message: 'invalid cursor: it is not a `nextCursor` this tool returned',
      hint: expect.stringContaining('without `cursor`'),
    })
    const { nextCursor } = await data<Page>(mcp, 'list_phases', { category: 'docs', limit: 2 })
    expect(
      errorOf(await call(mcp, 'list_phases', { category: 'release', limit: 2, cursor: nextCursor })),
    ).toMatchObject({ code: 'WF_USAGE', message: 'the cursor belongs to a call with other filters' })
    // The page size may change between pages; the filters may not.
    const next = await data<Page>(mcp, 'list_phases', { category: 'docs', limit: 50, cursor: nextCursor })
    expect(next.phases.map((r) => r.id)).toEqual(
      all
        .filter((r) => r.category === 'docs')
        .slice(2)
        .map((r) => r.id),
    )
    for (const args of [{ limit: 0 }, { limit: 201 }, { status: 'green' }, { category: '' }])
      expect(errorOf(await call(mcp, 'list_phases', args)), JSON.stringify(args)).toMatchObject({ code: 'WF_USAGE' })
  })

  it('refuses a stale cursor once the plan changed, so no page skips or repeats a phase', async () => {
    const { nextCursor } = await data<Page>(mcp, 'list_phases', { limit: 10 })
    // A phase added before the cursor would shift every later one.
    writeFileSync(join(cwd, 'phases', 'plan.yaml'), plan(25))
    expect(errorOf(await call(mcp, 'list_phases', { limit: 10, cursor: nextCursor }))).toMatchObject({
      code: 'WF_USAGE',
      message: 'the cursor is stale: the list changed since it was returned',
      hint: expect.stringContaining('first page'),
    })
    expect((await data<Page>(mcp, 'list_phases')).total).toBe(26)
  })
})
