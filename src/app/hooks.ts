import { existsSync } from 'node:fs'
import { chmod, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { isAbsolute, join, relative } from 'node:path'
import { WfError } from '../lib/errors.js'
import { RepoBoundary } from '../lib/inside-repo.js'
import { packageRoot } from '../lib/package-root.js'
import { gitClient } from '../lib/git.js'

export type HookName = 'pre-commit' | 'pre-push'

const MARK = '# installed by `wf hooks install`'

export interface HookResult {
  /** What was done: written, already there, or left to a hook manager (with the line to add). */
  action: 'installed' | 'unchanged' | 'manager' | 'removed' | 'absent'
  path?: string
  backup?: string
  manager?: 'husky' | 'lefthook'
  line: string
}

/** The command a hook runs: the repository's own wf when it has one, else the wf that installs the hook. */
function wfCommand(root: string, hook: HookName): string {
  const args = hook === 'pre-commit' ? 'check --staged' : 'check'
  if (existsSync(join(root, 'node_modules', '.bin', 'wf'))) return `./node_modules/.bin/wf ${args}`
  const bin = join(packageRoot, 'bin', 'run.js')
  return `"${process.execPath}" "${bin}" ${args}`
}

async function hooksDir(root: string): Promise<string> {
  const git = await gitClient(root)
  if (!git) throw new WfError('WF_NOT_A_REPO', `${root} is not a git repository`, { hint: 'run `git init` first' })
  const dir = (await git.raw(['rev-parse', '--git-path', 'hooks'])).trim()
  return isAbsolute(dir) ? dir : join(root, dir)
}

/**
 * How hook files are read and written: inside the repository (`.git/hooks`, or a core.hooksPath
 * in it) never through a link out of it; a hooks folder configured outside the repository as given.
 */
async function hookFiles(
  root: string,
  dir: string,
): Promise<{ read: (path: string) => Promise<string>; write: (path: string, text: string) => Promise<void> }> {
  const boundary = new RepoBoundary(root)
  if (!boundary.covers(dir))
    return {
      read: (path) => readFile(path, 'utf8'),
      write: async (path, text) => {
        await writeFile(path, text)
        await chmod(path, 0o755)
      },
    }
  await boundary.resolve(dir).catch((error: unknown) => {
    if (error instanceof WfError) throw error
  })
  return {
    read: (path) => boundary.readFile(path, 'utf8'),
    write: (path, text) => boundary.writeFile(path, text, { durable: false, mode: 0o755 }),
  }
}

function detectManager(root: string, dir: string): 'husky' | 'lefthook' | undefined {
  if (existsSync(join(root, '.husky')) || relative(root, dir).startsWith('.husky')) return 'husky'
  if (['lefthook.yml', '.lefthook.yml', 'lefthook.yaml', '.lefthook.yaml'].some((f) => existsSync(join(root, f))))
    return 'lefthook'
  return undefined
}

/**
 * Writes a git hook that runs `wf check --staged` (pre-commit) or `wf check` (pre-push), in the
 * hooks folder git uses (core.hooksPath respected). A hook that was there is kept beside it and
 * run first. With husky or lefthook, nothing is written: the line to add is returned instead.
 */
export async function installHook(root: string, hook: HookName): Promise<HookResult> {
  const dir = await hooksDir(root)
  const command = wfCommand(root, hook)
  const manager = detectManager(root, dir)
  if (manager === 'husky') return { action: 'manager', manager, line: `add to .husky/${hook}:  ${command}` }
  if (manager === 'lefthook')
    return {
      action: 'manager',
      manager,
      line: `add to lefthook.yml:\n${hook}:\n  commands:\n    wf:\n      run: ${command}`,
    }
  const path = join(dir, hook)
  const backup = `${path}.wf-backup`
  const { read, write } = await hookFiles(root, dir)
  const current = existsSync(path) ? await read(path) : undefined
  const script = (chain: boolean) =>
    [
      '#!/bin/sh',
      `${MARK}; \`wf hooks uninstall\` restores what was here.`,
      ...(chain ? [`"$(dirname "$0")/${hook}.wf-backup" "$@" || exit $?`] : []),
      `exec ${command}`,
      '',
    ].join('\n')
  if (current?.includes(MARK)) {
    const wanted = script(existsSync(backup))
    if (current === wanted) return { action: 'unchanged', path, line: command }
    await write(path, wanted)
    return { action: 'installed', path, line: command }
  }
  if (current !== undefined) await rename(path, backup)
  await write(path, script(current !== undefined))
  return { action: 'installed', path, ...(current !== undefined ? { backup } : {}), line: command }
}

/** Removes a hook written by installHook and puts back the one it replaced. */
export async function uninstallHook(root: string, hook: HookName): Promise<HookResult> {
  const dir = await hooksDir(root)
  const path = join(dir, hook)
  const current = existsSync(path) ? await (await hookFiles(root, dir)).read(path) : undefined
  if (!current?.includes(MARK))
    return {
      action: 'absent',
      path,
      line: current === undefined ? 'no hook installed' : 'the hook there was not written by wf; left alone',
    }
  await unlink(path)
  const backup = `${path}.wf-backup`
  if (existsSync(backup)) {
    await rename(backup, path)
    return { action: 'removed', path, backup, line: 'restored the hook that was there before' }
  }
  return { action: 'removed', path, line: 'removed' }
}
