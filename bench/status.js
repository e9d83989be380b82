#!/usr/bin/env node
// `wf status` with 10 and with 10,000 recorded runs, as a ratio (history lives in .wf/runs/,
// so status should not pay for it), plus both against `node -e 0`.
// Usage: node bench/status.js [--runs N]   (run `npm run build` first)
import { rmSync } from 'node:fs'
import { measure, repoWithRuns, runsFromArgv, wfBin } from './lib.js'

const runs = runsFromArgv(11)
const plan = `${[
  'version: 1',
  'phases:',
  ...Array.from({ length: 13 }, (_, i) => [
    `  - id: p${i}`,
    '    inputs: [README.md]',
    '    tasks: [{ run: "true" }]',
  ]).flat(),
].join('\n')}\n`

const small = repoWithRuns(plan, 10)
const large = repoWithRuns(plan, 10_000)
try {
  const m = measure(
    {
      'node -e 0': [process.execPath, '-e', '0'],
      'wf status (10 runs)': [process.execPath, wfBin, 'status'],
      'wf status (10,000 runs)': [process.execPath, wfBin, 'status'],
    },
    runs,
    (name) => (name.includes('10,000') ? large : small),
  )
  console.log(`wf status, median of ${runs} runs`)
  for (const [name, ms] of Object.entries(m)) console.log(`  ${name.padEnd(26)} ${ms.toFixed(1).padStart(8)} ms`)
  console.log(`  10,000 runs vs 10 runs:    ${(m['wf status (10,000 runs)'] / m['wf status (10 runs)']).toFixed(2)}x`)
  console.log(`  10 runs vs node -e 0:      ${(m['wf status (10 runs)'] / m['node -e 0']).toFixed(2)}x`)
} finally {
  rmSync(small, { recursive: true, force: true })
  rmSync(large, { recursive: true, force: true })
}
