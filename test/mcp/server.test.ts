import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo, hasStackTrace } from '../helpers.js'
import { call, connectMcp, data, errorOf, type McpSession, READ_ONLY_TOOLS } from './mcp-client.js'

const PLAN = `version: 1
phases:
  - id: build
    name: Build
    inputs: ["src/**"]
    tasks:
      - run: mkdir -p out && cp src/app.txt out/app.txt
    gates:
      - files-exist: [out/app.txt]
  - id: docs
    name: Documentation
    needs: [build]
    inputs: [README.md]
    gates:
      - name: security policy
        files-exist: ["{SECURITY.md,.github/SECURITY.md}"]
        hint: add SECURITY.md saying how to report a vulnerability (built-in template \`builtin:security-policy\`)
      - file-contains: { in: README.md, text: "wf" }
      - name: flaky check
        command: "false"
        waive: { reason: flaky on arm, owner: "@ops", until: 2099-12-31 }
  - id: release
    name: Release
    needs: [docs]
    gates:
      - approval: true
`

/** Reads a JSON resource. */
async function readJson(mcp: McpSession, uri: string) {
  const [content] = (await mcp.client.readResource({ uri })).contents
  expect(content).toMatchObject({ uri, mimeType: 'application/json' })
  return JSON.parse((content as { text: string }).text)
}

/** Every file under a folder with its size and mtime (of .git, only the index). */
function snapshot(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {}
  for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name
    if (rel === '.git' && entry.name !== 'index') continue
    if (entry.isDirectory()) Object.assign(out, snapshot(dir, path))
    else {
      const info = statSync(join(dir, path))
      out[path] = `${info.size}:${info.mtimeMs}`
    }
  }
  return out
}

/** Moves the mtime of every file and folder 10 s back, as if they were written that long ago. */
function age(dir: string): void {
  const past = Date.now() / 1000 - 10
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    utimesSync(join(entry.parentPath, entry.name), past, past)
  utimesSync(dir, past, past)
}

describe('wf mcp (read-only)', () => {
  let cwd: string
  let mcp: McpSession

  beforeAll(async () => {
    cwd = gitRepo({ 'phases/plan.yaml': PLAN, 'src/app.txt': 'app\n', 'README.md': '# demo\nGoverned by wf.\n' })
    mcp = await connectMcp(cwd)
  })
  afterAll(async () => {
    await mcp?.close()
  })

  it('lists the six read-only tools with schemas and honest annotations', async () => {
    const { tools } = await mcp.client.listTools()
    expect(tools.map((t) => t.name).sort()).toEqual(READ_ONLY_TOOLS)
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(80)
      expect(tool.outputSchema?.type).toBe('object')
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: false })
      expect(typeof tool.annotations?.idempotentHint).toBe('boolean')
    }
    expect(tools.find((t) => t.name === 'get_phase')!.inputSchema).toMatchObject({
      required: ['id'],
      properties: { id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' } },
      additionalProperties: false,
    })
    expect(mcp.client.getServerVersion()).toMatchObject({ name: 'wf' })
    expect(mcp.client.getInstructions()).toMatch(/next_phase/)
  })

  it('list_phases gives id, name, needs, status and freshness in run order', async () => {
    const { phases } = await data(mcp, 'list_phases')
    expect(phases.map((p: { id: string }) => p.id)).toEqual(['build', 'docs', 'release'])
    expect(phases[1]).toMatchObject({
      id: 'docs',
      name: 'Documentation',
      needs: ['build'],
      status: 'never-run',
      upToDate: false,
      changes: ['it has not passed before'],
    })
  })

  it('get_phase shows the definition, where it is defined, and an unknown or malformed id as an error with a hint', async () => {
    const phase = await data(mcp, 'get_phase', { id: 'build' })
    expect(phase.phase).toMatchObject({
      id: 'build',
      name: 'Build',
      needs: [],
      inputs: ['src/**'],
      source: 'phases/plan.yaml:3:5',
    })
    expect(phase.phase.tasks[0]).toMatchObject({ kind: 'run', does: 'mkdir -p out && cp src/app.txt out/app.txt' })
    expect(phase.phase.gates[0]).toMatchObject({ kind: 'files-exist', checks: 'files exist: out/app.txt' })
    expect(phase.last).toBeNull()

    const unknown = errorOf(await call(mcp, 'get_phase', { id: 'biuld' }))
    expect(unknown).toMatchObject({
      code: 'WF_UNKNOWN_PHASE',
      message: 'no phase `biuld` in the plan',
      hint: 'did you mean `build`?',
    })
    const traversal = await call(mcp, 'get_phase', { id: '../../etc/passwd' })
    expect(traversal.isError).toBe(true)
    expect(JSON.stringify(traversal.content)).toMatch(/phase id/)
    expect(hasStackTrace(JSON.stringify(traversal.content))).toBe(false)
    // Arguments that do not match the input schema get the same {code, message, hint} shape.
    expect(errorOf(await call(mcp, 'get_phase', { id: 42 }))).toMatchObject({
      code: 'WF_USAGE',
      message: expect.stringMatching(/^invalid arguments for get_phase: .*expected string.* id/),
      hint: expect.stringContaining('input schema of get_phase'),
    })
    expect(errorOf(await call(mcp, 'list_phases', { bogus: true }))).toMatchObject({
      code: 'WF_USAGE',
      message: expect.stringContaining('bogus'),
    })
  })

  it('next_phase names the first phase to work on, its failing gates and how to fix them, and what comes after', async () => {
    const next = await data(mcp, 'next_phase')
    expect(next).toMatchObject({
      done: false,
      phase: { id: 'build', status: 'never-run' },
      gatesChecked: 'now',
      remaining: 3,
      after: [{ id: 'docs', name: 'Documentation' }],
    })
    expect(next.tasks).toEqual([{ kind: 'run', does: 'mkdir -p out && cp src/app.txt out/app.txt' }])
    expect(next.failingGates).toHaveLength(1)
    expect(next.failingGates[0]).toMatchObject({
      kind: 'files-exist',
      status: 'failed',
      message: 'missing: out/app.txt',
      fix: { create: ['out/app.txt'] },
    })
    expect(next.run).toEqual({ command: 'wf run-phase build' })
    expect(next.steps.join('\n')).toMatch(/wf run-phase build/)
    expect(existsSync(join(cwd, 'out'))).toBe(false)

    const ran = await runCli(['run-phase', 'build'], { cwd })
    expect(ran.code).toBe(0)
    const after = await data(mcp, 'next_phase')
    expect(after.phase).toMatchObject({ id: 'docs' })
    expect(after.why).toEqual(['it has not passed before'])
    const security = after.failingGates.find((g: { name: string }) => g.name === 'security policy')
    expect(security).toMatchObject({ fix: { create: ['SECURITY.md'], templates: ['builtin:security-policy'] } })
    expect(security.fix.hint).toMatch(/report a vulnerability/)
    // The waived command gate does not count as failing.
    expect(after.failingGates.map((g: { name: string }) => g.name)).toEqual(['security policy'])
    expect(after.after).toEqual([{ id: 'release', name: 'Release' }])

    const recorded = await data(mcp, 'next_phase', { check: false })
    expect(recorded).toMatchObject({ phase: { id: 'docs' }, gatesChecked: 'none', failingGates: [] })
  })

  it('check_phase evaluates gates with messages and locations and writes no file', async () => {
    const before = snapshot(cwd)
    const one = await data(mcp, 'check_phase', { id: 'docs' })
    expect(one.status).toBe('failed')
    expect(one.phases).toHaveLength(1)
    const gates = Object.fromEntries(one.phases[0].gates.map((g: { name: string; status: string }) => [g.name, g]))
    expect(gates['security policy']).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('SECURITY.md'),
      hint: expect.stringContaining('builtin:security-policy'),
    })
    // A command gate runs plan code: a read-only server leaves it unevaluated (and says so), never passed or waived.
    expect(gates['flaky check']).toMatchObject({
      status: 'not-evaluated',
      message: 'not evaluated: needs --allow-run: it would run command false',
    })
    expect(
      Object.values(gates).some(
        (g: { kind: string; status: string }) => g.kind === 'file-contains' && g.status === 'passed',
      ),
    ).toBe(true)

    writeFileSync(join(cwd, 'SECURITY.md'), '# Security\nMail security@example.test.\n')
    const fixed = await data(mcp, 'check_phase', { id: 'docs' })
    expect(fixed.status).toBe('not-evaluated')
    expect(fixed.phases[0]).toMatchObject({
      status: 'not-evaluated',
      reason: '1 gate not evaluated: needs --allow-run',
    })
    const all = await data(mcp, 'check_phase')
    expect(all.phases.map((p: { id: string }) => p.id)).toEqual(['build', 'docs', 'release'])
    expect(all.phases[2]).toMatchObject({ status: 'awaiting-approval' })
    const after = snapshot(cwd)
    delete after['SECURITY.md']
    expect(after).toEqual(before)

    const bad = errorOf(await call(mcp, 'check_phase', { id: 'nope' }))
    expect(bad.code).toBe('WF_UNKNOWN_PHASE')
  })

  it('get_status gives the ledger summary, waivers and pending approvals', async () => {
    const status = await data(mcp, 'get_status')
    expect(status.phases.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual([
      ['build', 'passed'],
      ['docs', 'never-run'],
      ['release', 'never-run'],
    ])
    expect(status.waivers).toEqual([
      {
        phase: 'docs',
        gate: 'flaky check',
        reason: 'flaky on arm',
        owner: '@ops',
        until: '2099-12-31',
        daysLeft: expect.any(Number),
      },
    ])
    expect(status.waivers[0].daysLeft).toBeGreaterThan(365)
    expect(status.approvalsPending).toEqual(['release'])
    expect(status.recent).toHaveLength(1)
    expect(status.active).toBeNull()
  })

  it('resources: the ledger, the plan and each phase, with completion of ids', async () => {
    const { resources } = await mcp.client.listResources()
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(['wf://ledger', 'wf://plan', 'wf://phases/build', 'wf://phases/docs']),
    )
    const { resourceTemplates } = await mcp.client.listResourceTemplates()
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['wf://phases/{id}', 'wf://presets/{id}'])
    const ledger = await readJson(mcp, 'wf://ledger')
    expect(ledger.phases.build.status).toBe('passed')
    const plan = await readJson(mcp, 'wf://plan')
    expect(plan.phases.map((p: { id: string }) => p.id)).toEqual(['build', 'docs', 'release'])
    const phase = await readJson(mcp, 'wf://phases/docs')
    expect(phase.phase).toMatchObject({ id: 'docs', needs: ['build'] })
    const completion = await mcp.client.complete({
      ref: { type: 'ref/resource', uri: 'wf://phases/{id}' },
      argument: { name: 'id', value: 'd' },
    })
    expect(completion.completion.values).toEqual(['docs'])
    // Not found, as the MCP specification has it (-32002), not an internal error; a likely typo is named.
    await expect(mcp.client.readResource({ uri: 'wf://phases/nope' })).rejects.toMatchObject({
      code: -32002,
      message: expect.stringMatching(/no phase `nope` in the plan; wf:\/\/plan lists them$/),
      data: { uri: 'wf://phases/nope' },
    })
    await expect(mcp.client.readResource({ uri: 'wf://phases/dcos' })).rejects.toMatchObject({
      code: -32002,
      message: expect.stringContaining('did you mean `docs`?'),
    })
    await expect(mcp.client.readResource({ uri: 'file:///etc/passwd' })).rejects.toThrow()
  })

  it('next_phase says when only a person can move a phase on: an approval', async () => {
    expect((await runCli(['run-phase', 'docs'], { cwd })).code).toBe(0)
    const next = await data(mcp, 'next_phase')
    expect(next).toMatchObject({ phase: { id: 'release' }, remaining: 1, after: [] })
    expect(next.failingGates).toEqual([
      expect.objectContaining({
        kind: 'approval',
        status: 'awaiting-approval',
        fix: expect.objectContaining({ needsHuman: true, command: 'wf approve release' }),
      }),
    ])
    expect(next.steps[0]).toMatch(/ask a person to run `wf approve release`/)
    expect((await runCli(['approve', 'release', '--by', 'tess'], { cwd })).code).toBe(0)
    expect((await runCli(['run-phase', 'release'], { cwd })).code).toBe(0)
    expect(await data(mcp, 'next_phase')).toMatchObject({ done: true, phase: null, remaining: 0 })
  })

  // That stdout carries nothing but the protocol is proven over stdio in test/e2e/mcp-stdio.test.ts.
  it('served every request without a protocol error or a logged failure', () => {
    expect(mcp.errors).toEqual([])
    expect(mcp.stderr()).toBe('')
  })
})

describe('wf mcp validate_plan', () => {
  it('reports a valid plan, then every problem of an invalid one with file:line:col', async () => {
    const cwd = gitRepo({ 'phases/plan.yaml': PLAN, 'src/app.txt': 'app\n', 'README.md': '# demo\n' })
    const mcp = await connectMcp(cwd)
    try {
      expect(await data(mcp, 'validate_plan')).toEqual({
        valid: true,
        files: ['phases/plan.yaml'],
        phases: 3,
        issues: [],
      })
      writeFileSync(
        join(cwd, 'phases/more.yaml'),
        'version: 1\nphases:\n  - id: lint\n    neds: [build]\n  - id: test\n    needs: [biuld]\n',
      )
      const invalid = await data(mcp, 'validate_plan')
      expect(invalid.valid).toBe(false)
      expect(invalid.files).toEqual(['phases/more.yaml'])
      expect(invalid.issues).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            code: 'WF_PLAN_INVALID',
            at: 'phases/more.yaml:4:5',
            hint: 'did you mean `needs`?',
            excerpt: '    neds: [build]',
          }),
        ]),
      )
      // Other tools say the plan is invalid and point at validate_plan.
      const listed = errorOf(await call(mcp, 'list_phases'))
      expect(listed.code).toBe('WF_PLAN_INVALID')
      expect(listed.hint).toMatch(/validate_plan/)
      expect(listed.issues!.length).toBeGreaterThan(0)
      writeFileSync(join(cwd, 'phases/more.yaml'), 'version: 1\nphases:\n  - id: lint\n    needs: [build]\n')
      expect(await data(mcp, 'validate_plan')).toMatchObject({ valid: true, phases: 4 })
      expect((await data(mcp, 'list_phases')).phases.map((p: { id: string }) => p.id)).toContain('lint')
      expect(readFileSync(join(cwd, 'phases/more.yaml'), 'utf8')).toContain('lint')
    } finally {
      await mcp.close()
    }
  })

  it('answers with WF_PLAN_NOT_FOUND in a folder without a plan, keeps serving, and still lists presets', async () => {
    const cwd = gitRepo({ 'README.md': '# nothing\n' })
    const mcp = await connectMcp(cwd)
    try {
      const error = errorOf(await call(mcp, 'list_phases'))
      expect(error).toMatchObject({ code: 'WF_PLAN_NOT_FOUND', hint: expect.stringContaining('wf init') })
      expect(errorOf(await call(mcp, 'validate_plan')).code).toBe('WF_PLAN_NOT_FOUND')
      expect((await mcp.client.listTools()).tools).toHaveLength(READ_ONLY_TOOLS.length)
      // The preset library needs no plan: it is how a plan gets started.
      expect((await data(mcp, 'list_presets', { query: 'governance' })).presets[0].id).toBe('governance')
    } finally {
      await mcp.close()
    }
  })
})

describe('wf mcp freshness', () => {
  it('notices a changed, an added and a removed input file between calls', async () => {
    const cwd = gitRepo({
      'phases/plan.yaml': PLAN,
      'src/app.txt': 'app\n',
      'src/lib/util.txt': 'util\n',
      'README.md': '# demo\nwf\n',
    })
    expect((await runCli(['run-phase', 'build'], { cwd })).code).toBe(0)
    const mcp = await connectMcp(cwd)
    const build = async () => (await data(mcp, 'list_phases')).phases.find((p: { id: string }) => p.id === 'build')
    try {
      // Older than the mtime resolution: from now on the server keeps what it computed while nothing changes.
      age(cwd)
      expect(await build()).toMatchObject({ status: 'passed', upToDate: true })
      expect(await build()).toMatchObject({ upToDate: true })

      writeFileSync(join(cwd, 'src/app.txt'), 'app, changed\n')
      expect(await build()).toMatchObject({ upToDate: false, changes: ['file modified: src/app.txt'] })
      writeFileSync(join(cwd, 'src/app.txt'), 'app\n')
      expect(await build()).toMatchObject({ upToDate: true })

      age(cwd)
      expect(await build()).toMatchObject({ upToDate: true })
      mkdirSync(join(cwd, 'src/lib/deep'))
      writeFileSync(join(cwd, 'src/lib/deep/new.txt'), 'new\n')
      expect(await build()).toMatchObject({ upToDate: false, changes: ['file added: src/lib/deep/new.txt'] })
      rmSync(join(cwd, 'src/lib/deep'), { recursive: true })
      expect(await build()).toMatchObject({ upToDate: true })

      age(cwd)
      expect(await build()).toMatchObject({ upToDate: true })
      rmSync(join(cwd, 'src/lib/util.txt'))
      expect(await build()).toMatchObject({ upToDate: false, changes: ['file removed: src/lib/util.txt'] })
      expect((await data(mcp, 'get_phase', { id: 'build' })).changes).toEqual(['file removed: src/lib/util.txt'])
    } finally {
      await mcp.close()
    }
  })
})

describe('wf mcp next_phase from recorded results', () => {
  it('matches each recorded gate result to its definition by name after the plan changed', async () => {
    const plan = (gates: string) => `version: 1\nphases:\n  - id: lint\n    gates:\n${gates}`
    const license = '      - files-exist: [LICENSE]\n'
    const style = '      - name: style\n        command: "exit 1"\n'
    const cwd = gitRepo({ 'phases/plan.yaml': plan(license + style) })
    expect((await runCli(['run-phase', 'lint'], { cwd })).code).toBe(1)
    writeFileSync(
      join(cwd, 'phases/plan.yaml'),
      plan(`      - file-contains: { in: phases/plan.yaml, text: "version" }\n${license}${style}`),
    )
    const mcp = await connectMcp(cwd)
    try {
      const next = await data(mcp, 'next_phase', { check: false })
      expect(next.gatesChecked).toBe('last-run')
      expect(next.failingGates).toMatchObject([
        { name: 'files exist: LICENSE', fix: { create: ['LICENSE'] } },
        { name: 'style', fix: { command: 'exit 1' } },
      ])
    } finally {
      await mcp.close()
    }
  })
})
