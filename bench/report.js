#!/usr/bin/env node
// `wf report` (HTML and JUnit) with 10 and with 10,000 recorded runs, against `wf status` on the
// same repository: a report reads the newest runs only, so a long history should not make it slower.
// Usage: node bench/report.js [--runs N]   (run `npm run build` first)
import { rmSync } from 'node:fs'
import { measure, repoWithRuns, runsFromArgv, wfBin } from './lib.js'

const runs = runsFromArgv(11)
const plan = `${[
  'version: 1',
  'phases:',
  ...Array.from({ length: 13 }, (_, i) => [
    `  - id: p${i}`,
    ...(i > 0 ? [`    needs: [p${i - 1}]`] : []),
    '    inputs: [README.md]',
    '    tasks: [{ run: "true" }]',
    '    gates: [{ files-exist: [README.md] }]',
  ]).flat(),
].join('\n')}\n`

const small = repoWithRuns(plan, 10)
const large = repoWithRuns(plan, 10_000)
try {
  const m = measure(
    {
      'wf status (10 runs)': [process.execPath, wfBin, 'status'],
      'wf report html (10 runs)': [process.execPath, wfBin, 'report', '--format', 'html'],
      'wf report html (10,000 runs)': [process.execPath, wfBin, 'report', '--format', 'html'],
      'wf report junit (10,000 runs)': [process.execPath, wfBin, 'report', '--format', 'junit'],
    },
    runs,
    (name) => (name.includes('10,000') ? large : small),
  )
  console.log(`wf report, median of ${runs} runs`)
  for (const [name, ms] of Object.entries(m)) console.log(`  ${name.padEnd(31)} ${ms.toFixed(1).padStart(8)} ms`)
  console.log(
    `  html, 10,000 runs vs 10 runs:   ${(m['wf report html (10,000 runs)'] / m['wf report html (10 runs)']).toFixed(2)}x`,
  )
  console.log(
    `  html vs wf status (10 runs):    ${(m['wf report html (10 runs)'] / m['wf status (10 runs)']).toFixed(2)}x`,
  )
} finally {
  rmSync(small, { recursive: true, force: true })
  rmSync(large, { recursive: true, force: true })
}
