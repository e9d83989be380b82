#!/usr/bin/env node
// What rendering repository templates in the sandbox costs (`wf run --dry-run` renders them in a
// child Node.js under the permission model; a real run renders them in process). A plan of 40
// repository templates in one phase, already generated: `wf run --dry-run --force` (renders all 40
// in the sandbox, writes nothing) vs `wf run --force` (renders all 40 in process, finds them
// current), and the same dry run on a plan of one template (the sandbox's start). Prints ratios.
// Usage: node bench/read-only.js [--runs N]   (run `npm run build` first)
import { rmSync } from 'node:fs'
import { measure, runsFromArgv, tempRepo, time, wfBin } from './lib.js'

const runs = runsFromArgv(7)

function repo(count) {
  const files = { 'README.md': '# bench\n' }
  const tasks = []
  for (let i = 0; i < count; i++) {
    files[`templates/t${i}.njk`] =
      `# {{ project }} {{ n }}\n{% for x in items %}- {{ x | upper }}\n{% endfor %}{{ "done" if n > 0 else "none" }}\n`
    tasks.push(
      `      - template: templates/t${i}.njk\n        to: out/t${i}.md\n        vars: { n: ${i}, items: [a, b, c] }`,
    )
  }
  files['phases/plan.yaml'] = `version: 1\nphases:\n  - id: gen\n    tasks:\n${tasks.join('\n')}\n`
  const dir = tempRepo(files)
  time([process.execPath, wfBin, 'run'], dir)
  return dir
}

const many = repo(40)
const one = repo(1)
const node = [process.execPath, wfBin]
const result = measure(
  {
    'dry run, 40 templates (sandbox)': [...node, 'run', '--dry-run', '--force'],
    'run, 40 templates (in process)': [...node, 'run', '--force'],
    'dry run, 1 template (sandbox)': [...node, 'run', '--dry-run', '--force'],
  },
  runs,
  (name) => (name.includes('40') ? many : one),
)
for (const [name, ms] of Object.entries(result)) console.log(`${name.padEnd(36)} ${ms.toFixed(0)} ms`)
const ratio = result['dry run, 40 templates (sandbox)'] / result['run, 40 templates (in process)']
console.log(`sandboxed dry run / in-process run (40 templates): ${ratio.toFixed(2)}x`)
rmSync(many, { recursive: true, force: true })
rmSync(one, { recursive: true, force: true })
