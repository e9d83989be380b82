import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GitRepository } from '../../src/lib/git.js'
import { readSchemaSetAt } from '../../src/contracts/schema-set.js'
import { runCli } from '../cli-in-process.js'
import { gitRepo, testdir } from '../helpers.js'

describe('git refs from plans are never taken for options', () => {
  it('`changed: { since }` starting with `-` is refused by validate, with its place in the plan', async () => {
    const out = join(testdir(), 'written')
    const cwd = gitRepo({
      'phases/plan.yaml': `version: 1\nphases:\n  - id: a\n    when: { changed: { paths: src, since: "--output=${out}" } }\n    tasks: [{ run: "true" }]\n`,
    })
    const result = await runCli(['validate'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/phases\/plan\.yaml:4:\d+/)
    expect(result.stderr).toContain('since')
    expect(existsSync(out)).toBe(false)
    expect(existsSync(`${out}...HEAD`)).toBe(false)
  })

  it('a ref that looks like an option reaches git as a ref: git refuses it and writes nothing', async () => {
    const out = join(testdir(), 'written')
    const cwd = gitRepo({ 'contracts/a.json': '{"type": "object"}\n' })
    await expect(new GitRepository(cwd).changedFiles(`--output=${out}`)).rejects.toThrow()
    await expect(readSchemaSetAt(cwd, 'contracts', `--output=${out}`)).rejects.toThrow(/unknown git ref/)
    expect(existsSync(`${out}...HEAD`)).toBe(false)
    expect(existsSync(out)).toBe(false)
  })
})
