#!/usr/bin/env node
// Cost of the `forbid: { patterns: [secrets] }` gate on a git repository of 2,000 source files
// (about 6 MB, committed, no secret in them), measured in this same session against:
//   - `git grep -E` with the patterns of the same rules (secretlint's recommended preset as wf
//     configures it, and wf's own rules: src/gates/secret-rules.ts, secret-detectors.ts), one ERE
//     alternation, as far as ERE can say them (see EQUIVALENT below for what it cannot);
//   - `git grep -E` with four simple secret patterns (what a quick shell hook would do), for reference;
//   - `wf run --force` of an empty plan in the same repository, so the scan's own cost is visible.
// Prints the ratio of the whole `wf run` and of the scan itself (the run minus the empty plan's) to
// each; also the duration wf records for the phase, which holds only the gate.
// Usage: node bench/secrets.js [--runs N]   (run `npm run build` first)
import { execFileSync, spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { median, measure, runsFromArgv, tempRepo, wfBin } from './lib.js'

const runs = runsFromArgv(9)
const FILES = 2000
const GREP = 'AKIA[0-9A-Z]{16}|ghp_[A-Za-z0-9]{36}|-----BEGIN [A-Z ]*PRIVATE KEY-----|xox[baprs]-'
// What ERE cannot say, so git grep matches more (or, for the last items, misses some) than wf reports:
//   - lookarounds: the boundaries before and after a token (`(?<!\w)`, `(?![\w-])`, `\b`) are left out;
//   - the checks after a match: entropy and placeholder words, the age key's Bech32 checksum, a JWT's
//     decoded header and claims, Docker `auth` decoding to user:password, the words near a Twilio,
//     Mailgun or Heroku value, secretlint's placeholder and `allows` lists, `secretlint-disable` and
//     `wf-allow-secret` comments, the allow-list;
//   - case-insensitive rules (Slack webhooks, database URLs) are spelled with [xX] pairs;
//   - bounds above 64 are written `+` or `*` (glibc's regex expands a bounded repeat into copies; the
//     exact bounds made this baseline five times slower);
//   - not at all: bodies of private keys and Kubernetes Secret `data:` values (they span lines),
//     a GCP service-account JSON (approximated by its `"private_key_id"` key), binary .p12 files.
const EQUIVALENT = [
  // secretlint: aws (access key id, secret access key; account ids are not reported)
  '(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}',
  `["']?(AWS|aws|Aws)?_?(SECRET|secret|Secret)_?(ACCESS|access|Access)_?(KEY|key|Key)["']?[[:space:]]*(:|=>|=)[[:space:]]*["']?[A-Za-z0-9/+=]{40}`,
  // gcp, privatekey, npm, basicauth, slack
  '"private_key_id"',
  '-----BEGIN ?((RSA|DSA|EC|OPENSSH|PGP) )?PRIVATE KEY( BLOCK)?-----',
  'https?://.+:x-oauth-basic@github\\.com/',
  '_authToken=[^$]',
  'npm_[A-Za-z0-9_]{36}',
  '(https?|ftp|ftps)://[-a-zA-Z0-9_]+:[-a-zA-Z0-9_]+@[-a-zA-Z0-9%._+~#=]+\\.[a-zA-Z0-9()]{1,6}',
  '(xoxb|xoxp|xapp|xoxa|xoxo|xoxr)-([0-9]-)?([a-zA-Z0-9]{1,40}-)+[a-zA-Z0-9]{1,40}',
  '[hH][tT][tT][pP][sS]://[hH][oO][oO][kK][sS]\\.[sS][lL][aA][cC][kK]\\.[cC][oO][mM]/[sS][eE][rR][vV][iI][cC][eE][sS]/[tT][a-zA-Z0-9]{1,40}/[bB][a-zA-Z0-9]{1,40}/[a-zA-Z0-9]{1,40}',
  // sendgrid, shopify, github, gitlab, grafana, openai, anthropic, groq, huggingface, linear, notion, 1password
  'SG\\.[A-Za-z0-9_]+\\.[A-Za-z0-9_]+[-_]?[A-Za-z0-9_]+',
  '(shppa|shpca|shpat|shpss)_[a-zA-Z0-9]{32,64}',
  '(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36}',
  'github_pat_[A-Za-z0-9_]{82}',
  'glpat-[A-Za-z0-9_-]+',
  'glc_[A-Za-z0-9+/]+={0,2}',
  'glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}',
  'sk-(proj|svcacct|admin)-([A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})T3BlbkFJ([A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})',
  'sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20}',
  'sk-ant-api0[0-9]-[A-Za-z0-9_-]+AA',
  'gsk_[a-zA-Z0-9]{52}',
  'hf_[a-zA-Z]{34}',
  'lin_api_[a-zA-Z0-9_]+',
  'ntn_[0-9]{11}[A-Za-z0-9]{35}',
  'ops_ey[A-Za-z0-9+/=]+fQ={0,2}',
  // database-connection-string (case-insensitive schemes, reported only with user:password@)
  '[mM][oO][nN][gG][oO][dD][bB](\\+[sS][rR][vV])?://[^:/[:space:]]+:[^@/[:space:]]+@',
  '([jJ][dD][bB][cC]:)?[mM][yY][sS][qQ][lL][xX]?://[^:/[:space:]]+:[^@/[:space:]]+@',
  '[pP][oO][sS][tT][gG][rR][eE][sS]([qQ][lL])?://[^:/[:space:]]+:[^@/[:space:]]+@',
  // hashicorp-vault, vercel, databricks, docker, figma
  'hv[sbr]\\.[A-Za-z0-9_-]+',
  '(vcp|vci|vca|vcr|vck)_[A-Za-z0-9]{20,60}',
  'dapi[A-Fa-f0-9]{32}(-[0-9])?',
  'dckr_pat_[a-zA-Z0-9_-]{27}',
  'figd_[A-Za-z0-9_-]+',
  // wf: short private keys, then the rules of secret-rules.ts in their order
  '-----BEGIN (EC )?PRIVATE KEY-----',
  'ghr_[A-Za-z0-9]{76}',
  'gl(ptt|rt|dt|ft|soat|cbt|imt|agent|oas)-[A-Za-z0-9_-]+',
  'GR1348941[A-Za-z0-9_-]{20,64}',
  'SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}',
  `rediss?://[^[:space:]:@/'"]*:[^[:space:]@/'"]+@[A-Za-z0-9_.-]+`,
  '[sr]k_live_[A-Za-z0-9]+',
  'AIza[A-Za-z0-9_-]{35}',
  'AccountKey=[A-Za-z0-9+/]{86}==',
  'SharedAccessKey=[A-Za-z0-9+/]{43}=',
  '[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}',
  'SK[0-9a-f]{32}',
  '(AC[0-9a-f]{32}:)?[0-9a-f]{32}',
  'pypi-(AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]+',
  'eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+',
  'key-[0-9a-z]{32}',
  '[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}',
  'HRKU-AA[A-Za-z0-9_-]{58}',
  '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
  'do[opr]_v1_[0-9a-f]{64}',
  'AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}',
  'dp\\.(pt|st|ct|sa|scim|audit)\\.([A-Za-z0-9_-]{1,64}\\.)?[A-Za-z0-9]{40,44}',
  'PMAK-[0-9a-f]{24}-[0-9a-f]{34}',
  '[0-9]{8,10}:AA[A-Za-z0-9_-]{33}',
  '"auth"[ \t]{0,20}:[ \t]{0,20}"[A-Za-z0-9+/]{4,}={0,2}"',
].join('|')

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
  // git grep exits 1 when nothing matches, which is the expected result for the four patterns.
  const grep = (pattern) => ['sh', '-c', 'git grep -I -n -E -e "$0" > /dev/null; [ $? -le 1 ]', pattern]
  const cases = {
    'wf run --force (empty plan)': wf('empty'),
    'wf run --force (forbid secrets)': wf('secrets'),
    'git grep -E (equivalent patterns)': grep(EQUIVALENT),
    'git grep -E (4 patterns)': grep(GREP),
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
  for (const [name, ms] of Object.entries(m)) console.log(`  ${name.padEnd(36)} ${fmt(ms)}`)
  console.log(`  ${'its phase alone (durationMs)'.padEnd(36)} ${fmt(phaseMs)}`)
  const run = m['wf run --force (forbid secrets)']
  const scan = run - m['wf run --force (empty plan)']
  console.log(
    `ratios (the scan's own cost: ${scan.toFixed(1)} ms over the empty plan, ${((scan / FILES) * 1000).toFixed(0)} µs per file)`,
  )
  for (const baseline of ['git grep -E (equivalent patterns)', 'git grep -E (4 patterns)']) {
    const name = baseline.replace('git grep -E ', '')
    console.log(`  wf run with the gate vs git grep ${name}:`.padEnd(62), `${(run / m[baseline]).toFixed(2)}x`)
    console.log(`  the scan's own cost vs git grep ${name}:`.padEnd(62), `${(scan / m[baseline]).toFixed(2)}x`)
  }
} finally {
  rmSync(repo, { recursive: true, force: true })
}
