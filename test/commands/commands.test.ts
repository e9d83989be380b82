import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { hasStackTrace, repoRoot, testdir } from '../helpers.js'

const plan = `version: 1
phases:
  - id: lint
    name: Lint
    tasks: [{ run: "true" }]
  - id: build
    name: Build
    needs: [lint]
  - id: test
    needs: [build]
    gates: [{ files-exist: [README.md] }]
  - id: docs
    needs: [lint]
`

describe('wf validate', () => {
  it('exits 0 on a valid plan and reports what it read', async () => {
    const cwd = testdir({ 'phases/a.yaml': plan })
    const result = await runCli(['validate'], { cwd })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('1 plan file, 4 phases: valid')
    const json = await runCli(['validate', '--json'], { cwd })
    expect(JSON.parse(json.stdout)).toEqual({ valid: true, files: ['phases/a.yaml'], phases: 4 })
  })

  it('finds the repository root from a subfolder and honours --cwd', async () => {
    const cwd = testdir({ 'phases/a.yaml': plan, 'src/deep/x.txt': '' })
    expect((await runCli(['validate'], { cwd: join(cwd, 'src', 'deep') })).code).toBe(0)
    expect((await runCli(['validate', '--cwd', cwd], { cwd: repoRoot })).stdout).toContain('4 phases')
  })

  it('validates only the file given with --plan, following its includes', async () => {
    const cwd = testdir({
      'phases/broken.yaml': 'version: 1\nphases: [{ id: Bad }]\n',
      'plans/main.yaml': 'version: 1\ninclude: [extra.yaml]\nphases: [{ id: a, needs: [b] }]\n',
      'plans/extra.yaml': 'version: 1\nphases: [{ id: b }]\n',
    })
    const result = await runCli(['validate', '--plan', 'plans/main.yaml', '--json'], { cwd })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).files).toEqual(['plans/main.yaml', 'plans/extra.yaml'])
  })

  it('says how to start when there is no plan, with exit 2 and no stack trace', async () => {
    const cwd = testdir({})
    const result = await runCli(['validate'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/no phases\/ folder/)
    expect(result.stderr).toContain('wf init')
    expect(hasStackTrace(result.stderr)).toBe(false)
    const json = JSON.parse((await runCli(['validate', '--json'], { cwd })).stdout)
    expect(json.error.code).toBe('WF_PLAN_NOT_FOUND')
  })

  it('prints the stack trace only under DEBUG=wf*', async () => {
    const cwd = testdir({ 'phases/a.yaml': 'version: 1\nphases: [{ id: a, needs: [b] }]\n' })
    expect(hasStackTrace((await runCli(['validate'], { cwd })).stderr)).toBe(false)
    expect(hasStackTrace((await runCli(['validate'], { cwd, env: { DEBUG: 'wf*' } })).stderr)).toBe(true)
  })

  it('treats an unknown flag as a usage error (exit 2) without a stack trace', async () => {
    const cwd = testdir({ 'phases/a.yaml': plan })
    const result = await runCli(['validate', '--bogus'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--bogus')
    expect(hasStackTrace(result.stderr)).toBe(false)
  })
})

describe('wf list', () => {
  it('lists phases in dependency order with needs and source', async () => {
    const cwd = testdir({ 'phases/a.yaml': plan })
    const result = await runCli(['list'], { cwd })
    expect(result.code).toBe(0)
    const ids = result.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/)[0])
    expect(ids).toEqual(['lint', 'build', 'test', 'docs'])
    expect(result.stdout).toMatch(/test\s+test\s+build\s+0\s+1\s+phases\/a\.yaml:9/)
    const json = JSON.parse((await runCli(['list', '--json'], { cwd })).stdout)
    expect(json.phases[1]).toEqual({
      id: 'build',
      name: 'Build',
      needs: ['lint'],
      tasks: 0,
      gates: 0,
      source: 'phases/a.yaml:6',
    })
  })

  it('orders phases across files by their needs', async () => {
    const cwd = testdir({
      'phases/1-late.yaml': 'version: 1\nphases: [{ id: release, needs: [build] }]\n',
      'phases/2-early.yaml': 'version: 1\nphases: [{ id: build }]\n',
    })
    const json = JSON.parse((await runCli(['list', '--json'], { cwd })).stdout)
    expect(json.phases.map((p: { id: string }) => p.id)).toEqual(['build', 'release'])
  })
})

describe('wf graph', () => {
  it('renders mermaid, dot and text', async () => {
    const cwd = testdir({ 'phases/a.yaml': plan })
    const mermaid = await runCli(['graph'], { cwd })
    expect(mermaid.stdout).toContain('flowchart TD')
    expect(mermaid.stdout).toContain('p_lint --> p_build')
    const dot = await runCli(['graph', '--format', 'dot'], { cwd })
    expect(dot.stdout).toMatch(/^digraph wf \{/)
    expect(dot.stdout).toContain('"build" -> "test";')
    const text = await runCli(['graph', '--format', 'text'], { cwd })
    expect(text.stdout).toBe('lint\n├─ build\n│  └─ test\n└─ docs\n')
    const json = JSON.parse((await runCli(['graph', '--json'], { cwd })).stdout)
    expect(json.edges).toContainEqual({ from: 'lint', to: 'docs' })
  })

  it('rejects an unknown format with exit 2', async () => {
    const cwd = testdir({ 'phases/a.yaml': plan })
    const result = await runCli(['graph', '--format', 'svg'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('svg')
  })
})

describe('wf init', () => {
  it('writes a starter that validates, and adds .wf/ to .gitignore', async () => {
    const cwd = testdir({ '.gitignore': 'node_modules/' })
    const result = await runCli(['init'], { cwd })
    expect(result.code).toBe(0)
    for (const f of [
      'phases/governance.yaml',
      'templates/SECURITY.md.njk',
      'templates/CODEOWNERS.njk',
      'contracts/event.schema.json',
    ]) {
      expect(existsSync(join(cwd, f)), f).toBe(true)
    }
    expect(readFileSync(join(cwd, '.gitignore'), 'utf8')).toBe('node_modules/\n# wf ledger and locks\n.wf/\n')
    const validate = await runCli(['validate', '--json'], { cwd })
    expect(validate.code).toBe(0)
    expect(JSON.parse(validate.stdout).phases).toBe(4)
    const list = JSON.parse((await runCli(['list', '--json'], { cwd })).stdout)
    expect(list.phases.map((p: { id: string }) => p.id)).toEqual([
      'baseline',
      'governance-files',
      'contracts',
      'quality',
    ])
  })

  it('works in a real git repository and refuses to overwrite without --force', async () => {
    const cwd = testdir({}, { git: false })
    execFileSync('git', ['init', '-q'], { cwd })
    expect((await runCli(['init'], { cwd })).code).toBe(0)
    writeFileSync(join(cwd, 'phases', 'governance.yaml'), '# mine\n')
    const again = await runCli(['init'], { cwd })
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('phases/governance.yaml')
    expect(again.stderr).toContain('--force')
    expect(readFileSync(join(cwd, 'phases', 'governance.yaml'), 'utf8')).toBe('# mine\n')
    expect((await runCli(['init', '--force'], { cwd })).code).toBe(0)
    expect(readFileSync(join(cwd, 'phases', 'governance.yaml'), 'utf8')).toContain('version: 1')
    expect(readFileSync(join(cwd, '.gitignore'), 'utf8').match(/\.wf\//g)).toHaveLength(1)
  })

  it('refuses outside a git repository', async () => {
    const cwd = testdir({}, { git: false })
    const result = await runCli(['init', '--json'], { cwd })
    expect(result.code).toBe(2)
    expect(JSON.parse(result.stdout).error.code).toBe('WF_NOT_A_REPO')
    expect(existsSync(join(cwd, 'phases'))).toBe(false)
  })
})

describe('help and version', () => {
  it('answers --version', async () => {
    const result = await runCli(['--version'], { cwd: repoRoot })
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
    expect(result.stdout).toMatch(new RegExp(`^wf/${version.replace(/\./g, '\\.')} `))
  })

  it('has --help with examples for every command', async () => {
    const root = await runCli(['--help'], { cwd: repoRoot })
    const commands = [...root.stdout.split('COMMANDS')[1]!.matchAll(/^ {2}(\S+(?: \S+)?)\s{2,}/gm)].map((m) => m[1]!)
    expect(commands).toEqual(
      expect.arrayContaining(['explain', 'graph', 'init', 'list', 'run', 'run-phase', 'status', 'validate']),
    )
    expect(root.stdout).toMatch(/TOPICS[\s\S]*\bhooks\b[\s\S]*\bledger\b[\s\S]*COMMANDS/)
    for (const command of [...commands, 'ledger verify', 'hooks install', 'hooks uninstall']) {
      const help = await runCli([...command.split(' '), '--help'], { cwd: repoRoot })
      expect(help.code, command).toBe(0)
      expect(help.stdout, command).toContain('EXAMPLES')
      expect(help.stdout, command).toContain('--cwd')
      expect(help.stdout, command).toContain('--json')
    }
  })
})
