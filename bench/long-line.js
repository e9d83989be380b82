#!/usr/bin/env node
// A task printing one line of 1 MB vs one of 100 MB: wf keeps the first 64 KiB of a line and
// counts the rest, so the cost grows with the bytes piped, not with their square.
// Usage: node bench/long-line.js [--runs N]   (run `npm run build` first)
import { rmSync } from 'node:fs'
import { measure, runsFromArgv, tempRepo, wfBin } from './lib.js'

const runs = runsFromArgv(3)
const plan = (mb) =>
  `version: 1\nphases:\n  - id: long\n    tasks:\n      - run: node -e "const b='y'.repeat(1<<20);for(let i=0;i<${mb};i++)process.stdout.write(b)"\n`
const repos = {
  '1 MB line': tempRepo({ 'phases/plan.yaml': plan(1) }),
  '100 MB line': tempRepo({ 'phases/plan.yaml': plan(100) }),
}
const node = tempRepo({})
try {
  const write100 = "const b='y'.repeat(1<<20);for(let i=0;i<100;i++)process.stdout.write(b)"
  const cases = {
    'node writing 100 MB': [process.execPath, '-e', write100],
    '1 MB line': [process.execPath, wfBin, 'run', '--force', '--reporter', 'plain'],
    '100 MB line': [process.execPath, wfBin, 'run', '--force', '--reporter', 'plain'],
  }
  const m = measure(cases, runs, (name) => repos[name] ?? node)
  console.log(`one long output line, median of ${runs} runs`)
  for (const [name, ms] of Object.entries(m)) console.log(`  ${name.padEnd(22)} ${ms.toFixed(0).padStart(8)} ms`)
  console.log(
    `ratio 100 MB / 1 MB line: ${(m['100 MB line'] / m['1 MB line']).toFixed(2)}x (linear in bytes; was quadratic)`,
  )
} finally {
  for (const dir of [...Object.values(repos), node]) rmSync(dir, { recursive: true, force: true })
}
