#!/usr/bin/env node
// The entry of the GitHub Action in action.yml: runs wf with the action's inputs, writes the
// reports asked for and adds their paths to the step outputs. It uses Node.js alone, so it runs
// from the action's checkout without installing anything there; wf itself comes from `command`.
import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** Where each report format goes in the report folder; other formats go to wf-FORMAT.txt. */
const REPORT_FILES = {
  sarif: 'wf.sarif',
  junit: 'wf-junit.xml',
  markdown: 'wf.md',
  json: 'wf.json',
  html: 'wf.html',
  openmetrics: 'wf.prom',
}

/** An input as action.yml passes it: `INPUT_` and the name in capitals, `-` as `_` (a name a shell can use too), trimmed. */
const input = (name, env) => (env[`INPUT_${name.replace(/[ -]/g, '_').toUpperCase()}`] ?? '').trim()

/** A word for a POSIX shell: kept as it is when it is plainly safe, else single-quoted. */
const quote = (word) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)

/** Names listed in an input, separated by spaces, commas or line breaks. */
const list = (text) => text.split(/[\s,]+/).filter(Boolean)

/** The wf arguments of the run the inputs ask for: the named phases (with what they need, unless with-deps is false), or the whole plan. */
function runArguments(inputs) {
  const phases = list(inputs.phases)
  const args = phases.length > 0 ? ['run-phase', ...phases, ...(inputs.withDeps ? ['--with-deps'] : [])] : ['run']
  if (inputs.plan) args.push('--plan', inputs.plan)
  if (inputs.env) args.push('--env', inputs.env)
  return args
}

/** Runs `command ARGS` through bash, wf's output going to the step's log; returns its exit code. */
function wf(command, args, cwd) {
  const line = `${command} ${args.map(quote).join(' ')}`
  const result = spawnSync('bash', ['-c', line], { cwd, stdio: 'inherit' })
  if (result.error) throw result.error
  return result.status ?? 1
}

/** The step outputs as $GITHUB_OUTPUT lines (values here have no line breaks). */
const outputLines = (outputs) =>
  Object.entries(outputs)
    .map(([name, value]) => `${name}=${value}\n`)
    .join('')

/** Reads the inputs, runs wf, writes the reports, sets outputs; returns the exit code of the step. */
function main(env = process.env) {
  const inputs = {
    phases: input('phases', env),
    withDeps: input('with-deps', env) !== 'false',
    plan: input('plan', env),
    env: input('env', env),
    reports: input('reports', env),
    reportDir: input('report-dir', env),
    uploadSarif: input('upload-sarif', env) === 'true',
    command: input('command', env) || 'npx --no-install wf',
  }
  const cwd = process.cwd()
  const formats = new Set(list(inputs.reports))
  if (inputs.uploadSarif) formats.add('sarif')
  const outputFile = env.GITHUB_OUTPUT
  const before = outputFile ? readText(outputFile).length : 0
  const code = wf(inputs.command, runArguments(inputs), cwd)
  if (code === 127) {
    console.log(
      `::error title=wf::could not start wf with \`${inputs.command}\`: install it before this step (npm ci, with wf among the devDependencies) or set the action's command input`,
    )
    if (outputFile) appendFileSync(outputFile, outputLines({ status: 'error' }))
    return code
  }
  const outputs = {}
  // wf writes status, run-id, failed-phases… itself when a run took place; a plan or usage error (exit 2) or a busy ledger (3) writes none.
  if (outputFile && !/^status=/m.test(readText(outputFile).slice(before))) outputs.status = 'error'
  const folder = resolve(cwd, inputs.reportDir || join(env.RUNNER_TEMP || tmpdir(), 'wf-reports'))
  const written = []
  if (formats.size > 0) mkdirSync(folder, { recursive: true })
  for (const format of formats) {
    const file = join(folder, REPORT_FILES[format] ?? `wf-${format}.txt`)
    const args = ['report', '--format', format, '--output', file]
    if (inputs.plan) args.push('--plan', inputs.plan)
    if (wf(inputs.command, args, cwd) === 0) {
      outputs[format] = file
      written.push(file)
    } else console.log(`::warning title=wf::the ${format} report could not be written (see the lines above)`)
  }
  outputs['report-dir'] = formats.size > 0 ? folder : ''
  outputs.reports = written.join(',')
  if (outputFile) appendFileSync(outputFile, outputLines(outputs))
  return code
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

process.exitCode = main()
