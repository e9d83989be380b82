#!/usr/bin/env node
// `wf check --staged` as a pre-commit hook runs it: a git repository of 2,000 files with 5 staged
// changes, against `node -e 0` measured in the same session.
// Usage: node bench/check.js [--runs N]   (run `npm run build` first)
import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { measure, runsFromArgv, wfBin } from './lib.js'

const runs = runsFromArgv(15)
const plan = `version: 1
phases:
  - id: governance
    extends: builtin:governance
  - id: hygiene
    gates:
      - files-absent: ["**/*.pem", "**/.env"]
      - file-contains: { in: "src/**/*.ts", regex: "debugger|console\\\\.log\\\\(", count: 0 }
      - file-contains: { in: "src/**/*.ts", text: "TODO(", count: 0 }
`

/** A git repository of `count` source files in nested folders, committed, with five staged edits. */
function makeRepo(count) {
  const dir = mkdtempSync(join(tmpdir(), 'wf-bench-check-'))
  const git = (...args) => execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', ...args], { cwd: dir })
  git('init', '-q')
  const files = {
    'phases/plan.yaml': plan,
    'README.md': '# bench\n\nA repository used to measure wf check --staged.\n',
  }
  for (let i = 0; i < count; i++) {
    files[`src/m${i % 40}/f${i}.ts`] =
      `export function f${i}(x: number): number {\n  return x * ${i} + ${i % 7}\n}\n`.repeat(20)
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  git('add', '-A')
  git('commit', '-qm', 'initial')
  for (let i = 0; i < 5; i++) writeFileSync(join(dir, `src/m${i}/f${i}.ts`), `export const changed${i} = ${i}\n`)
  git('add', 'src')
  return dir
}

const repo = makeRepo(2000)
// WF_BENCH_KEEP=1 prints the prepared repository and stops, for profiling.
if (process.env.WF_BENCH_KEEP) {
  console.log(repo)
  process.exit(0)
}
try {
  const m = measure(
    {
      'node -e 0': [process.execPath, '-e', '0'],
      'wf check --staged (2,000 files, 5 staged)': [process.execPath, wfBin, 'check', '--staged'],
    },
    runs,
    () => repo,
  )
  console.log(`wf check --staged, median of ${runs} runs`)
  for (const [name, ms] of Object.entries(m)) console.log(`  ${name.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms`)
  console.log(`  ratio to node -e 0: ${(m['wf check --staged (2,000 files, 5 staged)'] / m['node -e 0']).toFixed(2)}x`)
} finally {
  rmSync(repo, { recursive: true, force: true })
}
