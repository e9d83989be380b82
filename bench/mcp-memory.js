#!/usr/bin/env node
// Memory of one long `wf mcp` session: every read-only tool and resource called in turn, with the
// plan, a source file and the ledger changing between rounds (so no cache can answer), and the
// server's resident memory (VmRSS from /proc) printed every 100 requests. A bounded server levels
// off; prints the growth from request 100 to the last as a ratio.
// Usage: node bench/mcp-memory.js [--requests N]   (Linux; run `npm run build` first)
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { tempRepo, wfBin } from './lib.js'

const i = process.argv.indexOf('--requests')
const REQUESTS = i > 0 ? Number(process.argv[i + 1]) : 2000
const plan = (round) =>
  `${[
    'version: 1',
    'phases:',
    ...Array.from({ length: 30 }, (_, k) => [
      `  - id: p${k}`,
      `    name: Phase ${k} round ${round}`,
      ...(k ? [`    needs: [p${k - 1}]`] : []),
      '    inputs: [README.md, "src/**/*.ts"]',
      '    gates:',
      '      - files-exist: [README.md]',
      `      - file-contains: { in: README.md, regex: "round ${round % 7}" }`,
      '      - json-schema: { files: [data.json], schema: schema.json }',
    ]).flat(),
  ].join('\n')}\n`
const repo = tempRepo({
  'phases/plan.yaml': plan(0),
  'README.md': '# bench round 0\n',
  'src/a.ts': 'export const a = 1\n',
  'data.json': '{"a": 1}\n',
  'schema.json': '{"type": "object"}\n',
})
const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024

try {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [wfBin, 'mcp'],
    cwd: repo,
    stderr: 'ignore',
  })
  const client = new Client({ name: 'bench', version: '1.0.0' })
  await client.connect(transport)
  const calls = [
    () => client.callTool({ name: 'list_phases', arguments: {} }),
    () => client.callTool({ name: 'get_phase', arguments: { id: 'p3' } }),
    () => client.callTool({ name: 'get_status', arguments: {} }),
    () => client.callTool({ name: 'check_phase', arguments: { id: 'p5' } }),
    () => client.callTool({ name: 'next_phase', arguments: {} }),
    () => client.callTool({ name: 'validate_plan', arguments: {} }),
    () => client.readResource({ uri: 'wf://ledger' }),
    () => client.readResource({ uri: 'wf://phases/p7' }),
    () => client.ping(),
  ]
  const samples = []
  let errors = 0
  for (let n = 1; n <= REQUESTS; n++) {
    if (n % calls.length === 0) {
      const round = n / calls.length
      writeFileSync(join(repo, 'phases/plan.yaml'), plan(round))
      writeFileSync(join(repo, 'README.md'), `# bench round ${round % 7}\n`)
      writeFileSync(join(repo, 'schema.json'), `{"type": "object", "description": "round ${round}"}\n`)
      writeFileSync(join(repo, `src/f${round}.ts`), `export const f = ${round}\n`)
    }
    const result = await calls[n % calls.length]().catch((error) => ({ isError: true, error }))
    if (result?.isError) errors++
    if (n % 100 === 0) samples.push([n, rss(transport.pid)])
  }
  await client.close()
  console.log(
    `wf mcp: ${REQUESTS} requests in one session (tools and resources in turn, files changing; ${errors} answered with an error)`,
  )
  for (const [n, mb] of samples)
    console.log(`  after ${String(n).padStart(5)} requests  ${mb.toFixed(0).padStart(5)} MB RSS`)
  const first = samples[0][1]
  const last = samples.at(-1)[1]
  console.log(`ratio RSS after ${REQUESTS} / after 100 requests: ${(last / first).toFixed(2)}x`)
} finally {
  rmSync(repo, { recursive: true, force: true })
}
