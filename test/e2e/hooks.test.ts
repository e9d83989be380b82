// Commits through installed hooks: git runs the hook, the hook runs bin/run.js. Installing runs in-process.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { git } from '../helpers.js'
import { repo } from '../app/hooks-repo.js'

/** `git commit` through the installed hook, as a person would run it. */
const commit = (cwd: string, message: string) =>
  spawnSync('git', ['-c', 'user.name=Tess', '-c', 'user.email=t@t', 'commit', '-m', message], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  })

describe('wf hooks', () => {
  it('installs a pre-commit hook that refuses a commit adding a key, naming file and line, and lets a clean one through', async () => {
    const cwd = repo()
    const install = await runCli(['hooks', 'install'], { cwd })
    expect(install.code).toBe(0)
    const hook = join(cwd, '.git', 'hooks', 'pre-commit')
    expect(statSync(hook).mode & 0o111).not.toBe(0)
    expect(readFileSync(hook, 'utf8')).toContain('check --staged')

    writeFileSync(join(cwd, 'deploy.env'), 'REGION=eu-west-1\nAWS_ACCESS_KEY_ID=AKIAZ7QWERTYUIOPASDF\n')
    git(cwd, 'add', 'deploy.env')
    const refused = commit(cwd, 'add deploy settings')
    expect(refused.status).not.toBe(0)
    expect(refused.stdout + refused.stderr).toMatch(/deploy\.env:2:\d+ {2}AWS Access Key ID: AKIA\*+/)
    expect(refused.stdout + refused.stderr).not.toContain('AKIAZ7QWERTYUIOPASDF')
    expect(git(cwd, 'log', '--oneline')).not.toContain('add deploy settings')

    writeFileSync(join(cwd, 'deploy.env'), 'REGION=eu-west-1\n')
    git(cwd, 'add', 'deploy.env')
    const accepted = commit(cwd, 'add deploy settings')
    expect(accepted.status, accepted.stderr).toBe(0)
    expect(git(cwd, 'log', '--oneline')).toContain('add deploy settings')
  })

  it('keeps an existing hook, runs it first, and restores it on uninstall', async () => {
    const cwd = repo()
    const hook = join(cwd, '.git', 'hooks', 'pre-commit')
    writeFileSync(hook, '#!/bin/sh\necho mine >> "$(git rev-parse --show-toplevel)/mine.log"\n', { mode: 0o755 })
    expect((await runCli(['hooks', 'install'], { cwd })).stdout).toContain('the hook that was there runs first')
    expect((await runCli(['hooks', 'install'], { cwd })).stdout).toContain('already installed')
    writeFileSync(join(cwd, 'a.txt'), 'a\n')
    git(cwd, 'add', 'a.txt')
    expect(commit(cwd, 'a').status).toBe(0)
    expect(readFileSync(join(cwd, 'mine.log'), 'utf8')).toBe('mine\n')
    const removed = await runCli(['hooks', 'uninstall'], { cwd })
    expect(removed.stdout).toContain('restored the hook that was there before')
    expect(readFileSync(hook, 'utf8')).toContain('echo mine')
    expect(existsSync(`${hook}.wf-backup`)).toBe(false)
    expect((await runCli(['hooks', 'uninstall'], { cwd })).stdout).toContain('not written by wf; left alone')
  })
})
