#!/usr/bin/env node
// Plan regexes run in linear time: `wf run --force` of a plan whose file-contains, forbid and
// command stdout gates use the nested-quantifier pattern `^(a+)+$` (exponential in a backtracking
// engine: "a"×40 + "!" ran over a minute), against the same plan with the plain `^a+$`, over
// 16 files of 1 MiB of such near misses. Prints both medians and their ratio (near 1 is linear).
// Usage: node bench/regex.js [--runs N]   (run `npm run build` first)
import { rmSync } from 'node:fs'
import { measure, runsFromArgv, tempRepo, wfBin } from './lib.js'

const runs = runsFromArgv(5)
const FILES = 16
const line = `${'a'.repeat(40)}!\n`
const text = line.repeat(Math.floor((1024 * 1024) / line.length))

const plan = (regex) =>
  [
    'version: 1',
    'phases:',
    '  - id: scan',
    '    gates:',
    `      - file-contains: { in: "big/*.txt", regex: "${regex}", flags: m, count: 0 }`,
    `      - forbid: { patterns: ["${regex}"], in: "big/*.txt" }`,
    `      - command: node -e "process.stdout.write(require('fs').readFileSync('big/0.txt', 'utf8'))"`,
    `        stdout: "${regex}"`,
    '        severity: warning',
    '',
  ].join('\n')

const files = Object.fromEntries(Array.from({ length: FILES }, (_, i) => [`big/${i}.txt`, text]))
const repos = {
  plain: tempRepo({ ...files, 'phases/p.yaml': plan('^a+$') }),
  nested: tempRepo({ ...files, 'phases/p.yaml': plan('^(a+)+$') }),
}
try {
  const run = [process.execPath, wfBin, 'run', '--force']
  const medians = measure({ plain: run, nested: run }, runs, (name) => repos[name])
  console.log(`regex gates over ${FILES} MiB of near misses (median of ${runs}):`)
  console.log(`  /^a+$/      ${medians.plain.toFixed(0)} ms`)
  console.log(`  /^(a+)+$/   ${medians.nested.toFixed(0)} ms`)
  console.log(`  ratio nested/plain: ${(medians.nested / medians.plain).toFixed(2)}`)
} finally {
  for (const dir of Object.values(repos)) rmSync(dir, { recursive: true, force: true })
}
