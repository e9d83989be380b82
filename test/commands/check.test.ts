import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import Check from '../../src/commands/check.js'
import { GATE_HANDLERS } from '../../src/gates/index.js'
import { runCli } from '../cli-in-process.js'
import { git, gitRepo, repoRoot } from '../helpers.js'

const addFormats = addFormatsModule as unknown as <T extends Ajv>(ajv: T) => T
const ledger = (cwd: string) => JSON.parse(readFileSync(join(cwd, '.wf', 'ledger.json'), 'utf8'))

describe('wf check', () => {
  it('--help names exactly the gate kinds that judge files one by one, which --staged and file arguments narrow', async () => {
    const perFile = Object.entries(GATE_HANDLERS)
      .filter(([, kind]) => kind?.perFile)
      .map(([name]) => name)
      .sort()
    const listed = /file-based gates \(([^)]*)\)/.exec(Check.description ?? '')?.[1]?.split(', ')
    expect([...(listed ?? [])].sort()).toEqual(perFile)
    const help = await runCli(['check', '--help'], { cwd: repoRoot })
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(`file-based gates (${listed!.join(', ')})`)
  })

  const plan = `version: 1
phases:
  - id: build
    tasks: [{ run: "echo ran >> task.log" }]
  - id: hygiene
    needs: [build]
    gates:
      - files-absent: ["**/*.pem"]
      - file-contains: { in: "src/**/*.ts", regex: "debugger", count: 0 }
      - files-exist: [README.md]
      - command: "echo tree >> gate.log"
`

  it("runs every gate and no task, ignoring needs, and records it as each phase's last check, not as its result", async () => {
    const cwd = gitRepo({ 'phases/p.yaml': plan, 'README.md': '# x\n', 'src/a.ts': 'export {}\n' })
    const result = await runCli(['check', '--json'], { cwd })
    expect(result.code).toBe(0)
    const json = JSON.parse(result.stdout)
    expect(json.phases.map((p: { id: string; status: string }) => `${p.id}:${p.status}`)).toEqual([
      'build:passed',
      'hygiene:passed',
    ])
    expect(json.phases[1].gates).toHaveLength(4)
    expect(() => readFileSync(join(cwd, 'task.log'))).toThrow()
    expect(readFileSync(join(cwd, 'gate.log'), 'utf8')).toBe('tree\n')
    expect(ledger(cwd).phases).toEqual({})
    expect(ledger(cwd).passed).toEqual({})
    expect(ledger(cwd).checks.hygiene).toMatchObject({ status: 'passed', scope: { kind: 'full' } })
    expect(ledger(cwd).checks.hygiene.gates).toHaveLength(4)
    // The check's run record holds the same results, marked as a check, under the hash chain.
    const run = JSON.parse(readFileSync(join(cwd, '.wf', 'runs', '00000001.json'), 'utf8'))
    expect(run.check).toEqual({ kind: 'full' })
    expect(run.phases.map((p: { id: string; gatesOnly: boolean }) => `${p.id}:${p.gatesOnly}`)).toEqual([
      'build:true',
      'hygiene:true',
    ])
    // A checked phase has not run its tasks: what needs it still waits for a real run.
    const needsIt = await runCli(['run-phase', 'hygiene'], { cwd })
    expect(needsIt.code).toBe(2)
    expect(needsIt.stderr).toContain('`hygiene` needs `build` (never-run)')
  })

  it('--staged looks only at staged files and skips gates that need the whole tree', async () => {
    const cwd = gitRepo({ 'phases/p.yaml': plan, 'README.md': '# x\n', 'src/old.ts': 'debugger\n' })
    writeFileSync(join(cwd, 'src', 'new.ts'), 'export const x = 1\n')
    git(cwd, 'add', 'src/new.ts')
    const clean = await runCli(['check', '--staged', '--json'], { cwd })
    expect(clean.code).toBe(0)
    const gates = JSON.parse(clean.stdout).phases[1].gates
    expect(gates.map((g: { kind: string }) => g.kind)).toEqual(['files-absent', 'file-contains'])
    expect(() => readFileSync(join(cwd, 'gate.log'))).toThrow()
    writeFileSync(join(cwd, 'src', 'bad.ts'), 'function f() {\n  debugger\n}\n')
    writeFileSync(join(cwd, 'key.pem'), 'x')
    git(cwd, 'add', 'src/bad.ts', 'key.pem')
    const dirty = await runCli(['check', '--staged', '--json'], { cwd })
    expect(dirty.code).toBe(1)
    const failed = JSON.parse(dirty.stdout).phases[1].gates
    expect(failed[0].locations).toEqual([{ file: 'key.pem', message: 'this file must not be in the repository' }])
    expect(failed[1].locations).toEqual([{ file: 'src/bad.ts', line: 2, message: '1 match of /debugger/, expected 0' }])
  })

  it('--staged sees exactly the files git diff --cached --diff-filter=ACMR names: renames, spaces, no deletions, no unstaged edits', async () => {
    const cwd = gitRepo({
      'phases/p.yaml':
        'version: 1\nphases:\n  - id: lint\n    gates:\n      - file-contains: { in: "**/*.ts", regex: "debugger", count: 0 }\n',
      'src/move-me.ts': 'debugger // 1\n',
      'src/edit-me.ts': 'export {}\n',
      'src/delete-me.ts': 'export {}\n',
      'src/later.ts': 'export {}\n',
    })
    git(cwd, 'mv', 'src/move-me.ts', 'src/moved.ts')
    writeFileSync(join(cwd, 'src', 'edit-me.ts'), 'debugger // 2\n')
    writeFileSync(join(cwd, 'src', 'with space.ts'), 'debugger // 3\n')
    git(cwd, 'add', 'src/edit-me.ts', 'src/with space.ts')
    git(cwd, 'rm', '--quiet', 'src/delete-me.ts')
    writeFileSync(join(cwd, 'src', 'later.ts'), 'debugger // unstaged\n')
    writeFileSync(join(cwd, 'src', 'untracked.ts'), 'debugger // untracked\n')
    const expected = git(cwd, 'diff', '--cached', '--name-only', '--diff-filter=ACMR', '-z')
      .split('\0')
      .filter(Boolean)
      .sort()
    expect(expected).toEqual(['src/edit-me.ts', 'src/moved.ts', 'src/with space.ts'])
    const result = await runCli(['check', '--staged', '--json'], { cwd })
    expect(result.code).toBe(1)
    const files = JSON.parse(result.stdout).phases[0].gates[0].locations.map((l: { file: string }) => l.file)
    expect(files.sort()).toEqual(expected)
  })

  it('takes file names and phase ids as arguments, as the pre-commit framework passes them', async () => {
    const cwd = gitRepo({
      'phases/p.yaml': plan,
      'README.md': '# x\n',
      'src/old.ts': 'debugger\n',
      'src/ok.ts': 'export {}\n',
    })
    const ok = await runCli(['check', 'hygiene', 'src/ok.ts', '--json'], { cwd })
    expect(ok.code).toBe(0)
    expect(JSON.parse(ok.stdout).phases.map((p: { id: string }) => p.id)).toEqual(['hygiene'])
    const bad = await runCli(['check', 'src/old.ts'], { cwd })
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain('src/old.ts: 1 match of /debugger/, expected 0')
    expect(bad.stdout).toMatch(/✖ check failed: 1 passed, 1 failed/)
    const outside = await runCli(['check', '../elsewhere.ts'], { cwd })
    expect(outside.code).toBe(2)
    expect(outside.stderr).toContain('neither a phase of the plan nor a file inside the repository')
  })

  it('records what each check looked at: phases named, files named (listed up to 20), staged files', async () => {
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`src/m${i}.ts`, 'export {}\n']))
    const cwd = gitRepo({ 'phases/p.yaml': plan, 'README.md': '# x\n', 'src/ok.ts': 'export {}\n', ...many })
    const scopeAfter = async (args: string[]) => {
      expect((await runCli(['check', ...args], { cwd })).code).toBe(0)
      return ledger(cwd).checks.hygiene.scope
    }
    expect(await scopeAfter(['hygiene'])).toEqual({ kind: 'phases' })
    expect(await scopeAfter(['src/ok.ts', 'README.md'])).toEqual({
      kind: 'files',
      fileCount: 2,
      files: ['src/ok.ts', 'README.md'],
    })
    expect(await scopeAfter(Object.keys(many))).toEqual({ kind: 'files', fileCount: 21 })
    writeFileSync(join(cwd, 'src', 'new.ts'), 'export {}\n')
    git(cwd, 'add', 'src/new.ts')
    expect(await scopeAfter(['--staged'])).toEqual({ kind: 'staged', fileCount: 1, files: ['src/new.ts'] })
    expect(await scopeAfter([])).toEqual({ kind: 'full' })
  })

  it('refuses an argument that is neither a phase nor an existing file, naming the closest phase', async () => {
    const cwd = gitRepo({ 'phases/p.yaml': plan, 'README.md': '# x\n', 'src/a.ts': 'export {}\n' })
    const typo = await runCli(['check', 'biuld'], { cwd })
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('biuld is neither a phase of the plan nor a file')
    expect(typo.stderr).toContain('did you mean `build`?')
    expect(typo.stdout).not.toContain('check passed')
    const missing = await runCli(['check', 'src/gone.ts'], { cwd })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('src/gone.ts is neither a phase of the plan nor a file')
    expect(missing.stderr).not.toContain('did you mean')
    // A directory would match no file-based gate and pass having looked at nothing.
    const folder = await runCli(['check', 'src'], { cwd })
    expect(folder.code).toBe(2)
    expect(folder.stderr).toContain('src is a directory')
    expect(existsSync(join(cwd, '.wf', 'ledger.json'))).toBe(false)
  })

  it('never records what a phase passed with, even when an approval gate makes a check fingerprint it', async () => {
    const cwd = gitRepo({
      'phases/p.yaml': `version: 1
phases:
  - id: release
    tasks: [{ run: "echo ran >> task.log" }]
    gates:
      - approval: { approvers: [alice] }
`,
    })
    expect((await runCli(['approve', 'release', '--by', 'alice'], { cwd })).code).toBe(0)
    expect((await runCli(['check'], { cwd })).code).toBe(0)
    expect(ledger(cwd).passed).toEqual({})
    const run = await runCli(['run'], { cwd })
    expect(run.code).toBe(0)
    expect(readFileSync(join(cwd, 'task.log'), 'utf8')).toBe('ran\n')
  })
})

describe('a check beside the phase result', () => {
  const plan = `version: 1
phases:
  - id: build
    tasks: [{ run: "echo built" }]
    gates:
      - forbid: { patterns: ["TODO-SECRET"], in: ["src/**"] }
  - id: docs
    gates:
      - files-exist: [README.md]
`
  const report = async (cwd: string, format: string) => {
    const result = await runCli(['report', '--format', format], { cwd, env: { GITHUB_ACTIONS: undefined } })
    expect(result.code, result.stderr).toBe(0)
    return result.stdout
  }

  it('a passing `wf check --staged` leaves a failed phase failed in wf status and every report format', async () => {
    const cwd = gitRepo({ 'phases/p.yaml': plan, 'README.md': '# x\n', 'src/a.js': 'const k = "TODO-SECRET"\n' })
    expect((await runCli(['run', '--only', 'build'], { cwd })).code).toBe(1)
    writeFileSync(join(cwd, 'src', 'b.js'), 'export const b = 1\n')
    git(cwd, 'add', 'src/b.js')
    const check = await runCli(['check', '--staged'], { cwd })
    expect(check.code).toBe(0)
    expect(check.stdout).toContain('check passed')

    const status = await runCli(['status'], { cwd })
    expect(status.stdout).toMatch(/^PHASE\s+STATUS\s+WHEN\s+DURATION\s+COMMIT\s+LAST CHECK$/m)
    expect(status.stdout).toMatch(/^build\s+failed\s.*passed \(staged, 1 file\) \d+s ago$/m)
    expect(status.stdout).toMatch(/^docs\s+never-run\s.*passed \(staged, 1 file; no gate applied\)/m)
    const detailed = await runCli(['status', '--detailed'], { cwd })
    expect(detailed.stdout).toContain('build (build): failed')
    expect(detailed.stdout).toMatch(/gate failed\s+forbid .*src\/a\.js/)
    expect(detailed.stdout).toMatch(/last check: passed \(staged, 1 file\) \d+s ago, run 2-/)
    const json = JSON.parse((await runCli(['status', '--json'], { cwd })).stdout)
    expect(json.phases[0]).toMatchObject({
      id: 'build',
      status: 'failed',
      check: { status: 'passed', scope: { kind: 'staged', fileCount: 1, files: ['src/b.js'] }, gates: { passed: 1 } },
    })
    expect(json.phases[1]).toMatchObject({ id: 'docs', status: 'never-run', check: { status: 'passed' } })

    const data = JSON.parse(await report(cwd, 'json'))
    const ajv = addFormats(new Ajv({ allErrors: true }))
    const validate = ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'contracts', 'report.schema.json'), 'utf8')))
    expect(validate(data), ajv.errorsText(validate.errors)).toBe(true)
    expect(data.status).toBe('failed')
    expect(data.phases[0]).toMatchObject({ id: 'build', status: 'failed', check: { status: 'passed' } })
    expect(data.phases[0].gates[0]).toMatchObject({ status: 'failed', locations: [{ file: 'src/a.js', line: 1 }] })
    expect(data.phases[1]).toMatchObject({ id: 'docs', status: 'never-run', check: { status: 'passed', gates: [] } })
    const [markdown, junit, sarif, html] = [
      await report(cwd, 'markdown'),
      await report(cwd, 'junit'),
      await report(cwd, 'sarif'),
      await report(cwd, 'html'),
    ]
    expect(markdown).toContain('# wf report: ❌ failed')
    expect(markdown).toMatch(/\| build \| ❌ failed \|.*\| ✅ passed \(staged, 1 file\) \d+s ago \|/)
    expect(markdown).toMatch(/\| docs \| ▫️ never run \|/)
    expect(junit).toMatch(
      /<testsuite name="build"[^>]*>\s*<properties>[\s\S]*?"phase.status" value="failed"[\s\S]*?"check.status" value="passed"/,
    )
    expect(junit).toContain('<property name="check.scope" value="staged, 1 file"/>')
    expect(junit).toMatch(/<failure message="1 forbidden match in 1 file: src\/a\.js:1"/)
    const log = JSON.parse(sarif).runs[0]
    expect(log.properties.status).toBe('failed')
    expect(
      log.results.map((r: { level: string; properties: { phase: string } }) => `${r.properties.phase}:${r.level}`),
    ).toEqual(['build:error'])
    expect(log.properties.lastChecks.build).toMatchObject({ status: 'passed', scope: 'staged, 1 file' })
    expect(html).toMatch(
      /<summary><span class="badge bad">failed<\/span> <strong>build<\/strong>.*last check<\/span> <span class="badge ok">passed<\/span>/,
    )
    expect(html).toMatch(/<summary><span class="badge idle">never run<\/span> <strong>docs<\/strong>/)
  })
})
