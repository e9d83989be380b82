#!/usr/bin/env node
// Does the `secrets` scan stay linear on hostile text? Files made of near-matches of every secret
// format (prefixes over and over, bodies one character short or too long, unterminated URLs and
// JWTs) are scanned by `forbid: { patterns: [secrets] }`:
//   - one 900 kB file vs nine 100 kB files of the same text: a ratio near 1 means time grows with
//     the bytes, not with their square (a quadratic scan would show about 9x);
//   - the same bytes of plain prose, the baseline of the scan's ordinary cost.
// Prints the phase durations wf records (the gate alone) and the ratios; whether the gate passes
// does not matter (a run of near-matches can line up into something of a secret's shape).
// Usage: node bench/secret-rules.js [--runs N]   (run `npm run build` first)
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { median, runsFromArgv, tempRepo, wfBin } from './lib.js'

const runs = runsFromArgv(5)
const UNIT = 100_000
const PLAN = 'version: 1\nphases:\n  - id: scan\n    gates:\n      - forbid: { patterns: [secrets], exclude: phases }\n'

const near = [
  'ghr_',
  `ghr_${'aB3'.repeat(25)} `,
  'glrt-',
  'SG.',
  'redis://user:',
  'sk_live_',
  `sk_live_${'x1'.repeat(5)} `,
  'AIza',
  'AccountKey=',
  'SharedAccessKey=',
  'abc8Q~',
  'SK0123456789abcdef',
  'AC0123456789abcdef0123456789abcdef:',
  'pypi-AgEIcHlwaS5vcmc',
  'eyJ',
  'eyJhbGciOiJIUzI1NiJ9.eyJ',
  'key-',
  'HRKU-AA',
  'dop_v1_',
  'AGE-SECRET-KEY-1',
  'dp.pt.',
  'PMAK-',
  '123456789:AA',
  '"auth": "',
]

/** `size` characters of near-matches: each unit repeated with nothing between, in turn. */
function hostile(size) {
  const per = Math.ceil(size / near.length)
  return near.map((n) => n.repeat(Math.ceil(per / n.length)).slice(0, per)).join('\n')
}

function prose(size) {
  const line = 'The quick brown fox jumps over the lazy dog while the build waits for its cache.\n'
  return line.repeat(Math.ceil(size / line.length)).slice(0, size)
}

const repos = {
  'one 900 kB file of near-matches': tempRepo({ 'phases/p.yaml': PLAN, 'big.txt': hostile(9 * UNIT) }),
  'nine 100 kB files of near-matches': tempRepo({
    'phases/p.yaml': PLAN,
    ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`part-${i}.txt`, hostile(UNIT)])),
  }),
  'one 900 kB file of prose': tempRepo({ 'phases/p.yaml': PLAN, 'big.txt': prose(9 * UNIT) }),
}

/** The duration wf records for the phase, which holds only the gate. */
function phaseMs(cwd) {
  const result = spawnSync(process.execPath, [wfBin, 'run', '--force', '--json'], { cwd, encoding: 'utf8' })
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`wf run exited ${result.status}: ${result.stdout}${result.stderr}`)
  return JSON.parse(result.stdout).phases[0].durationMs
}

const samples = Object.fromEntries(Object.keys(repos).map((name) => [name, []]))
for (const cwd of Object.values(repos)) phaseMs(cwd)
for (let i = 0; i < runs; i++) for (const [name, cwd] of Object.entries(repos)) samples[name].push(phaseMs(cwd))
const ms = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]))
for (const cwd of Object.values(repos)) rmSync(cwd, { recursive: true, force: true })

console.log(`forbid secrets on hostile text, median of ${runs} runs (phase duration)`)
for (const [name, value] of Object.entries(ms)) console.log(`  ${name.padEnd(36)} ${value.toFixed(0).padStart(6)} ms`)
console.log('ratios')
const ratio = (a, b) => (ms[a] / ms[b]).toFixed(2)
console.log(
  `  one 900 kB file vs nine 100 kB files:   ${ratio('one 900 kB file of near-matches', 'nine 100 kB files of near-matches')}x  (linear ≈ 1, quadratic ≈ 9)`,
)
console.log(
  `  near-matches vs prose, same bytes:      ${ratio('one 900 kB file of near-matches', 'one 900 kB file of prose')}x`,
)
