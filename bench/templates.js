#!/usr/bin/env node
// Cost of generating files from templates, as ratios measured in this same session, for two
// workloads of 1000 files in 10 phases:
//   - library: wf's 12 built-in governance templates (LICENSE, SECURITY.md, issue forms…), as
//     repository templates, rendered for 84 packages — the files wf exists to generate;
//   - small: 20 ten-line templates rendered for 50 packages.
// Each compares `wf run` rendering and writing them with a script doing the same with nunjucks
// directly: cold (a FileSystemLoader environment per file, as a per-file generator script does)
// and warm (one environment for all); and with the floor of any generator that writes atomically: a
// script that only writes the already rendered files (temp file, rename). Then an unchanged re-run
// (every phase up to date) vs `node -e 0`. All of it twice: on the disk (the system's temp folder)
// and in memory (/dev/shm, when there is one), where what the file system costs drops out.
// Usage: node bench/templates.js [--runs N]   (run `npm run build` first)
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median, runsFromArgv, tempRepo, time, wfBin } from './lib.js'

const runs = runsFromArgv(5)
const FILES = 1000
const PHASES = 10
const nunjucksPath = fileURLToPath(new URL('../node_modules/nunjucks/index.js', import.meta.url))
const templatesDir = fileURLToPath(new URL('../templates/', import.meta.url))

function libraryWorkload() {
  const library = JSON.parse(readFileSync(join(templatesDir, 'library.json'), 'utf8')).templates
  const templates = Object.fromEntries(
    Object.values(library).map((t) => [t.file, readFileSync(join(templatesDir, t.file), 'utf8')]),
  )
  const names = Object.values(library).map((t) => t.file)
  const jobs = Array.from({ length: FILES }, (_, i) => ({
    template: names[i % names.length],
    to: `out/pkg${Math.floor(i / names.length)}/${names[i % names.length].replace(/\.njk$/, '')}`,
    vars: { project: `pkg${Math.floor(i / names.length)}` },
  }))
  // Every variable given, so both sides render the same context.
  const shared = {
    year: 2026,
    holder: 'Acme Inc.',
    contact: 'security@acme.dev',
    supported_versions: 'The latest release.',
    response_days: 3,
    disclosure_days: 90,
    owners: '@acme/platform',
    paths: { '/docs/': '@acme/docs' },
    setup_command: 'npm ci',
    test_command: 'npm test',
    license: 'MIT',
    bug_label: 'bug',
    feature_label: 'enhancement',
    ecosystems: ['npm', 'github-actions'],
    interval: 'weekly',
    node_version: 20,
    command: 'npx --no-install wf run',
    indent_size: 2,
    repository: { name: 'widgets', owner: 'acme', url: 'https://github.com/acme/widgets', default_branch: 'main' },
    author: { name: '', email: '' },
  }
  return {
    name: 'library',
    description: `${FILES} files from wf's ${names.length} built-in templates`,
    templates,
    jobs,
    shared,
  }
}

function smallWorkload() {
  const template = (i) =>
    `# {{ package }} — file ${i}\n\nGenerated for {{ project }} by the platform team.\n\n{% for item in items %}\n- {{ item.name | upper }}: {{ item.value }}{% if item.required %} (required){% endif %}\n\n{% endfor %}\n{% if owners %}Owners: {{ owners | join(", ") }}{% endif %}\n\nVersion {{ version }}, licensed under {{ license | default("MIT") }}.\n`
  const templates = Object.fromEntries(Array.from({ length: 20 }, (_, t) => [`t${t}.njk`, template(t)]))
  const jobs = Array.from({ length: FILES }, (_, i) => ({
    template: `t${i % 20}.njk`,
    to: `out/pkg${Math.floor(i / 20)}/file${i % 20}.md`,
    vars: { package: `pkg${Math.floor(i / 20)}` },
  }))
  const shared = {
    project: 'bench',
    version: '1.2.3',
    owners: ['@a', '@b'],
    items: Array.from({ length: 8 }, (_, i) => ({ name: `key${i}`, value: i * 7, required: i % 2 === 0 })),
  }
  return { name: 'small', description: `${FILES} files from 20 small templates`, templates, jobs, shared }
}

function prepare({ templates, jobs, shared }) {
  const files = { '.gitignore': '.wf/\nout/\n', 'jobs.json': JSON.stringify(jobs) }
  for (const [name, text] of Object.entries(templates)) files[`templates/${name}`] = text
  const plan = ['version: 1', `vars: ${JSON.stringify(shared)}`, 'phases:']
  const perPhase = jobs.length / PHASES
  for (let ph = 0; ph < PHASES; ph++) {
    plan.push(`  - id: gen${ph}`, '    inputs: ["templates/**"]', '    tasks:')
    for (const job of jobs.slice(ph * perPhase, (ph + 1) * perPhase))
      plan.push(`      - { template: templates/${job.template}, to: ${job.to}, vars: ${JSON.stringify(job.vars)} }`)
  }
  files['phases/plan.yaml'] = `${plan.join('\n')}\n`
  const baseline = (cold) => `
const nunjucks = require(${JSON.stringify(nunjucksPath)})
const fs = require('fs'), path = require('path')
const jobs = JSON.parse(fs.readFileSync('jobs.json', 'utf8'))
const shared = ${JSON.stringify(shared)}
const options = { throwOnUndefined: true, autoescape: false, trimBlocks: true, lstripBlocks: true }
let env = new nunjucks.Environment(new nunjucks.FileSystemLoader('templates'), options)
const rendered = []
for (const job of jobs) {
  ${cold ? "env = new nunjucks.Environment(new nunjucks.FileSystemLoader('templates'), options)" : ''}
  const out = env.render(job.template, { ...shared, ...job.vars })
  fs.mkdirSync(path.dirname(job.to), { recursive: true })
  fs.writeFileSync(job.to, out)
  if (process.env.WF_BENCH_DUMP) rendered.push({ to: job.to, out })
}
if (process.env.WF_BENCH_DUMP) fs.writeFileSync('rendered.json', JSON.stringify(rendered))
`
  files['cold.cjs'] = baseline(true)
  files['warm.cjs'] = baseline(false)
  // What writing the files costs, with nothing rendered: the floor for every generator.
  files['floor.cjs'] = `
const fs = require('fs'), path = require('path')
for (const { to, out } of JSON.parse(fs.readFileSync('rendered.json', 'utf8'))) {
  fs.mkdirSync(path.dirname(to), { recursive: true })
  fs.writeFileSync(to + '.tmp', out)
  fs.renameSync(to + '.tmp', to)
}
`
  return files
}

function measureWorkload(workload, base) {
  const repo = tempRepo(prepare(workload), base)
  time([process.execPath, 'warm.cjs'], repo, { ...process.env, WF_BENCH_DUMP: '1' })
  // WF_BENCH_KEEP=1 prints the prepared repository and stops, for profiling.
  if (process.env.WF_BENCH_KEEP) {
    console.log(repo)
    process.exit(0)
  }
  // Removing 1000 files leaves work for the file system (journal commits, discards); `sync` settles
  // it before the next timed run, so no case pays for the one before it.
  const clean = () => {
    rmSync(join(repo, 'out'), { recursive: true, force: true })
    rmSync(join(repo, '.wf'), { recursive: true, force: true })
    spawnSync('sync')
  }
  try {
    const node = process.execPath
    const cases = {
      cold: [node, 'cold.cjs'],
      warm: [node, 'warm.cjs'],
      floor: [node, 'floor.cjs'],
      wf: [node, wfBin, 'run'],
    }
    const samples = { cold: [], warm: [], floor: [], wf: [] }
    for (let i = 0; i <= runs; i++) {
      for (const [name, args] of Object.entries(cases)) {
        clean()
        const ms = time(args, repo)
        if (i > 0) samples[name].push(ms) // the first round warms the file system cache
      }
    }
    // Leave the outputs of a wf run in place, then time unchanged re-runs against node -e 0.
    clean()
    time([node, wfBin, 'run'], repo)
    const nodeSamples = []
    const again = []
    for (let i = 0; i <= runs; i++) {
      const a = time([node, '-e', '0'], repo)
      const b = time([node, wfBin, 'run'], repo)
      if (i > 0) {
        nodeSamples.push(a)
        again.push(b)
      }
    }
    return {
      cold: median(samples.cold),
      warm: median(samples.warm),
      floor: median(samples.floor),
      wf: median(samples.wf),
      node: median(nodeSamples),
      again: median(again),
    }
  } finally {
    rmSync(repo, { recursive: true, force: true })
  }
}

console.log(`templates: ${FILES} files in ${PHASES} phases, median of ${runs} runs`)
const places = [['on disk', tmpdir()], ...(existsSync('/dev/shm') ? [['in memory (/dev/shm)', '/dev/shm']] : [])]
for (const workload of [libraryWorkload(), smallWorkload()]) {
  console.log(`  ${workload.name}: ${workload.description}`)
  for (const [place, base] of places) {
    const r = measureWorkload(workload, base)
    console.log(`   ${place}`)
    console.log(`    nunjucks, cold FileSystemLoader per file   ${r.cold.toFixed(0).padStart(6)} ms`)
    console.log(`    nunjucks, one warm environment             ${r.warm.toFixed(0).padStart(6)} ms`)
    console.log(
      `    writing the rendered files, nothing else   ${r.floor.toFixed(0).padStart(6)} ms  (${(r.floor / r.cold).toFixed(2)}× cold: no generator writing them can do better)`,
    )
    console.log(`    wf run (render + write + ledger)           ${r.wf.toFixed(0).padStart(6)} ms`)
    console.log(
      `    ratio wf / writing the files: ${(r.wf / r.floor).toFixed(2)}×  (target ≤ 1.5×);  wf / warm nunjucks: ${(r.wf / r.warm).toFixed(2)}×;  wf / cold nunjucks: ${(r.wf / r.cold).toFixed(2)}×`,
    )
    console.log(
      `    unchanged re-run ${r.again.toFixed(0)} ms vs node -e 0 ${r.node.toFixed(0)} ms: ${(r.again / r.node).toFixed(2)}×`,
    )
  }
}
