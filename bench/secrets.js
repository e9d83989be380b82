#!/usr/bin/env node
// Cost of the `forbid: { patterns: [secrets] }` gate on a git repository of 2,000 source files
// (about 5 MB, committed, no secret in them), measured in this same session against:
//   - `git grep -E` with four simple secret patterns over the same files (what a shell hook would do),
//   - `wf run --force` of an empty plan in the same repository, so the scan's own cost is visible.
// Also prints the duration wf records for the phase, which holds only the gate.
// Usage: node bench/secrets.js [--runs N]   (run `npm run build` first)
import { execFileSync, spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { median, measure, runsFromArgv, tempRepo, wfBin } from './lib.js'

const runs = runsFromArgv(9)
const FILES = 2000
const GREP = 'AKIA[0-9A-Z]{16}|ghp_[A-Za-z0-9]{36}|-----BEGIN [A-Z ]*PRIVATE KEY-----|xox[baprs]-'

/** A deterministic pseudo-random generator (mulberry32), so every run builds the same repository. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const rand = random(42)
const pick = (list) => list[Math.floor(rand() * list.length)]
const words = [
  'account',
  'invoice',
  'user',
  'session',
  'retry',
  'cache',
  'order',
  'payload',
  'config',
  'token',
  'client',
  'request',
  'response',
  'schema',
  'event',
  'queue',
]
const ident = () => pick(words) + pick(words).replace(/^./, (c) => c.toUpperCase())
const hex = (n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('')

const makers = {
  ts: () => [
    `import { ${ident()} } from '../${pick(words)}/index.js'`,
    '',
    ...Array.from({ length: 8 + Math.floor(rand() * 10) }, () => [
      `/** Returns the ${pick(words)} for a ${pick(words)}. */`,
      `export async function ${ident()}(${pick(words)}: string, options: { retries?: number } = {}): Promise<string> {`,
      `  const ${ident()} = await fetch(\`https://api.acme-corp.dev/v1/${pick(words)}s/\${${pick(words)}}\`)`,
      `  if (options.retries && options.retries > ${Math.floor(rand() * 9)}) throw new Error('${pick(words)} ${pick(words)} failed')`,
      `  return '${hex(40)}' // commit of the ${pick(words)} fixture`,
      '}',
      '',
    ]).flat(),
  ],
  py: () => [
    'import os',
    '',
    ...Array.from({ length: 6 + Math.floor(rand() * 8) }, () => [
      `def ${pick(words)}_${pick(words)}(${pick(words)}, ${pick(words)}=None):`,
      `    """Load the ${pick(words)} named by ${pick(words)}."""`,
      `    value = os.environ.get("${pick(words).toUpperCase()}_${pick(words).toUpperCase()}", "")`,
      `    return {"id": "${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}", "value": value}`,
      '',
    ]).flat(),
  ],
  go: () => [
    'package main',
    '',
    'import "fmt"',
    '',
    ...Array.from({ length: 6 + Math.floor(rand() * 8) }, () => [
      `func ${ident()}(${pick(words)} string) string {`,
      `\treturn fmt.Sprintf("%s-${hex(12)}", ${pick(words)})`,
      '}',
      '',
    ]).flat(),
  ],
  md: () => [
    `# ${ident()}`,
    '',
    ...Array.from(
      { length: 10 + Math.floor(rand() * 20) },
      () =>
        `The ${pick(words)} ${pick(words)} is sent to the ${pick(words)} queue; see https://docs.acme-corp.dev/${pick(words)} and commit ${hex(40)}.`,
    ),
  ],
  json: () => [
    JSON.stringify(
      {
        name: ident(),
        version: `1.${Math.floor(rand() * 20)}.0`,
        integrity: `sha512-${Buffer.from(hex(64), 'hex').toString('base64')}`,
        items: Array.from({ length: 20 }, () => ({ id: hex(24), [pick(words)]: pick(words) })),
      },
      null,
      2,
    ),
  ],
  yaml: () =>
    Array.from(
      { length: 15 + Math.floor(rand() * 20) },
      () =>
        `${pick(words)}_${pick(words)}: ${pick(['true', `"\${${pick(words).toUpperCase()}}"`, String(Math.floor(rand() * 1000)), pick(words)])}`,
    ),
}
const kinds = ['ts', 'ts', 'ts', 'ts', 'py', 'go', 'md', 'json', 'yaml']

const files = {}
for (let i = 0; i < FILES; i++) {
  const ext = kinds[i % kinds.length]
  files[
    `${pick(['src', 'lib', 'services', 'docs', 'config'])}/${pick(words)}-${Math.floor(i / 50)}/${pick(words)}-${i}.${ext}`
  ] = `${makers[ext]().join('\n')}\n`
}
const bytes = Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text), 0)
files['phases/secrets.yaml'] =
  'version: 1\nphases:\n  - id: secrets\n    inputs: [phases/secrets.yaml]\n    gates:\n      - forbid: { patterns: [secrets] }\n'
files['phases/empty.yaml'] = 'version: 1\nphases:\n  - id: nothing\n    inputs: [phases/empty.yaml]\n'
files['.gitignore'] = '.wf/\n'

const repo = tempRepo(files)
try {
  const git = (...args) =>
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=b@b', ...args], { cwd: repo, stdio: 'ignore' })
  git('init', '-q', '-b', 'main')
  git('add', '-A')
  git('commit', '-q', '-m', 'bench')
  const wf = (plan) => [process.execPath, wfBin, 'run', '--force', '--plan', `phases/${plan}.yaml`]
  const cases = {
    'wf run --force (empty plan)': wf('empty'),
    'wf run --force (forbid secrets)': wf('secrets'),
    // git grep exits 1 when nothing matches, which is the expected result here.
    'git grep -E (4 patterns)': ['sh', '-c', `git grep -I -n -E '${GREP}' > /dev/null; [ $? -le 1 ]`],
  }
  const m = measure(cases, runs, () => repo)
  const phaseMs = median(
    Array.from({ length: runs }, () => {
      const out = spawnSync(process.execPath, [...wf('secrets').slice(1), '--json'], { cwd: repo, encoding: 'utf8' })
      return JSON.parse(out.stdout).phases[0].durationMs
    }),
  )
  const fmt = (ms) => `${ms.toFixed(1).padStart(8)} ms`
  console.log(`forbid secrets on ${FILES} files (${(bytes / 1024 / 1024).toFixed(1)} MB), median of ${runs} runs`)
  for (const [name, ms] of Object.entries(m)) console.log(`  ${name.padEnd(34)} ${fmt(ms)}`)
  console.log(`  ${'its phase alone (durationMs)'.padEnd(34)} ${fmt(phaseMs)}`)
  const scan = m['wf run --force (forbid secrets)'] - m['wf run --force (empty plan)']
  console.log('ratios')
  console.log(
    `  wf run with the gate vs git grep:  ${(m['wf run --force (forbid secrets)'] / m['git grep -E (4 patterns)']).toFixed(2)}x`,
  )
  console.log(
    `  the scan's own cost vs git grep:   ${(scan / m['git grep -E (4 patterns)']).toFixed(2)}x  (${scan.toFixed(1)} ms over the empty plan, ${((scan / FILES) * 1000).toFixed(0)} µs per file)`,
  )
} finally {
  rmSync(repo, { recursive: true, force: true })
}
