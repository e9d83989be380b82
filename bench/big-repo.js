#!/usr/bin/env node
// `wf run` on a repository of 100,000 files (1,000 folders of 100), untracked in a fresh git
// repository: one phase whose `inputs` are `**/*` (every file hashed for its fingerprint) and a
// `forbid` gate over `**/*` (every file read). Prints the time and the peak memory (RSS) of the
// run, and of `git ls-files` and `cat` over the same files for scale. Target: under 1 GB.
// With --binaries the gate is `binaries: true` instead (each file's first 4 KiB read, by content).
// Usage: node bench/big-repo.js [--files N] [--secrets | --binaries]   (run `npm run build` first)
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempRepo, wfBin } from './lib.js'

const i = process.argv.indexOf('--files')
const FILES = i > 0 ? Number(process.argv[i + 1]) : 100_000
const patterns = process.argv.includes('--secrets') ? '[secrets]' : '["BEGIN RSA [P]RIVATE KEY"]'
const plan = `version: 1
phases:
  - id: everything
    inputs: ["**/*"]
    tasks: [{ run: "true" }]
    gates:
      - ${process.argv.includes('--binaries') ? 'binaries: true' : `forbid: { patterns: ${patterns}, in: ["**/*"] }`}
`

/** Wall time and peak RSS of a command, through /usr/bin/time -v. */
function measure(args, cwd) {
  const started = process.hrtime.bigint()
  const result = spawnSync('/usr/bin/time', ['-v', ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
  })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  const stderr = result.stderr.toString()
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${stderr.slice(0, 3000)}`)
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1])
  return { ms, mb: kb / 1024 }
}

const dir = tempRepo({ 'phases/plan.yaml': plan })
try {
  rmSync(join(dir, '.git'), { recursive: true })
  spawnSync('git', ['init', '-q', '-b', 'main'], { cwd: dir })
  for (let d = 0; d < FILES / 100; d++) {
    const folder = join(dir, 'src', `d${d}`)
    mkdirSync(folder, { recursive: true })
    for (let f = 0; f < 100; f++) writeFileSync(join(folder, `f${f}.ts`), `export const v${d}_${f} = ${d * 100 + f}\n`)
  }
  const git = measure(['git', 'ls-files', '--others', '-z'], dir)
  const cat = measure(['sh', '-c', 'find src -type f -print0 | xargs -0 cat > /dev/null'], dir)
  const cold = measure([process.execPath, wfBin, 'run', '--force', '--reporter', 'plain'], dir)
  const warm = measure([process.execPath, wfBin, 'run', '--force', '--reporter', 'plain'], dir)
  const row = (name, m) =>
    console.log(`  ${name.padEnd(36)} ${m.ms.toFixed(0).padStart(8)} ms ${m.mb.toFixed(0).padStart(6)} MB peak RSS`)
  console.log(
    `wf run on ${FILES} files (inputs over **/*, ${process.argv.includes('--binaries') ? 'binaries' : 'forbid'} gate)`,
  )
  row('git ls-files --others', git)
  row('find | xargs cat', cat)
  row('wf run --force (no hash cache)', cold)
  row('wf run --force (hash cache)', warm)
  console.log(
    `ratios: wf run (no cache) vs cat ${(cold.ms / cat.ms).toFixed(2)}x; peak RSS ${Math.max(cold.mb, warm.mb).toFixed(0)} MB (target: under 1024 MB)`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
