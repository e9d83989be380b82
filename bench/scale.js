#!/usr/bin/env node
// How long runs grow with the number of phases: `wf run --force` of a chain of N `true` phases, of
// N independent (wide) ones, and the up-to-date re-run of the chain, at a small and a big N,
// interleaved so machine load hits both alike. A linear wf takes about BIG/SMALL times as long at
// the big N (the target: at most 12x from 500 to 5,000 phases).
// With `--against PATH` (the bin/run.js of another build) every case also runs on that build, and
// the ratio of the two builds is printed per case.
// Usage: node bench/scale.js [--phases 500,5000] [--runs 3] [--kinds chain,wide,up-to-date] [--against PATH]
// (run `npm run build` first; a 5,000-phase forced run can take minutes on a loaded machine)
import { rmSync } from 'node:fs'
import { measure, phasePlan, runsFromArgv, tempRepo, wfBin } from './lib.js'

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : fallback
}
const runs = runsFromArgv(3)
const [SMALL, BIG] = arg('--phases', '500,5000').split(',').map(Number)
const kinds = arg('--kinds', 'chain,wide,up-to-date').split(',')
const against = arg('--against', undefined)
const builds = { this: wfBin, ...(against ? { against } : {}) }

const argsOf = { chain: ['run', '--force', '--concurrency', '1'], wide: ['run', '--force'], 'up-to-date': ['run'] }
const cases = {}
const repos = {}
for (const kind of kinds)
  for (const n of [SMALL, BIG])
    for (const [build, bin] of Object.entries(builds)) {
      const name = `${kind} ${n} (${build})`
      cases[name] = [process.execPath, bin, ...argsOf[kind]]
      // measure() runs each case once before timing it: that run records the passes an up-to-date re-run finds.
      repos[name] = tempRepo({ 'phases/plan.yaml': phasePlan(n, { chained: kind !== 'wide' }) })
    }
try {
  const m = measure(cases, runs, (name) => repos[name])
  console.log(`wf run at ${SMALL} and ${BIG} phases, median of ${runs} runs`)
  for (const [name, ms] of Object.entries(m)) console.log(`  ${name.padEnd(30)} ${ms.toFixed(0).padStart(9)} ms`)
  console.log('ratios')
  for (const kind of kinds)
    for (const build of Object.keys(builds)) {
      const small = m[`${kind} ${SMALL} (${build})`]
      const big = m[`${kind} ${BIG} (${build})`]
      console.log(
        `  ${`${kind} (${build})`.padEnd(22)} ${BIG} / ${SMALL} phases: ${(big / small).toFixed(2)}x (linear: ${(BIG / SMALL).toFixed(0)}x; target <= ${((BIG / SMALL) * 1.2).toFixed(0)}x)  ${(small / SMALL).toFixed(2)} / ${(big / BIG).toFixed(2)} ms per phase`,
      )
    }
  if (against)
    for (const kind of kinds)
      for (const n of [SMALL, BIG])
        console.log(
          `  ${kind} ${n}: this build / against: ${(m[`${kind} ${n} (this)`] / m[`${kind} ${n} (against)`]).toFixed(2)}x`,
        )
} finally {
  for (const dir of Object.values(repos)) rmSync(dir, { recursive: true, force: true })
}
