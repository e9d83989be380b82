import { copyFileSync, lstatSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { runCli } from '../cli-in-process.js'
import { git, repoRoot, testdir } from '../helpers.js'

// The built-in presets wf adopts for itself, each as a phase of the same name.
const PRESETS = [
  'actions-hygiene',
  'secrets',
  'security-policy',
  'repo-hygiene',
  'binary-artifacts',
  'markdown-links',
  'licensing',
  'docs',
]

/** A copy of wf's working tree (the files git does not ignore, as they are now), so checking it writes nothing into the repository. */
function copyOfRepository(): string {
  const copy = testdir()
  const files = git(repoRoot, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0')
  for (const file of files) {
    // Deleted files, and the node_modules link of a git worktree, are not copied.
    const from = join(repoRoot, file)
    if (!file || !lstatSync(from, { throwIfNoEntry: false })?.isFile()) continue
    mkdirSync(dirname(join(copy, file)), { recursive: true })
    copyFileSync(from, join(copy, file))
  }
  return copy
}

describe("wf's own plan", () => {
  it('validates', async () => {
    const result = await runCli(['validate', '--json'], { cwd: repoRoot })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: true, files: ['phases/wf.yaml'] })
  })

  it('orders plan before build, leaves the test suite to `npm test`, and extends the built-in governance phase', async () => {
    const { phases } = JSON.parse((await runCli(['list', '--json'], { cwd: repoRoot })).stdout)
    const ids = phases.map((p: { id: string }) => p.id)
    expect(ids.indexOf('plan')).toBeLessThan(ids.indexOf('build'))
    // The default plan is the README's first command: no phase may run the suite (minutes, Chromium).
    expect(ids).not.toContain('test')
    const plan = parse(readFileSync(join(repoRoot, 'phases', 'wf.yaml'), 'utf8'))
    const commands = plan.phases.flatMap((p: { tasks?: { run?: string }[]; gates?: { command?: string }[] }) => [
      ...(p.tasks ?? []).map((t) => t.run),
      ...(p.gates ?? []).map((g) => g.command),
    ])
    expect(commands.filter((c: string | undefined) => c && /vitest|npm (run )?test/.test(c))).toEqual([])
    const governance = phases.find((p: { id: string }) => p.id === 'governance')
    expect(governance.gates).toBeGreaterThan(5)
  })

  it('holds wf to the built-in presets it offers, and passes them', async () => {
    const { phases } = JSON.parse((await runCli(['list', '--json'], { cwd: repoRoot })).stdout)
    expect(phases.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(PRESETS))
    const result = await runCli(['check', ...PRESETS, '--json'], { cwd: copyOfRepository() })
    const checked: { id: string; gates: { name: string; status: string; message: string }[] }[] = JSON.parse(
      result.stdout,
    ).phases
    expect(checked.map((p) => p.id).sort()).toEqual([...PRESETS].sort())
    const notPassed = checked.flatMap((p) => p.gates.filter((g) => g.status !== 'passed').map((g) => [p.id, g]))
    expect(notPassed).toEqual([])
    expect(result.code).toBe(0)
  })
})
