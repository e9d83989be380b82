// Paths that promise to change nothing run no plan code: a real `wf mcp` over stdio without
// --allow-run (every tool it lists, every resource), `wf run --dry-run`, `wf generate template
// --dry-run` and the other read-only commands, on a plan whose command gates, `when: run`
// conditions, plugin gate and template code each touch a marker file. With --allow-run the same tools do touch them (so the markers work),
// and a tool's readOnlyHint says whether a call of it touched one.
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo, testdir } from '../helpers.js'
import { call, type McpSession, startMcp } from '../mcp/mcp-client.js'

const markers = testdir({}, { git: false })
const touch = (name: string) => `touch ${join(markers, name)}`
const touched = () => readdirSync(markers).sort()
const clearMarkers = () => {
  for (const name of readdirSync(markers)) rmSync(join(markers, name))
}

// Template code reaches child_process without `require` (which template code does not see).
const EVIL_TEMPLATE = `evil {{ range.constructor("return process.getBuiltinModule('child_process').execSync('${touch('template')}').toString()")() }}\n`

const PLUGIN = `import { writeFileSync } from 'node:fs'
writeFileSync(${JSON.stringify(join(markers, 'plugin-loaded'))}, 'x')
export default {
  name: 'evil',
  run() {
    writeFileSync(${JSON.stringify(join(markers, 'plugin-ran'))}, 'x')
    return { status: 'passed', message: 'ran' }
  },
}
`

// plain comes first, so next_phase evaluates its gates.
const PLAN = `version: 1
phases:
  - id: plain
    tasks:
      - template: templates/hello.njk
        to: out/hello.txt
        vars: { greeting: world }
      - template: templates/evil.njk
        to: out/evil.txt
    gates:
      - command: "${touch('command-gate')}"
      - plugin: gates/evil.mjs
      - generated: true
  - id: conditional
    when: { run: "${touch('when-run')}" }
    tasks:
      - run: "${touch('task')}"
    gates:
      - command: "${touch('conditional-gate')}"
  - id: nested
    when: { all: [{ env: PATH }, { not: { run: "${touch('when-nested')}" } }] }
    gates:
      - files-exist: [README.md]
  - id: settled
    when: { any: [{ env: PATH }, { run: "${touch('when-settled')}" }] }
    gates:
      - files-exist: [README.md]
`

const repo = () =>
  gitRepo({
    'phases/plan.yaml': PLAN,
    'templates/hello.njk': 'hello {{ greeting }}\n',
    'templates/evil.njk': EVIL_TEMPLATE,
    'gates/evil.mjs': PLUGIN,
    'README.md': '# demo\n',
    '.gitignore': '.wf/\n',
  })

/** Valid arguments for each tool; a tool the server lists that is missing here fails the test. */
const CALLS: Record<string, Record<string, unknown>[]> = {
  list_phases: [{}, { status: 'passed', limit: 1 }],
  list_presets: [{}, { query: 'governance' }],
  get_phase: [{ id: 'plain' }, { id: 'conditional' }],
  next_phase: [{}, { check: false }],
  check_phase: [{}, { id: 'plain' }, { id: 'conditional' }, { id: 'nested' }],
  get_status: [{}],
  validate_plan: [{}],
  run_phase: [{ id: 'plain', force: true }],
}

describe('read-only paths run no plan code', () => {
  let cwd: string
  let mcp: McpSession
  // biome-ignore lint/suspicious/noExplicitAny: tool results are read ad hoc
  const results = new Map<string, any[]>()

  beforeAll(async () => {
    cwd = repo()
    mcp = await startMcp(cwd)
  }, 60_000)
  afterAll(async () => {
    await mcp?.close()
  })

  it('wf mcp without --allow-run: every listed tool and resource runs nothing, says "not evaluated", and is annotated read-only', async () => {
    const { tools } = await mcp.client.listTools()
    expect(tools.map((t) => t.name).sort()).toEqual(
      Object.keys(CALLS)
        .filter((n) => n !== 'run_phase')
        .sort(),
    )
    for (const tool of tools) {
      expect(tool.annotations, tool.name).toMatchObject({ readOnlyHint: true, destructiveHint: false })
      for (const args of CALLS[tool.name]!) {
        const result = await call(mcp, tool.name, args)
        expect(result.isError, `${tool.name} ${JSON.stringify(args)}: ${JSON.stringify(result.content)}`).toBeFalsy()
        results.set(tool.name, [...(results.get(tool.name) ?? []), result.structuredContent])
      }
    }
    const { resources } = await mcp.client.listResources()
    for (const resource of resources) await mcp.client.readResource({ uri: resource.uri })
    expect(touched()).toEqual([])

    const [all, plain, conditional, nested] = results.get('check_phase')!
    const gates = Object.fromEntries(
      plain.phases[0].gates.map((g: { kind: string; status: string; message: string }) => [g.kind, g]),
    )
    expect(gates.command).toMatchObject({
      status: 'not-evaluated',
      message: expect.stringMatching(/^not evaluated: needs --allow-run/),
    })
    expect(gates.plugin).toMatchObject({
      status: 'not-evaluated',
      message: expect.stringMatching(/^not evaluated: needs --allow-run/),
    })
    // The templates render in the sandbox: the harmless one works, the one running code is refused there.
    expect(gates.generated).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/tried to start a process/),
    })
    expect(plain.status).toBe('failed')
    expect(conditional).toMatchObject({
      status: 'not-evaluated',
      phases: [{ id: 'conditional', status: 'not-evaluated', gates: [] }],
    })
    expect(conditional.phases[0].reason).toMatch(
      /its condition is not known: `touch .*when-run` not evaluated: needs --allow-run/,
    )
    expect(nested.phases[0]).toMatchObject({ status: 'not-evaluated', reason: expect.stringMatching(/when-nested/) })
    // `any` with a part that holds needs no command: the phase is checked.
    expect(all.phases.find((p: { id: string }) => p.id === 'settled')).toMatchObject({ status: 'passed' })

    const [next] = results.get('next_phase')!
    expect(next.phase).toMatchObject({ id: 'plain' })
    expect(next.notEvaluated.map((g: { kind: string }) => g.kind).sort()).toEqual(['command', 'plugin'])
    expect(next.failingGates.map((g: { kind: string }) => g.kind)).toEqual(['generated'])
  }, 120_000)

  it('wf run --dry-run (and validate, list, graph, status, explain) runs nothing and says what it did not evaluate', async () => {
    clearMarkers()
    const dry = await runCli(['run', '--dry-run', '--reporter', 'plain'], { cwd })
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toMatch(
      /not evaluated conditional: its condition is not known: `touch .*when-run` not evaluated in a dry run; if it holds: it has not passed before/,
    )
    // The harmless repository template is still rendered (in the sandbox) and shown as a diff.
    expect(dry.stdout).toContain('+hello world')
    expect(dry.stdout).toMatch(/would fail: template templates\/evil\.njk tried to start a process/)

    const json = await runCli(['run', '--dry-run', '--json'], { cwd })
    expect(json.code, json.stderr).toBe(0)
    const planned = JSON.parse(json.stdout).planned
    expect(planned.map((p: { id: string; decision: string }) => [p.id, p.decision])).toEqual([
      ['plain', 'run'],
      ['conditional', 'not-evaluated'],
      ['nested', 'not-evaluated'],
      ['settled', 'run'],
    ])

    const generate = await runCli(['generate', 'template', 'templates/evil.njk', '--to', 'evil.txt', '--dry-run'], {
      cwd,
    })
    expect(generate.code).toBe(2)
    expect(generate.stderr).toMatch(/tried to start a process/)

    for (const args of [['validate'], ['list'], ['graph'], ['status', '--detailed'], ['explain', 'plain']]) {
      const result = await runCli(args, { cwd })
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0)
    }
    expect(touched()).toEqual([])
  }, 120_000)

  it('wf mcp --allow-run: the tools that run plan code do touch the markers, and only they are annotated as not read-only', async () => {
    const runner = await startMcp(cwd, ['--allow-run'])
    try {
      const { tools: all } = await runner.client.listTools()
      // fix_phase asks the user before it writes; this client cannot answer (no elicitation), so it writes nothing.
      expect(all.map((t) => t.name).sort()).toEqual([...Object.keys(CALLS), 'fix_phase'].sort())
      const fix = all.find((t) => t.name === 'fix_phase')!
      expect(fix.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true })
      clearMarkers()
      await runner.client.callTool({ name: 'fix_phase', arguments: { phase: 'plain' } })
      expect(touched()).toEqual([])
      const tools = all.filter((t) => t !== fix)
      // run_phase last: it writes the generated files that the other calls would then find.
      const ordered = [...tools].sort((a, b) => Number(a.name === 'run_phase') - Number(b.name === 'run_phase'))
      const ran: Record<string, string[]> = {}
      for (const tool of ordered) {
        clearMarkers()
        for (const args of CALLS[tool.name]!) await call(runner, tool.name, args)
        ran[tool.name] = touched()
        expect(tool.annotations?.readOnlyHint, `${tool.name} touched ${ran[tool.name]!.join(', ')}`).toBe(
          ran[tool.name]!.length === 0,
        )
      }
      expect(ran.check_phase).toEqual(
        expect.arrayContaining(['command-gate', 'plugin-ran', 'template', 'when-run', 'when-nested']),
      )
      expect(ran.next_phase).toEqual(
        expect.arrayContaining(['command-gate', 'plugin-loaded', 'plugin-ran', 'template']),
      )
      expect(ran.run_phase).toEqual(expect.arrayContaining(['command-gate', 'template']))
      for (const name of ['check_phase', 'next_phase', 'run_phase'])
        expect(tools.find((t) => t.name === name)?.annotations).toMatchObject({
          readOnlyHint: false,
          destructiveHint: true,
        })
    } finally {
      await runner.close()
    }
  }, 120_000)
})
