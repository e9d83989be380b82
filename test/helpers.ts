import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('..', import.meta.url))
export const binPath = join(repoRoot, 'bin', 'run.js')

const made: string[] = []

/** Removes the temp folders made so far (test/setup.ts calls it after each test file). */
export function removeTestdirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/** Creates a temp folder holding `tree` (path → content) and removes it after the test file. */
export function testdir(tree: Record<string, string | Buffer> = {}, options: { git?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'wf-test-'))
  made.push(dir)
  if (options.git !== false) mkdirSync(join(dir, '.git'))
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  return dir
}

export interface WfResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Starts the built CLI (bin/run.js) as a real process; `done` resolves with its exit code and output. */
export function spawnWf(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; detached?: boolean },
) {
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', DEBUG: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const done = new Promise<WfResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
  return { child, done, output: () => ({ stdout, stderr }) }
}

/** Runs the built CLI (bin/run.js) as a real process. */
export function runWf(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
): Promise<WfResult> {
  return spawnWf(args, options).done
}

/** True when the text contains a JavaScript stack trace. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+(\(.+:\d+:\d+\)|:\d+:\d+)$/m.test(text)
}

/** Runs git in a folder as a fixed test user; returns its output. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Tess', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' })
}

/** A real git repository on branch `main` holding `files`, all committed. */
export function gitRepo(files: Record<string, string>): string {
  const cwd = testdir(files, { git: false })
  git(cwd, 'init', '-q', '-b', 'main')
  git(cwd, 'add', '-A')
  git(cwd, 'commit', '-q', '-m', 'initial')
  return cwd
}
