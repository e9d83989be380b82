import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sha256 } from '../../src/lib/files.js'
import { runCli } from '../cli-in-process.js'
import { fixRepo } from '../fix-repo.js'
import { git, gitRepo } from '../helpers.js'

const repo = fixRepo
const read = (cwd: string, path: string) => readFileSync(join(cwd, path), 'utf8')
const statuses = (stdout: string) =>
  Object.fromEntries((JSON.parse(stdout).gates as { gate: string; status: string }[]).map((g) => [g.gate, g.status]))

describe('wf fix', () => {
  it('--dry-run prints each change as a diff and each command, lists manual reasons, and writes nothing', async () => {
    const cwd = repo()
    const { code, stdout } = await runCli(['fix', '--dry-run'], { cwd })
    expect(code).toBe(1)
    expect(stdout).toContain('would fix gov › security policy: write SECURITY.md from builtin:security-policy')
    expect(stdout).toMatch(/--- \/dev\/null\n +\+\+\+ b\/SECURITY\.md\n +@@ -0,0 \+1,\d+ @@\n +\+# Security policy/)
    expect(stdout).toContain('+- by email to **sec@acme.dev**.')
    expect(stdout).toContain('would run: echo noted > NOTES.txt')
    expect(stdout).toContain("manual    gov › pinned: pinning needs the tag's commit: look it up and pin it by hand")
    expect(stdout).toContain(
      '2 of 3 failing gates would be fixed; 1 cannot be fixed by wf (dry run: nothing was written)',
    )
    expect(git(cwd, 'status', '--porcelain')).toBe('')
    expect(existsSync(join(cwd, '.wf'))).toBe(false)
  })

  it('applies template and command fixes, after which `wf check` passes them; a manual fix is listed with its reason', async () => {
    const cwd = repo()
    const fixed = await runCli(['fix', '--json'], { cwd })
    expect(fixed.code).toBe(1)
    expect(statuses(fixed.stdout)).toEqual({ 'security policy': 'fixed', notes: 'fixed', pinned: 'manual' })
    const pinned = JSON.parse(fixed.stdout).gates.find((g: { gate: string }) => g.gate === 'pinned')
    expect(pinned.message).toBe("pinning needs the tag's commit: look it up and pin it by hand")
    expect(read(cwd, 'SECURITY.md')).toContain('by email to **sec@acme.dev**')
    expect(read(cwd, 'NOTES.txt')).toBe('noted\n')
    const check = await runCli(['check', '--json'], { cwd })
    const gates = JSON.parse(check.stdout).phases[0].gates.map((g: { name: string; status: string }) => [
      g.name,
      g.status,
    ])
    expect(gates).toEqual([
      ['security policy', 'passed'],
      ['notes', 'passed'],
      ['pinned', 'failed'],
    ])
    const text = await runCli(['fix'], { cwd })
    expect(text.stdout).toContain('0 fixed, 0 still failing, 1 cannot be fixed by wf')
  })

  it('exits 0 when every failing gate it was asked about is fixed (--gate)', async () => {
    const cwd = repo()
    const { code, stdout } = await runCli(['fix', '--gate', 'notes'], { cwd })
    expect(code).toBe(0)
    expect(stdout).toContain('fixed     gov › notes: run `echo noted > NOTES.txt`')
    expect(existsSync(join(cwd, 'SECURITY.md'))).toBe(false)
    const unknown = await runCli(['fix', '--gate', 'note'], { cwd })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no gate named `note`')
    expect(unknown.stderr).toContain('did you mean `notes`?')
  })

  it("reports a gate whose command fails, with the command's output, as still failing", async () => {
    const cwd = gitRepo({
      'phases/p.yaml': `version: 1
phases:
  - id: p
    gates:
      - name: built
        files-exist: [out.txt]
        fix: { run: "echo no compiler here >&2; exit 3" }
`,
    })
    const { code, stdout } = await runCli(['fix'], { cwd })
    expect(code).toBe(1)
    expect(stdout).toContain(
      'failing   p › built: `echo no compiler here >&2; exit 3` exited with 3:\n    no compiler here',
    )
    expect(stdout).toContain('0 fixed, 1 still failing, 0 cannot be fixed by wf')
  })

  it('records a file it writes as generated: a later hand edit is drift', async () => {
    const cwd = repo()
    await runCli(['fix', '--gate', 'security policy'], { cwd })
    const ledger = JSON.parse(read(cwd, '.wf/ledger.json'))
    expect(ledger.generated['SECURITY.md']).toMatchObject({
      hash: sha256(read(cwd, 'SECURITY.md')),
      source: 'builtin:security-policy',
      phase: 'gov',
    })
    writeFileSync(join(cwd, 'SECURITY.md'), `${read(cwd, 'SECURITY.md')}\nedited by hand\n`)
    const regenerate = await runCli(
      ['generate', 'template', 'builtin:security-policy', '--to', 'SECURITY.md', '--var', 'contact=sec@acme.dev'],
      { cwd },
    )
    expect(regenerate.code).toBe(1)
    expect(regenerate.stdout + regenerate.stderr).toContain('edited since wf wrote it')
    expect(read(cwd, 'SECURITY.md')).toContain('edited by hand')
  })

  const contains = `version: 1
phases:
  - id: gov
    gates:
      - name: reporting
        file-contains: { in: SECURITY.md, text: "Reporting a vulnerability" }
        fix: { template: builtin:security-policy, to: SECURITY.md, vars: { contact: sec@acme.dev } }
      - name: same file
        file-contains: { in: SECURITY.md, text: "What to expect" }
        fix: { template: builtin:security-policy, to: SECURITY.md, vars: { contact: other@acme.dev } }
`

  it('refuses to write over uncommitted changes without --yes; with it, saves the file first', async () => {
    const cwd = gitRepo({ 'phases/gov.yaml': contains, '.gitignore': '.wf/\n', 'SECURITY.md': 'Mail us.\n' })
    writeFileSync(join(cwd, 'SECURITY.md'), 'Mail us, today.\n')
    const dry = await runCli(['fix', '--gate', 'reporting', '--dry-run'], { cwd })
    expect(dry.stdout).toContain('refused   gov › reporting: SECURITY.md has uncommitted changes')
    const refused = await runCli(['fix', '--gate', 'reporting'], { cwd })
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain('refused   gov › reporting: SECURITY.md has uncommitted changes')
    expect(refused.stdout).toContain('pass --yes')
    expect(read(cwd, 'SECURITY.md')).toBe('Mail us, today.\n')
    const forced = await runCli(['fix', '--gate', 'reporting', '--yes'], { cwd })
    expect(forced.code).toBe(0)
    expect(read(cwd, 'SECURITY.md')).toContain('## Reporting a vulnerability')
    const backups = readdirSync(join(cwd, '.wf', 'backup'), { recursive: true, encoding: 'utf8' })
    const saved = backups.find((p) => p.endsWith('SECURITY.md'))!
    expect(read(cwd, join('.wf', 'backup', saved))).toBe('Mail us, today.\n')
  })

  it('writes over a committed file, and lets the first of two fixes of one file win', async () => {
    const cwd = gitRepo({ 'phases/gov.yaml': contains, '.gitignore': '.wf/\n', 'SECURITY.md': 'Mail us.\n' })
    const { code, stdout } = await runCli(['fix'], { cwd })
    expect(stdout).toContain('fixed     gov › reporting')
    expect(stdout).toContain('skipped   gov › same file: SECURITY.md is written by the fix of `reporting` (gov) first')
    expect(code).toBe(1)
    expect(read(cwd, 'SECURITY.md')).toContain('sec@acme.dev')
  })

  it('`wf check --fix` does what `wf fix` does', async () => {
    const [a, b] = [repo(), repo()]
    const fix = await runCli(['fix', '--json'], { cwd: a })
    const check = await runCli(['check', '--fix', '--json'], { cwd: b })
    expect(check.code).toBe(fix.code)
    expect(statuses(check.stdout)).toEqual(statuses(fix.stdout))
    expect(read(b, 'SECURITY.md')).toContain('by email to **sec@acme.dev**')
    expect(read(b, 'NOTES.txt')).toBe('noted\n')
    const dry = await runCli(['check', '--fix', '--dry-run'], { cwd: repo() })
    expect(dry.stdout).toContain('(dry run: nothing was written)')
    const staged = await runCli(['check', '--fix', '--staged'], { cwd: a })
    expect(staged.code).toBe(2)
  })
})
