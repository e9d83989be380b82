#!/usr/bin/env node
// Cost of a long chain of phases: one run of N chained `true` phases vs ten runs of N/10 (the same
// number of phases). A ledger rewritten whole after every phase makes the long chain quadratic;
// written incrementally it stays within a small factor of the short runs.
// Usage: node bench/chain.js [--phases N]   (default 10000; run `npm run build` first)
import { rmSync } from 'node:fs'
import { tempRepo, time, wfBin } from './lib.js'

const i = process.argv.indexOf('--phases')
const N = i > 0 ? Number(process.argv[i + 1]) : 10000
const SHORT = N / 10

const chain = (n) =>
  `${[
    'version: 1',
    'phases:',
    ...Array.from({ length: n }, (_, k) => [
      `  - id: p${k}`,
      ...(k ? [`    needs: [p${k - 1}]`] : []),
      '    tasks: [{ run: "true" }]',
    ]).flat(),
  ].join('\n')}\n`

const long = tempRepo({ 'phases/plan.yaml': chain(N) })
const short = tempRepo({ 'phases/plan.yaml': chain(SHORT) })
try {
  const run = [process.execPath, wfBin, 'run', '--force', '--concurrency', '1']
  let shortMs = 0
  for (let k = 0; k < 10; k++) shortMs += time(run, short)
  const longMs = time(run, long)
  console.log(`chain of \`true\` phases, ${N} phases in all`)
  console.log(`  10 runs of ${SHORT} phases   ${shortMs.toFixed(0).padStart(8)} ms`)
  console.log(`  1 run of ${N} phases     ${longMs.toFixed(0).padStart(8)} ms`)
  console.log(`ratio ${N} / (${SHORT} x10): ${(longMs / shortMs).toFixed(2)}x  (target: within 3x)`)
} finally {
  for (const dir of [long, short]) rmSync(dir, { recursive: true, force: true })
}
