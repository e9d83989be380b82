#!/usr/bin/env node
// Cost of generating files from templates, as ratios measured in this same session:
//   1. `wf run` rendering and writing 1000 files (20 templates × 50 packages, 10 phases) vs a
//      script doing the same with nunjucks directly: cold (a FileSystemLoader environment per
//      file, as a per-file generator script does) and warm (one environment for all);
//   2. an unchanged re-run (every phase up to date) vs `node -e 0`.
// Usage: node bench/templates.js [--runs N]   (run `npm run build` first)
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median, runsFromArgv, tempRepo, time, wfBin } from './lib.js'

const runs = runsFromArgv(5)
const TEMPLATES = 20
const PACKAGES = 50
const PHASES = 10
const nunjucksPath = fileURLToPath(new URL('../node_modules/nunjucks/index.js', import.meta.url))

// A realistic template: a heading, a loop, conditionals and filters over the variables.
const template = (i) => `# {{ package }} — file ${i}

Generated for {{ project }} by the platform team.

{% for item in items %}
- {{ item.name | upper }}: {{ item.value }}{% if item.required %} (required){% endif %}

{% endfor %}
{% if owners %}Owners: {{ owners | join(", ") }}{% endif %}

Version {{ version }}, licensed under {{ license | default("MIT") }}.
`
const files = { '.gitignore': '.wf/\nout/\n' }
for (let t = 0; t < TEMPLATES; t++) files[`templates/t${t}.njk`] = template(t)

const jobs = []
for (let p = 0; p < PACKAGES; p++) {
  for (let t = 0; t < TEMPLATES; t++) jobs.push({ template: `t${t}.njk`, to: `out/pkg${p}/file${t}.md`, vars: { package: `pkg${p}` } })
}
const shared = { project: 'bench', version: '1.2.3', owners: ['@a', '@b'], items: Array.from({ length: 8 }, (_, i) => ({ name: `key${i}`, value: i * 7, required: i % 2 === 0 })) }
const plan = ['version: 1', `vars: ${JSON.stringify(shared)}`, 'phases:']
const perPhase = jobs.length / PHASES
for (let ph = 0; ph < PHASES; ph++) {
  plan.push(`  - id: gen${ph}`, '    inputs: ["templates/**"]', '    tasks:')
  for (const job of jobs.slice(ph * perPhase, (ph + 1) * perPhase)) plan.push(`      - { template: templates/${job.template}, to: ${job.to}, vars: ${JSON.stringify(job.vars)} }`)
}
files['phases/plan.yaml'] = plan.join('\n') + '\n'
files['jobs.json'] = JSON.stringify(jobs)
const baseline = (cold) => `
const nunjucks = require(${JSON.stringify(nunjucksPath)})
const fs = require('fs'), path = require('path')
const jobs = JSON.parse(fs.readFileSync('jobs.json', 'utf8'))
const shared = ${JSON.stringify(shared)}
const options = { throwOnUndefined: true, autoescape: false, trimBlocks: true, lstripBlocks: true }
let env = new nunjucks.Environment(new nunjucks.FileSystemLoader('templates'), options)
for (const job of jobs) {
  ${cold ? "env = new nunjucks.Environment(new nunjucks.FileSystemLoader('templates'), options)" : ''}
  const out = env.render(job.template, { ...shared, ...job.vars })
  fs.mkdirSync(path.dirname(job.to), { recursive: true })
  fs.writeFileSync(job.to, out)
}
`
files['cold.cjs'] = baseline(true)
files['warm.cjs'] = baseline(false)

const repo = tempRepo(files)
// WF_BENCH_KEEP=1 prints the prepared repository and stops, for profiling.
if (process.env.WF_BENCH_KEEP) { console.log(repo); process.exit(0) }
const clean = () => {
  rmSync(join(repo, 'out'), { recursive: true, force: true })
  rmSync(join(repo, '.wf'), { recursive: true, force: true })
}
try {
  const node = process.execPath
  const cases = {
    'nunjucks, cold FileSystemLoader per file': [node, 'cold.cjs'],
    'nunjucks, one warm environment': [node, 'warm.cjs'],
    'wf run (render + write 1000 files)': [node, wfBin, 'run'],
  }
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
  for (let i = 0; i <= runs; i++) {
    for (const [name, args] of Object.entries(cases)) {
      clean()
      const ms = time(args, repo)
      if (i > 0) samples[name].push(ms) // the first round warms the file system cache
    }
  }
  const result = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]))
  // Leave the outputs of a wf run in place, then time unchanged re-runs against node -e 0.
  clean()
  time([node, wfBin, 'run'], repo)
  const rerun = { 'node -e 0': [], 'wf run (unchanged, all up to date)': [] }
  for (let i = 0; i <= runs; i++) {
    const a = time([node, '-e', '0'], repo)
    const b = time([node, wfBin, 'run'], repo)
    if (i > 0) { rerun['node -e 0'].push(a); rerun['wf run (unchanged, all up to date)'].push(b) }
  }
  const cold = result['nunjucks, cold FileSystemLoader per file']
  const warm = result['nunjucks, one warm environment']
  const wf = result['wf run (render + write 1000 files)']
  const nodeMs = median(rerun['node -e 0'])
  const again = median(rerun['wf run (unchanged, all up to date)'])
  console.log(`templates: ${jobs.length} files from ${TEMPLATES} templates in ${PHASES} phases (median of ${runs})`)
  console.log(`  nunjucks, cold FileSystemLoader per file   ${cold.toFixed(0)} ms`)
  console.log(`  nunjucks, one warm environment             ${warm.toFixed(0)} ms`)
  console.log(`  wf run (render + write + ledger)           ${wf.toFixed(0)} ms`)
  console.log(`  ratio wf / cold nunjucks: ${(wf / cold).toFixed(2)}×  (target ≤ 0.5×)`)
  console.log(`  ratio wf / warm nunjucks: ${(wf / warm).toFixed(2)}×`)
  console.log(`  unchanged re-run ${again.toFixed(0)} ms vs node -e 0 ${nodeMs.toFixed(0)} ms: ${(again / nodeMs).toFixed(2)}×`)
} finally {
  rmSync(repo, { recursive: true, force: true })
}
