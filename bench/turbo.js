#!/usr/bin/env node
// An up-to-date re-run of 1,000 phases against native turbo on the same DAG, as a ratio measured in
// this same session. Two git repositories hold the same 1,000 packages (packages/pI/package.json
// and index.js), package i depending on package floor((i-1)/2) (the 13-phase tree of bench/run.js,
// grown): one is a turbo workspace where each package's `build` task runs `true` over its own files
// (turbo.json: `dependsOn: ["^build"]`, `inputs: ["$TURBO_DEFAULT$"]`, no outputs), the other holds
// the equivalent wf plan (1,000 phases, each `needs` its parent, `inputs: ["packages/pI/**"]`, a
// `run: "true"` task). Apart, so neither reads the other's files (turbo makes a .turbo/ folder in each
// package, which a wf input `packages/pI/**` would walk into). Each runs once to fill its cache
// (turbo's .turbo/, wf's ledger); then the re-run, where turbo prints FULL TURBO and wf says every
// phase is up to date, is timed for both, interleaved, and the ratio wf/turbo is taken per round.
// turbo is the latest 2.x from npm (its native binary comes in the @turbo/<platform> package),
// installed into a temp folder and run directly (not through the npm shim), as CI runs it: with
// `--no-daemon` (turbo does not start its daemon in CI) and `--output-logs=none`. turbo runs a
// package's task through its package manager (`npm run build`, ~0.3 s of CPU each), so an `npm` that
// does nothing comes first on its PATH: the cold run takes seconds, not minutes, and the timed
// re-runs, which run no task, are unchanged by it.
// Usage: node bench/turbo.js [--runs N] [--phases N]   (run `npm run build` first)
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { median, runsFromArgv, time, wfBin } from './lib.js'

const runs = runsFromArgv(15)
const phasesAt = process.argv.indexOf('--phases')
const N = phasesAt > 0 ? Number(process.argv[phasesAt + 1]) : 1000
const parent = (i) => Math.floor((i - 1) / 2)

/** The native turbo binary installed from npm into `dir`, or undefined (with the reason printed) when it cannot be. */
function installTurbo(dir) {
  writeFileSync(join(dir, 'package.json'), '{"name":"turbo-bench-install","private":true}\n')
  const npm = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', 'turbo@2'], {
    cwd: dir,
    encoding: 'utf8',
  })
  if (npm.status !== 0) {
    console.log(`skipped: turbo could not be installed from npm (npm exited ${npm.status}):\n${npm.stderr}`)
    return undefined
  }
  const scope = join(dir, 'node_modules', '@turbo')
  const platform = existsSync(scope)
    ? readdirSync(scope).find((name) => existsSync(join(scope, name, 'bin')))
    : undefined
  const bin = platform && join(scope, platform, 'bin', 'turbo')
  const version = bin && spawnSync(bin, ['--version'], { encoding: 'utf8' })
  if (!bin || version.status !== 0) {
    console.log('skipped: npm installed turbo but no native turbo binary for this platform runs here')
    return undefined
  }
  return { bin, version: version.stdout.trim() }
}

/** A git repository holding the packages, and the turbo workspace (`turbo`) or the wf plan around them. */
function buildRepository(dir, tool) {
  const write = (path, content) => {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  const plan = ['version: 1', 'phases:']
  for (let i = 0; i < N; i++) {
    const dependencies = i ? { [`p${parent(i)}`]: '*' } : {}
    write(
      `packages/p${i}/package.json`,
      `${JSON.stringify({ name: `p${i}`, version: '1.0.0', scripts: { build: 'true' }, dependencies }, null, 2)}\n`,
    )
    write(`packages/p${i}/index.js`, `export const p${i} = ${i}\n`)
    plan.push(
      `  - id: p${i}`,
      ...(i ? [`    needs: [p${parent(i)}]`] : []),
      `    inputs: ["packages/p${i}/**"]`,
      '    tasks: [{ run: "true" }]',
    )
  }
  if (tool === 'wf') {
    write('.gitignore', '.wf/\n')
    write('phases/plan.yaml', `${plan.join('\n')}\n`)
  } else {
    write('.gitignore', '.turbo/\nnode_modules/\n')
    write(
      'package.json',
      `${JSON.stringify({ name: 'dag', private: true, packageManager: 'npm@10.8.2', workspaces: ['packages/*'] }, null, 2)}\n`,
    )
    const tasks = { build: { dependsOn: ['^build'], inputs: ['$TURBO_DEFAULT$'], outputs: [] } }
    write('turbo.json', `${JSON.stringify({ tasks }, null, 2)}\n`)
    // npm links the workspace packages so turbo's package graph resolves as it would after `npm install`.
    const linked = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--offline'], {
      cwd: dir,
      encoding: 'utf8',
    })
    if (linked.status !== 0) throw new Error(`npm install in the workspace failed: ${linked.stderr}`)
  }
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '-A'],
    ['commit', '-qm', 'dag'],
  ])
    execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', ...args], { cwd: dir })
}

const work = mkdtempSync(join(tmpdir(), 'wf-bench-turbo-'))
try {
  const turbo = installTurbo(mkdtempSync(join(work, 'install-')))
  if (turbo) {
    const repos = { turbo: join(work, 'turbo'), wf: join(work, 'wf') }
    for (const [tool, dir] of Object.entries(repos)) {
      mkdirSync(dir)
      buildRepository(dir, tool)
    }
    const shims = join(work, 'bin')
    mkdirSync(shims)
    writeFileSync(join(shims, 'npm'), '#!/bin/sh\n[ "$1" = --version ] && echo 10.8.2\nexit 0\n', { mode: 0o755 })
    const env = {
      ...process.env,
      PATH: `${shims}:${process.env.PATH}`,
      TURBO_TELEMETRY_DISABLED: '1',
      TURBO_NO_UPDATE_NOTIFIER: '1',
      DO_NOT_TRACK: '1',
      CI: '',
    }
    const cases = {
      turbo: [turbo.bin, 'run', 'build', '--no-daemon', '--output-logs=none'],
      wf: [process.execPath, wfBin, 'run'],
    }
    // The cold runs fill the caches; check that the re-run is the up-to-date one each is timed on.
    for (const [name, args] of Object.entries(cases)) time(args, repos[name], env)
    const again = spawnSync(cases.turbo[0], cases.turbo.slice(1), { cwd: repos.turbo, env, encoding: 'utf8' })
    if (!again.stdout.includes('FULL TURBO')) throw new Error(`turbo's re-run is not FULL TURBO:\n${again.stdout}`)
    const wfAgain = spawnSync(cases.wf[0], cases.wf.slice(1), { cwd: repos.wf, env, encoding: 'utf8' })
    const upToDate = wfAgain.stdout.split('\n').filter((line) => line.includes('up to date')).length
    if (wfAgain.status !== 0 || upToDate < N)
      throw new Error(`wf's re-run is not all up to date (${upToDate} of ${N}):\n${wfAgain.stdout.slice(-2000)}`)
    const samples = { turbo: [], wf: [] }
    const ratios = []
    for (let i = 0; i < runs; i++) {
      const round = {}
      // Alternate who goes first, so neither always runs on the caches the other just warmed.
      for (const name of i % 2 ? ['wf', 'turbo'] : ['turbo', 'wf']) round[name] = time(cases[name], repos[name], env)
      samples.turbo.push(round.turbo)
      samples.wf.push(round.wf)
      ratios.push(round.wf / round.turbo)
    }
    const sorted = [...ratios].sort((a, b) => a - b)
    const quartile = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
    const fmt = (ms) => `${ms.toFixed(1).padStart(8)} ms`
    console.log(`${N}-phase up-to-date re-run, turbo ${turbo.version} (native, --no-daemon), median of ${runs} rounds`)
    console.log(`  turbo run build (FULL TURBO)  ${fmt(median(samples.turbo))}`)
    console.log(`  wf run (all up to date)       ${fmt(median(samples.wf))}`)
    console.log(
      `  wf / turbo: ${median(ratios).toFixed(2)}x (quartiles ${quartile(0.25).toFixed(2)}–${quartile(0.75).toFixed(2)}, range ${sorted[0].toFixed(2)}–${sorted.at(-1).toFixed(2)})`,
    )
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
