#!/usr/bin/env node
// Cost of chained phases:
//   1. ms per phase + task at 50 and 500 chained `true` phases (as bench/run.js: each phase reads
//      one input file), from the difference to a run of one empty phase, interleaved;
//   2. with --phases N: one run of N chained phases vs ten runs of N/10 (the same number of
//      phases). A ledger rewritten whole after every phase makes the long chain quadratic; written
//      incrementally it stays within a small factor of the short runs.
// Usage: node bench/chain.js [--runs 5] [--phases N]   (run `npm run build` first)
import { rmSync } from 'node:fs'
import { measure, phasePlan, runsFromArgv, tempRepo, time, wfBin } from './lib.js'

const runs = runsFromArgv(5)
const i = process.argv.indexOf('--phases')
const N = i > 0 ? Number(process.argv[i + 1]) : undefined

const empty = 'version: 1\nphases:\n  - id: nothing\n    inputs: [Makefile]\n'

const repos = {
  empty: tempRepo({ 'phases/plan.yaml': empty, Makefile: 'all:\n' }),
  50: tempRepo({ 'phases/plan.yaml': phasePlan(50, { inputs: 'Makefile' }), Makefile: 'all:\n' }),
  500: tempRepo({ 'phases/plan.yaml': phasePlan(500, { inputs: 'Makefile' }), Makefile: 'all:\n' }),
}
try {
  const run = [process.execPath, wfBin, 'run', '--force', '--concurrency', '1']
  const m = measure({ empty: run, 50: run, 500: run }, runs, (name) => repos[name])
  console.log(`chained \`true\` phases, median of ${runs} runs`)
  for (const [name, ms] of Object.entries(m))
    console.log(
      `  ${name === 'empty' ? 'one empty phase' : `${name} chained phases`}`.padEnd(24),
      `${ms.toFixed(0)} ms`,
    )
  for (const n of [50, 500])
    console.log(`  ${n} chained phases: ${((m[n] - m.empty) / n).toFixed(2)} ms per phase+task (target: <= 2)`)

  if (N) {
    const SHORT = N / 10
    const long = tempRepo({ 'phases/plan.yaml': phasePlan(N) })
    const short = tempRepo({ 'phases/plan.yaml': phasePlan(SHORT) })
    repos.long = long
    repos.short = short
    let shortMs = 0
    for (let k = 0; k < 10; k++) shortMs += time(run, short)
    const longMs = time(run, long)
    console.log(`chain of \`true\` phases, ${N} phases in all`)
    console.log(`  10 runs of ${SHORT} phases   ${shortMs.toFixed(0).padStart(8)} ms`)
    console.log(`  1 run of ${N} phases     ${longMs.toFixed(0).padStart(8)} ms`)
    console.log(`ratio ${N} / (${SHORT} x10): ${(longMs / shortMs).toFixed(2)}x  (target: within 3x)`)
  }
} finally {
  for (const dir of Object.values(repos)) rmSync(dir, { recursive: true, force: true })
}
