#!/usr/bin/env node
// `wf mcp`: tools/call latency on a 100-phase plan (p50, p99) of list_phases (whole, filtered, a
// page after a cursor), list_presets (all, searched), get_status and check_phase (one phase with two
// cheap gates), each as a ratio to a call of the echo tool of a bare SDK server
// (bench/mcp-baseline-server.js); and the time from spawning the
// server to an initialized session, as a ratio to that bare server, measured in the same run.
// Usage: node bench/mcp.js [--runs N] [--calls N] [--only TOOL] [--cpu-prof DIR]   (run `npm run build` first)
//   --only TOOL     measure only the cases of this tool (list_phases, check_phase, …), and no startup
//   --cpu-prof DIR  run the wf server under `node --cpu-prof`, its profile written to DIR when it exits
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { median, runsFromArgv, tempRepo, wfBin } from './lib.js'

const runs = runsFromArgv(11)
const callsIndex = process.argv.indexOf('--calls')
const calls = callsIndex > 0 ? Number(process.argv[callsIndex + 1]) : 500
const argValue = (flag) => {
  const i = process.argv.indexOf(flag)
  return i > 0 ? process.argv[i + 1] : undefined
}
const only = argValue('--only')
const profileDir = argValue('--cpu-prof')
const wfNodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
const baseline = fileURLToPath(new URL('./mcp-baseline-server.js', import.meta.url))

const phases = Array.from({ length: 100 }, (_, i) => [
  `  - id: p${i}`,
  `    name: Phase ${i}`,
  `    category: ${['security', 'docs', 'release', 'build'][i % 4]}`,
  ...(i % 3 === 0 ? ['    tags: [fast, ci]'] : []),
  ...(i > 0 ? [`    needs: [p${i - 1}]`] : []),
  '    inputs: [README.md, "src/**/*.ts"]',
  `    tasks: [{ run: "true" }]`,
  `    gates: [{ files-exist: [README.md] }, { file-contains: { in: README.md, text: bench } }]`,
]).flat()
const repo = tempRepo({
  'phases/plan.yaml': `${['version: 1', 'phases:', ...phases].join('\n')}\n`,
  'README.md': '# bench\n',
  'src/a.ts': 'export const a = 1\n',
  'src/b.ts': 'export const b = 2\n',
})

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** Spawns a server and completes the MCP handshake; returns the client and the time it took in ms. */
async function connect(args) {
  const client = new Client({ name: 'bench', version: '1.0.0' })
  const transport = new StdioClientTransport({ command: process.execPath, args, cwd: repo, stderr: 'ignore' })
  const start = process.hrtime.bigint()
  await client.connect(transport)
  return { client, ms: Number(process.hrtime.bigint() - start) / 1e6 }
}

try {
  spawnSync(process.execPath, [wfBin, 'run', '--reporter', 'plain'], { cwd: repo, stdio: 'ignore' })
  // Let the plan file age past the mtime resolution, so the server may keep it parsed.
  await new Promise((resolve) => setTimeout(resolve, 1100))

  /** The time of one call in ms; throws on an error result. */
  const call = async (client, name, args) => {
    const start = process.hrtime.bigint()
    const result = await client.callTool({ name, arguments: args })
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`)
    if (name === 'check_phase' && result.structuredContent.status !== 'passed')
      throw new Error(`check_phase did not pass: ${JSON.stringify(result.structuredContent)}`)
    return ms
  }
  const stats = (samples) => ({ p50: percentile(samples, 50), p99: percentile(samples, 99) })

  // Both servers stay up; each wf call is paired with a bare call right before it, so that the load
  // of the machine weighs on both alike.
  const { client: bareClient } = await connect([baseline])
  const { client } = await connect([...wfNodeArgs, wfBin, 'mcp'])
  /** p50 and p99 of `calls` calls of one wf tool and of as many bare calls between them (after 20 of each to warm up). */
  const sample = async (name, args) => {
    const wf = []
    const bare = []
    for (let i = 0; i < calls + 20; i++) {
      const b = await call(bareClient, 'echo', { text: 'bench' })
      const w = await call(client, name, args)
      if (i >= 20) {
        bare.push(b)
        wf.push(w)
      }
    }
    return { wf: stats(wf), bare: stats(bare) }
  }

  const page1 = (await client.callTool({ name: 'list_phases', arguments: { limit: 20 } })).structuredContent
  const cases = [
    ['list_phases', 'list_phases', {}],
    ['  filtered', 'list_phases', { category: 'security', tag: 'fast', status: 'passed', text: 'phase' }],
    ['  page 2 of 20', 'list_phases', { limit: 20, cursor: page1.nextCursor }],
    ['list_presets', 'list_presets', {}],
    ['  searched', 'list_presets', { query: 'security' }],
    ['get_status', 'get_status', {}],
    ['check_phase', 'check_phase', { id: 'p50' }],
  ]
  const latency = {}
  let current = ''
  for (const [label, name, args] of cases) {
    if (!label.startsWith(' ')) current = name
    if (!only || current === only) latency[label] = await sample(name, args)
  }
  await client.close()
  await bareClient.close()

  const startup = { wf: [], baseline: [] }
  for (let i = 0; i < (only ? 0 : runs + 1); i++) {
    for (const [name, args] of [
      ['wf', [wfBin, 'mcp']],
      ['baseline', [baseline]],
    ]) {
      const { client: c, ms } = await connect(args)
      if (i > 0) startup[name].push(ms)
      await c.close()
    }
  }

  console.log(
    `wf mcp, tools/call on a 100-phase plan (${calls} calls each; targets p50 ≤ 2 ms, p99 ≤ 15 ms, list_phases ≤ 1.5× and check_phase ≤ 3× the bare call)`,
  )
  const row = (label, { p50, p99 }) =>
    `  ${label.padEnd(16)} p50 ${p50.toFixed(2).padStart(7)} ms   p99 ${p99.toFixed(2).padStart(7)} ms`
  for (const [label, { wf, bare }] of Object.entries(latency))
    console.log(
      `${row(label, wf)}   p50 ${(wf.p50 / bare.p50).toFixed(2).padStart(5)}x the bare calls between (p50 ${bare.p50.toFixed(2)} ms)`,
    )
  if (!only) {
    const wf = median(startup.wf)
    const bare = median(startup.baseline)
    console.log(`spawn to initialized, median of ${runs}`)
    console.log(`  wf mcp                     ${wf.toFixed(1).padStart(8)} ms`)
    console.log(`  bare SDK server, one tool  ${bare.toFixed(1).padStart(8)} ms`)
    console.log(`  wf mcp vs bare SDK server: ${(wf / bare).toFixed(2)}x`)
  }
} finally {
  rmSync(repo, { recursive: true, force: true })
}
