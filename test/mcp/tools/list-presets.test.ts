import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUILTIN_PHASES } from '../../../src/plan/builtin-phases.js'
import { PRESET_CATEGORIES } from '../../../src/plan/presets/preset.js'
import { gitRepo } from '../../helpers.js'
import { call, connectMcp, data, errorOf, type McpSession } from '../mcp-client.js'

type Summary = { id: string; name: string; category: string; tags: string[]; checks: number; use: string }
type Page = { presets: Summary[]; total: number; nextCursor?: string }

const library = Object.entries(BUILTIN_PHASES)

/** Every page of list_presets with these arguments, following nextCursor. */
async function allPresets(mcp: McpSession, args: Record<string, unknown>): Promise<Summary[]> {
  const found: Summary[] = []
  let cursor: string | undefined
  for (let pages = 0; pages < 1000; pages++) {
    const page = await data<Page>(mcp, 'list_presets', { ...args, ...(cursor ? { cursor } : {}) })
    found.push(...page.presets)
    cursor = page.nextCursor
    if (!cursor) break
    expect(page.presets).toHaveLength((args.limit as number | undefined) ?? 50)
  }
  return found
}

/** Reads a JSON resource. */
async function readJson(mcp: McpSession, uri: string) {
  const [content] = (await mcp.client.readResource({ uri })).contents
  expect(content).toMatchObject({ uri, mimeType: 'application/json' })
  return JSON.parse((content as { text: string }).text)
}

describe('list_presets and the wf://presets resources', () => {
  let mcp: McpSession

  beforeAll(async () => {
    mcp = await connectMcp(gitRepo({ 'phases/plan.yaml': 'version: 1\nphases:\n  - id: a\n    gates: []\n' }))
  })
  afterAll(async () => {
    await mcp?.close()
  })

  it('lists every built-in preset once, with how to use it, page by page in a stable order', async () => {
    const first = await data<Page>(mcp, 'list_presets')
    expect(first.total).toBe(library.length)
    const governance = first.presets.find((p) => p.id === 'governance')
    expect(governance).toEqual({
      id: 'governance',
      name: BUILTIN_PHASES.governance!.name,
      category: 'community',
      categoryTitle: PRESET_CATEGORIES.community,
      tags: BUILTIN_PHASES.governance!.tags,
      summary: expect.stringMatching(/^Offline checks, .*\.$/),
      description: BUILTIN_PHASES.governance!.description,
      checks: BUILTIN_PHASES.governance!.gates.length,
      use: 'extends: builtin:governance',
    })
    const everything = await allPresets(mcp, { limit: 200 })
    const oneByOne = await allPresets(mcp, { limit: 1 })
    expect(oneByOne.map((p) => p.id)).toEqual(everything.map((p) => p.id))
    expect(new Set(oneByOne.map((p) => p.id)).size).toBe(library.length)
    expect(oneByOne.map((p) => p.id).sort()).toEqual(library.map(([id]) => id).sort())
    for (const preset of everything) expect(preset.checks).toBe(BUILTIN_PHASES[preset.id]!.gates.length)
  })

  it('filters by category and tag, and finds by words in any case (every word must match)', async () => {
    for (const category of Object.keys(PRESET_CATEGORIES)) {
      const found = await allPresets(mcp, { category, limit: 2 })
      expect(found.map((p) => p.id).sort(), category).toEqual(
        library
          .filter(([, p]) => p.category === category)
          .map(([id]) => id)
          .sort(),
      )
    }
    const scorecard = await allPresets(mcp, { tag: 'SCORECARD' })
    expect(scorecard.map((p) => p.id)).toContain('governance')
    expect(scorecard.map((p) => p.id).sort()).toEqual(
      library
        .filter(([, p]) => p.tags.includes('scorecard'))
        .map(([id]) => id)
        .sort(),
    )
    expect((await allPresets(mcp, { query: 'Governance' }))[0]?.id).toBe('governance')
    expect((await allPresets(mcp, { query: 'OFFLINE   token' })).map((p) => p.id)).toContain('governance')
    expect(await allPresets(mcp, { query: 'governance no-preset-says-this' })).toEqual([])
    expect(await allPresets(mcp, { query: 'governance', category: 'containers' })).toEqual([])
    expect(errorOf(await call(mcp, 'list_presets', { tag: 'no-such-tag' }))).toMatchObject({
      code: 'WF_USAGE',
      message: expect.stringContaining('unknown tag'),
    })
  })

  it('refuses an unknown category and a cursor that is not its own with a clear error', async () => {
    expect(errorOf(await call(mcp, 'list_presets', { category: 'kitchen' }))).toMatchObject({
      code: 'WF_USAGE',
      message: expect.stringContaining('category'),
    })
    expect(errorOf(await call(mcp, 'list_presets', { cursor: 'eyJ4IjoxfQ' }))).toMatchObject({
      code: 'WF_USAGE',
      message: 'invalid cursor: it is not a `nextCursor` this tool returned',
    })
    // A cursor made for other filters (hand-built: with one preset on the branch there may be no second page).
    const cursor = Buffer.from(JSON.stringify({ i: 0, id: 'governance', l: 'x', q: 'y' })).toString('base64url')
    expect(errorOf(await call(mcp, 'list_presets', { cursor }))).toMatchObject({
      code: 'WF_USAGE',
      message: 'the cursor belongs to a call with other filters',
    })
  })

  it('wf://presets lists the library; wf://presets/{id} gives one preset with every check and its hint', async () => {
    const listing = await readJson(mcp, 'wf://presets')
    expect(listing.categories).toEqual(PRESET_CATEGORIES)
    expect(listing.presets.map((p: Summary) => p.id).sort()).toEqual(library.map(([id]) => id).sort())

    const { resources } = await mcp.client.listResources()
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(['wf://presets', ...library.map(([id]) => `wf://presets/${id}`)]),
    )
    const governance = await readJson(mcp, 'wf://presets/governance')
    expect(governance).toMatchObject({ id: 'governance', category: 'community', use: 'extends: builtin:governance' })
    expect(governance.gates).toHaveLength(BUILTIN_PHASES.governance!.gates.length)
    expect(governance.gates[0]).toMatchObject({
      name: 'license present',
      kind: 'files-exist',
      hint: expect.stringContaining('LICENSE'),
    })
    for (const gate of governance.gates) expect(gate.hint.length, gate.name).toBeGreaterThan(10)

    const completion = await mcp.client.complete({
      ref: { type: 'ref/resource', uri: 'wf://presets/{id}' },
      argument: { name: 'id', value: 'gov' },
    })
    expect(completion.completion.values).toContain('governance')
    await expect(mcp.client.readResource({ uri: 'wf://presets/governace' })).rejects.toMatchObject({
      code: -32002,
      message: expect.stringMatching(/no built-in preset `governace`.*did you mean `governance`/s),
    })
  })
})
