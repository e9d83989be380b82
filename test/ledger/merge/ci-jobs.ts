// Repositories and ledgers as parallel CI jobs leave them, for the tests of `wf ledger merge`.
import { cpSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { runCli } from '../../cli-in-process.js'
import { gitRepo, testdir } from '../../helpers.js'

/** Two independent phases and one that needs both. */
export const PLAN = `version: 1
phases:
  - id: a
    inputs: [a.txt]
    tasks: [{ run: "echo a" }]
  - id: b
    inputs: [b.txt]
    tasks: [{ run: "echo b" }]
  - id: c
    needs: [a, b]
    inputs: [a.txt, b.txt]
    gates: [{ files-exist: [a.txt, b.txt] }]
`

/** A repository holding PLAN, committed. */
export const base = () => gitRepo({ 'phases/ci.yaml': PLAN, 'a.txt': 'a\n', 'b.txt': 'b\n', '.gitignore': '.wf/\n' })

/** Copies of one repository, as separate CI jobs would check it out. */
export function copies(repo: string, ...names: string[]): string[] {
  const root = testdir({}, { git: false })
  return names.map((name) => {
    const dir = join(root, name)
    cpSync(repo, dir, { recursive: true })
    return dir
  })
}

/** Runs wf in this process. */
export const wf = (cwd: string, ...args: string[]) => runCli(args, { cwd })

/** Runs wf in this process and expects exit 0. */
export async function ok(cwd: string, ...args: string[]) {
  const result = await wf(cwd, ...args)
  expect(result.code, `wf ${args.join(' ')}: ${result.stderr}`).toBe(0)
  return result
}

/** Each phase's status as `wf status` gives it. */
export async function statuses(cwd: string): Promise<Record<string, string>> {
  const result = await ok(cwd, 'status', '--json')
  return Object.fromEntries(
    (JSON.parse(result.stdout) as { phases: { id: string; status: string }[] }).phases.map((p) => [p.id, p.status]),
  )
}

/** A JSON file's content. */
export const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'))
