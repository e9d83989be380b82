#!/usr/bin/env node
// Startup cost of the CLI as ratios to `node -e 0`, measured in this same session:
//   wf --version, and wf validate on a generated 50-phase plan in a temp git repository.
// Usage: node bench/startup.js [--runs N]   (run `npm run build` first)
import { spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 21
const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))

/** A plan with `count` phases in a layered DAG, each with a few tasks and gates. */
export function fiftyPhasePlan(count = 50) {
  const lines = ['version: 1', 'vars: { org: acme }', 'phases:']
  for (let i = 0; i < count; i++) {
    const needs = i === 0 ? [] : [`p${Math.floor((i - 1) / 2)}`]
    lines.push(
      `  - id: p${i}`,
      `    name: Phase ${i}`,
      `    needs: [${needs.join(', ')}]`,
      `    inputs: ["src/**/*.ts"]`,
      '    tasks:',
      `      - run: echo phase ${i}`,
      '        timeout: 1m',
      '        retries: 1',
      '    gates:',
      '      - files-exist: [README.md]',
      '      - command: "true"',
      '        waive: { reason: "known", owner: "@ops", until: 2030-01-01 }',
    )
  }
  return `${lines.join('\n')}\n`
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

function time(args, cwd) {
  const start = process.hrtime.bigint()
  const result = spawnSync(args[0], args.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  return ms
}

const dir = mkdtempSync(join(tmpdir(), 'wf-bench-'))
try {
  mkdirSync(join(dir, '.git'))
  mkdirSync(join(dir, 'phases'))
  writeFileSync(join(dir, 'phases', 'plan.yaml'), fiftyPhasePlan())
  writeFileSync(join(dir, 'README.md'), '# bench\n')
  const cases = {
    'node -e 0': [process.execPath, '-e', '0'],
    'wf --version': [process.execPath, bin, '--version'],
    'wf validate (50 phases)': [process.execPath, bin, 'validate'],
  }
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
  for (const args of Object.values(cases)) time(args, dir) // warm the file cache
  // Interleave the cases so that load on the machine affects them alike.
  for (let i = 0; i < runs; i++) for (const [name, args] of Object.entries(cases)) samples[name].push(time(args, dir))
  const base = median(samples['node -e 0'])
  console.log(`startup, median of ${runs} runs (ratio to node -e 0)`)
  for (const [name, values] of Object.entries(samples)) {
    console.log(
      `  ${name.padEnd(26)} ${median(values).toFixed(1).padStart(7)} ms  ${(median(values) / base).toFixed(2)}x`,
    )
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
