import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { git, gitRepo } from '../helpers.js'

const ledger = (cwd: string) => JSON.parse(readFileSync(join(cwd, '.wf', 'ledger.json'), 'utf8'))

describe('wf check', () => {
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

  it('runs every gate and no task, ignoring needs, and records the result without marking the phase passed', async () => {
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
    expect(ledger(cwd).phases.hygiene).toMatchObject({ status: 'passed', gatesOnly: true })
    expect(ledger(cwd).passed).toEqual({})
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
})
