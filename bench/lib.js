// Helpers for the benchmarks: timing of whole processes, medians, temp repositories.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
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

/**
 * The CPU time (user + system, ms) a Node.js command's own process used, from its start to its exit
 * (bench/cpu-report.cjs reports it): unlike wall time, it hardly moves when other work loads the
 * machine. Processes it starts (git) are not counted.
 */
export function cpuTime(args, cwd, env = process.env) {
  const report = fileURLToPath(new URL('cpu-report.cjs', import.meta.url))
  const result = spawnSync(args[0], args.slice(1), {
    cwd,
    env: { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require ${report}`.trim() },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  })
  const us = /wf-bench-cpu-us (\d+)\s*$/.exec(result.stderr)
  if (result.status !== 0 || !us) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  return Number(us[1]) / 1000
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

/** A plan of `n` phases p0…p(n-1), each running `true`: chained (each needs the one before) or independent, each reading `inputs` when given. */
export function phasePlan(n, { chained = true, inputs } = {}) {
  return `${[
    'version: 1',
    'phases:',
    ...Array.from({ length: n }, (_, k) => [
      `  - id: p${k}`,
      ...(chained && k ? [`    needs: [p${k - 1}]`] : []),
      ...(inputs ? [`    inputs: [${inputs}]`] : []),
      '    tasks: [{ run: "true" }]',
    ]).flat(),
  ].join('\n')}\n`
}

/**
 * A committed git repository holding a 13-phase plan (a binary tree of phases, each with its own
 * inputs, a task and two gates) whose every phase has passed: the up-to-date re-run of
 * bench/run.js and bench/startup.js.
 */
export function thirteenPhaseRepo() {
  const lines = ['version: 1', 'phases:']
  const files = { '.gitignore': '.wf/\n' }
  for (let i = 0; i < 13; i++) {
    lines.push(
      `  - id: p${i}`,
      ...(i ? [`    needs: [p${Math.floor((i - 1) / 2)}]`] : []),
      `    inputs: ["src/p${i}/**"]`,
      '    tasks: [{ run: "true" }]',
      '    gates:',
      `      - files-exist: [src/p${i}/index.ts]`,
      '      - command: "true"',
    )
    files[`src/p${i}/index.ts`] = `export const p${i} = ${i}\n`
  }
  const dir = tempRepo({ ...files, 'phases/plan.yaml': `${lines.join('\n')}\n` })
  // A real repository, committed, as wf reads the commit, branch and status of it.
  rmSync(join(dir, '.git'), { recursive: true })
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '-A'],
    ['commit', '-qm', 'plan'],
  ])
    execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', ...args], { cwd: dir })
  time([process.execPath, wfBin, 'run'], dir) // the passing run the up-to-date re-run repeats
  return dir
}
