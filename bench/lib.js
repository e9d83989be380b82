// Helpers for the benchmarks: timing of whole processes, medians, temp repositories.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const wfBin = fileURLToPath(new URL('../bin/run.js', import.meta.url))

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** Wall time of one process in ms; throws when it fails. */
export function time(args, cwd, env = process.env) {
  const start = process.hrtime.bigint()
  const result = spawnSync(args[0], args.slice(1), { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  return ms
}

/** Runs every case `runs` times, interleaved so machine load hits them alike; returns medians by name. */
export function measure(cases, runs, cwdOf) {
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
  for (const [name, args] of Object.entries(cases)) time(args, cwdOf(name))
  for (let i = 0; i < runs; i++)
    for (const [name, args] of Object.entries(cases)) samples[name].push(time(args, cwdOf(name)))
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]))
}

/** A temp folder (in `base`, default the system's) holding `files`, with a `.git` folder so wf treats it as a repository root. */
export function tempRepo(files, base = tmpdir()) {
  const dir = mkdtempSync(join(base, 'wf-bench-'))
  mkdirSync(join(dir, '.git'))
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  return dir
}

export function runsFromArgv(fallback) {
  const i = process.argv.indexOf('--runs')
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}

/** A repository holding `plan` whose ledger has `count` run records (copies of a real one, renumbered). */
export function repoWithRuns(plan, count) {
  const dir = tempRepo({ 'phases/plan.yaml': plan, 'README.md': '# bench\n' })
  for (let i = 0; i < 2; i++) spawnSync(process.execPath, [wfBin, 'run', '--force'], { cwd: dir, stdio: 'ignore' })
  const runsDir = join(dir, '.wf', 'runs')
  const [first] = readdirSync(runsDir).sort()
  const record = JSON.parse(readFileSync(join(runsDir, first), 'utf8'))
  for (let seq = 3; seq <= count; seq++)
    writeFileSync(
      join(runsDir, `${String(seq).padStart(8, '0')}.json`),
      JSON.stringify({ ...record, seq, id: `${seq}-bench` }, null, 1),
    )
  const ledgerPath = join(dir, '.wf', 'ledger.json')
  const ledger = JSON.parse(readFileSync(ledgerPath, 'utf8'))
  writeFileSync(ledgerPath, JSON.stringify({ ...ledger, history: count, lastSeq: count }, null, 1))
  return dir
}
