import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { git } from '../helpers.js'
import { repo } from './hooks-repo.js'

describe('wf hooks install', () => {
  it('respects core.hooksPath, and leaves husky and lefthook configuration alone', async () => {
    const cwd = repo()
    git(cwd, 'config', 'core.hooksPath', 'tools/hooks')
    mkdirSync(join(cwd, 'tools', 'hooks'), { recursive: true })
    expect((await runCli(['hooks', 'install', '--hook', 'pre-push'], { cwd })).code).toBe(0)
    expect(readFileSync(join(cwd, 'tools', 'hooks', 'pre-push'), 'utf8')).toMatch(/check\n$/)

    const husky = repo()
    mkdirSync(join(husky, '.husky'))
    const h = await runCli(['hooks', 'install', '--json'], { cwd: husky })
    expect(JSON.parse(h.stdout)).toMatchObject({ action: 'manager', manager: 'husky' })
    expect(JSON.parse(h.stdout).line).toContain('.husky/pre-commit')
    expect(existsSync(join(husky, '.git', 'hooks', 'pre-commit'))).toBe(false)

    const lefthook = repo()
    writeFileSync(join(lefthook, 'lefthook.yml'), 'pre-commit:\n  commands: {}\n')
    const l = await runCli(['hooks', 'install'], { cwd: lefthook })
    expect(l.stdout).toContain('lefthook manages this repository')
    expect(readFileSync(join(lefthook, 'lefthook.yml'), 'utf8')).toBe('pre-commit:\n  commands: {}\n')
  })
})
