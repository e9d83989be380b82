#!/usr/bin/env node
// The diff of a generated file against what is on disk (`wf generate template --dry-run`, also
// used for drift and `wf run --dry-run`): a 40,000-line file rewritten whole (every line differs:
// past the diff's cap, a one-line summary) and with one line changed (a real diff), vs the same
// command on an unchanged file. Target: the rewritten file within 2 s.
// Usage: node bench/drift.js [--lines N] [--runs N]   (run `npm run build` first)
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { measure, runsFromArgv, tempRepo, wfBin } from './lib.js'

const i = process.argv.indexOf('--lines')
const LINES = i > 0 ? Number(process.argv[i + 1]) : 40_000
const runs = runsFromArgv(3)
const generated = `${Array.from({ length: LINES }, (_, k) => `generated line ${k}`).join('\n')}\n`
const repo = tempRepo({
  'phases/plan.yaml': 'version: 1\nphases:\n  - id: nothing\n',
  'templates/big.njk': generated,
})
const files = {
  unchanged: generated,
  'one line changed': generated.replace(`generated line ${LINES / 2}\n`, 'edited by hand\n'),
  rewritten: `${Array.from({ length: LINES }, (_, k) => `rewritten line ${k}`).join('\n')}\n`,
}
try {
  const args = (name) => [
    process.execPath,
    wfBin,
    'generate',
    'template',
    'templates/big.njk',
    '--to',
    `${name}.txt`,
    '--dry-run',
  ]
  for (const [name, text] of Object.entries(files)) writeFileSync(join(repo, `${name.replaceAll(' ', '-')}.txt`), text)
  const cases = Object.fromEntries(Object.keys(files).map((name) => [name, args(name.replaceAll(' ', '-'))]))
  const m = measure(cases, runs, () => repo)
  console.log(`wf generate template --dry-run on a ${LINES}-line file, median of ${runs} runs`)
  for (const [name, ms] of Object.entries(m)) console.log(`  ${name.padEnd(20)} ${ms.toFixed(0).padStart(8)} ms`)
  console.log(
    `ratios vs unchanged: one line changed ${(m['one line changed'] / m.unchanged).toFixed(2)}x, rewritten ${(m.rewritten / m.unchanged).toFixed(2)}x (target: rewritten within 2 s: ${m.rewritten.toFixed(0)} ms)`,
  )
} finally {
  rmSync(repo, { recursive: true, force: true })
}
