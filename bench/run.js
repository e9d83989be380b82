#!/usr/bin/env node
// Cost of running phases, as ratios measured in this same session:
//   1. a chain of 50 `true` tasks (one phase, and 50 chained phases) vs make with 50 chained targets,
//      and the cost of one more task (500 vs 50 tasks) vs one more make target;
//   2. a fully up-to-date re-run of a 13-phase plan vs `node -e 0`.
// Usage: node bench/run.js [--runs N]   (run `npm run build` first)
import { rmSync } from 'node:fs'
import { measure, phasePlan, runsFromArgv, tempRepo, thirteenPhaseRepo, wfBin } from './lib.js'

const runs = runsFromArgv(9)
const N = 50

const taskChain = (n) =>
  `${[
    'version: 1',
    'phases:',
    '  - id: chain',
    '    tasks:',
    ...Array.from({ length: n }, () => '      - run: "true"'),
  ].join('\n')}\n`
const oneToMany = taskChain(N)
// The cost of one more task, from the difference between 500 and 50 tasks (less noisy than 50 vs none).
const LONG = 500
const longMakefile = `${[
  `all: t${LONG - 1}`,
  ...Array.from({ length: LONG }, (_, i) => `t${i}:${i ? ` t${i - 1}` : ''}\n\ttrue`),
  `.PHONY: all ${Array.from({ length: LONG }, (_, i) => `t${i}`).join(' ')}`,
].join('\n')}\n`
const chained = phasePlan(N, { inputs: 'Makefile' })
const empty = 'version: 1\nphases:\n  - id: nothing\n    inputs: [Makefile]\n'
const makefile = `${[
  'all: t49',
  ...Array.from({ length: N }, (_, i) => `t${i}:${i ? ` t${i - 1}` : ''}\n\ttrue`),
  `.PHONY: all ${Array.from({ length: N }, (_, i) => `t${i}`).join(' ')}`,
].join('\n')}\n`

// Node's own cost of starting 50 processes one after another, for comparison with wf's per-task cost.
const spawnLoop =
  "const {spawn}=require('child_process');let i=0;const next=()=>{if(i++<50)spawn('true',[],{stdio:'ignore'}).on('close',next)};next()"

const repos = {
  tasks: tempRepo({ 'phases/plan.yaml': oneToMany, Makefile: makefile }),
  long: tempRepo({ 'phases/plan.yaml': taskChain(LONG), Makefile: longMakefile }),
  phases: tempRepo({ 'phases/plan.yaml': chained, Makefile: makefile }),
  empty: tempRepo({ 'phases/plan.yaml': empty, Makefile: makefile }),
  thirteen: thirteenPhaseRepo(),
}
try {
  const node = [process.execPath]
  const cases = {
    'node -e 0': [...node, '-e', '0'],
    'make (50 chained targets)': ['make', '-s', '-B'],
    'node spawning 50 true in turn': [...node, '-e', spawnLoop],
    'wf run --force (empty phase)': [...node, wfBin, 'run', '--force'],
    'wf run --force (1 phase, 50 tasks)': [...node, wfBin, 'run', '--force'],
    'make (500 chained targets)': ['make', '-s', '-B'],
    'wf run --force (1 phase, 500 tasks)': [...node, wfBin, 'run', '--force'],
    'wf run --force (50 chained phases)': [...node, wfBin, 'run', '--force', '--concurrency', '1'],
    'wf run (13 phases, all up to date)': [...node, wfBin, 'run'],
  }
  const cwdOf = (name) =>
    name.includes('500')
      ? repos.long
      : name.includes('50 tasks')
        ? repos.tasks
        : name.includes('chained phases')
          ? repos.phases
          : name.includes('13 phases')
            ? repos.thirteen
            : name.includes('empty')
              ? repos.empty
              : repos.tasks
  const m = measure(cases, runs, cwdOf)
  const fmt = (ms) => `${ms.toFixed(1).padStart(8)} ms`
  console.log(`wf run benchmarks, median of ${runs} runs`)
  for (const [name, ms] of Object.entries(m)) console.log(`  ${name.padEnd(38)} ${fmt(ms)}`)
  console.log('ratios')
  const wfPerTask = (m['wf run --force (1 phase, 500 tasks)'] - m['wf run --force (1 phase, 50 tasks)']) / (LONG - N)
  const makePerTarget = (m['make (500 chained targets)'] - m['make (50 chained targets)']) / (LONG - N)
  console.log(
    `  1 phase, 50 tasks vs make:            ${(m['wf run --force (1 phase, 50 tasks)'] / m['make (50 chained targets)']).toFixed(2)}x`,
  )
  console.log(
    `  50 chained phases vs make:            ${(m['wf run --force (50 chained phases)'] / m['make (50 chained targets)']).toFixed(2)}x  (${((m['wf run --force (50 chained phases)'] - m['wf run --force (empty phase)']) / N).toFixed(2)} ms per phase+task)`,
  )
  console.log(
    `  13-phase up-to-date re-run vs node:   ${(m['wf run (13 phases, all up to date)'] / m['node -e 0']).toFixed(2)}x`,
  )
  const nodePerSpawn = (m['node spawning 50 true in turn'] - m['node -e 0']) / N
  console.log(
    `  per task (500 vs 50 tasks): wf ${wfPerTask.toFixed(2)} ms, make ${makePerTarget.toFixed(2)} ms per target (${(wfPerTask / makePerTarget).toFixed(2)}x); node's own spawn ${nodePerSpawn.toFixed(2)} ms`,
  )
} finally {
  for (const dir of Object.values(repos)) rmSync(dir, { recursive: true, force: true })
}
