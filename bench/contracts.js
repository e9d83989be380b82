#!/usr/bin/env node
// Contract codegen: 100 JSON Schemas (cross-file refs, a shared definitions file) through
// `wf contracts generate`, against calling json-schema-to-typescript once per file with its
// defaults (prettier formatting, refs declared in every file) — and an unchanged re-run of
// `wf contracts generate` against `node -e 0`, all measured in the same run.
// Usage: node bench/contracts.js [--runs N]   (run `npm run build` first)
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { measure, runsFromArgv, tempRepo, time, wfBin } from './lib.js'

const runs = runsFromArgv(5)
const COUNT = 100
const jstt = fileURLToPath(new URL('../node_modules/json-schema-to-typescript/dist/src/index.js', import.meta.url))

function schemas() {
  const files = {
    'contracts/common.json': JSON.stringify(
      {
        $schema: 'http://json-schema.org/draft-07/schema#',
        definitions: {
          id: { type: 'string', pattern: '^[a-z0-9_]+$', description: 'An identifier.' },
          money: {
            type: 'object',
            required: ['amount', 'currency'],
            properties: { amount: { type: 'integer' }, currency: { enum: ['EUR', 'USD', 'GBP'] } },
            additionalProperties: false,
          },
          address: {
            type: 'object',
            required: ['city'],
            properties: {
              street: { type: 'string' },
              city: { type: 'string' },
              country: { type: 'string', pattern: '^[A-Z]{2}$' },
            },
          },
        },
      },
      null,
      2,
    ),
  }
  for (let i = 0; i < COUNT - 1; i++) {
    const properties = {
      id: { $ref: 'common.json#/definitions/id' },
      price: { $ref: 'common.json#/definitions/money' },
      shipTo: { $ref: 'common.json#/definitions/address' },
      status: { type: 'string', enum: ['new', 'active', 'closed'], description: `Status of entity ${i}.` },
      tags: { type: 'array', items: { type: 'string', maxLength: 20 }, uniqueItems: true },
      count: { type: 'integer', minimum: 0, maximum: 1000 },
      createdAt: { type: 'string', format: 'date-time' },
      details: { type: 'object', properties: { note: { type: 'string' }, weight: { type: 'number' } } },
      ...(i > 0 ? { previous: { $ref: `entity-${i - 1}.json` } } : {}),
    }
    files[`contracts/entity-${i}.json`] = JSON.stringify(
      {
        $schema: 'http://json-schema.org/draft-07/schema#',
        title: `Entity ${i}`,
        description: `Entity number ${i}.`,
        type: 'object',
        required: ['id', 'status'],
        properties,
      },
      null,
      2,
    )
  }
  return files
}

// The baseline: json-schema-to-typescript called per file with its defaults, writing one .ts per schema.
const baselineScript = `
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs'
const { compileFromFile } = await import(${JSON.stringify(jstt)})
mkdirSync('baseline', { recursive: true })
for (const name of readdirSync('contracts').sort()) {
  writeFileSync('baseline/' + name.replace(/\\.json$/, '.ts'), await compileFromFile('contracts/' + name, { cwd: 'contracts' }))
}
`

const repo = tempRepo(schemas())
// WF_BENCH_KEEP=1 prints the prepared repository and stops, for profiling.
if (process.env.WF_BENCH_KEEP) {
  console.log(repo)
  process.exit(0)
}
writeFileSync(join(repo, 'baseline.mjs'), baselineScript)
try {
  const generate = [
    process.execPath,
    wfBin,
    'contracts',
    'generate',
    '--schemas',
    'contracts',
    '--out',
    'gen',
    '--force',
  ]
  const cold = (args) => () => {
    rmSync(join(repo, 'gen'), { recursive: true, force: true })
    rmSync(join(repo, '.wf'), { recursive: true, force: true })
    return time(args, repo)
  }
  // Fresh generation, interleaved with the baseline so machine load hits both alike.
  const samples = { wf: [], baseline: [] }
  cold(generate)()
  time([process.execPath, 'baseline.mjs'], repo)
  for (let i = 0; i < runs; i++) {
    samples.wf.push(cold(generate)())
    samples.baseline.push(time([process.execPath, 'baseline.mjs'], repo))
  }
  const med = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]
  const wf = med(samples.wf)
  const baseline = med(samples.baseline)
  // Unchanged re-run: everything is already current.
  cold(generate)()
  const rerun = measure(
    {
      'node -e 0': [process.execPath, '-e', '0'],
      rerun: [process.execPath, wfBin, 'contracts', 'generate', '--schemas', 'contracts', '--out', 'gen'],
    },
    runs,
    () => repo,
  )
  console.log(`contracts: ${COUNT} schemas, median of ${runs} runs`)
  console.log(`  wf contracts generate (fresh)                ${wf.toFixed(1).padStart(8)} ms`)
  console.log(`  json-schema-to-typescript per file, defaults ${baseline.toFixed(1).padStart(8)} ms`)
  console.log(`  ratio to the per-file baseline: ${(wf / baseline).toFixed(2)}x (target ≤ 0.25x)`)
  console.log(`  wf contracts generate (unchanged re-run)     ${rerun.rerun.toFixed(1).padStart(8)} ms`)
  console.log(`  node -e 0                                    ${rerun['node -e 0'].toFixed(1).padStart(8)} ms`)
  console.log(`  unchanged re-run, ratio to node -e 0: ${(rerun.rerun / rerun['node -e 0']).toFixed(2)}x`)
} finally {
  rmSync(repo, { recursive: true, force: true })
}
