#!/usr/bin/env node
// Startup cost of the CLI as ratios to `node -e 0`, measured in this same session, interleaved so
// that load on the machine hits every case alike:
//   wf --version; wf status and an up-to-date `wf run` of a 13-phase plan (a committed git
//   repository whose every phase passed); wf validate of a generated 50-phase plan.
// Each ratio is the median over rounds of (case / node -e 0 in the same round), with the 10th–90th
// percentile of those per-round ratios as its spread; in wall time, and in CPU time (which load on
// the machine moves far less).
// Usage: node bench/startup.js [--runs N]   (run `npm run build` first)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cpuTime, thirteenPhaseRepo, time, wfBin as bin } from './lib.js'

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 21

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

const quantile = (values, q) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]

const dir = mkdtempSync(join(tmpdir(), 'wf-bench-'))
const thirteen = thirteenPhaseRepo()
try {
  mkdirSync(join(dir, '.git'))
  mkdirSync(join(dir, 'phases'))
  writeFileSync(join(dir, 'phases', 'plan.yaml'), fiftyPhasePlan())
  writeFileSync(join(dir, 'README.md'), '# bench\n')
  const cases = {
    'node -e 0': [[process.execPath, '-e', '0'], dir],
    'wf --version': [[process.execPath, bin, '--version'], dir],
    'wf status (13 phases)': [[process.execPath, bin, 'status'], thirteen],
    'wf run (13 phases, up to date)': [[process.execPath, bin, 'run'], thirteen],
    'wf validate (50 phases)': [[process.execPath, bin, 'validate'], dir],
  }
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
  const cpu = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
  for (const [args, cwd] of Object.values(cases)) time(args, cwd) // warm the file cache
  for (let i = 0; i < runs; i++)
    for (const [name, [args, cwd]] of Object.entries(cases)) {
      samples[name].push(time(args, cwd))
      cpu[name].push(cpuTime(args, cwd))
    }
  console.log(`startup, ${runs} interleaved rounds: median ms, and ratio to node -e 0 (median, p10–p90)`)
  console.log(`  ${''.padEnd(32)} ${'wall time'.padEnd(30)} CPU time of the process (user + system)`)
  const column = (values, base) => {
    const ratios = values.map((ms, round) => ms / base[round])
    return `${quantile(values, 0.5).toFixed(1).padStart(7)} ms  ${quantile(ratios, 0.5).toFixed(2)}x  (${quantile(ratios, 0.1).toFixed(2)}–${quantile(ratios, 0.9).toFixed(2)})`
  }
  for (const name of Object.keys(cases))
    console.log(
      `  ${name.padEnd(32)} ${column(samples[name], samples['node -e 0']).padEnd(30)} ${column(cpu[name], cpu['node -e 0'])}`,
    )
} finally {
  rmSync(dir, { recursive: true, force: true })
  rmSync(thirteen, { recursive: true, force: true })
}
