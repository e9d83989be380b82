// Many files, few file descriptors: wf's walks and reads keep a bounded number of files open.
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { binPath, git, hasStackTrace, testdir } from '../helpers.js'

describe('file walks', () => {
  it('runs a phase over 5,000 files (inputs and a forbid gate over **/*) with only 64 file descriptors', {
    timeout: 120_000,
  }, async () => {
    const cwd = testdir(
      {
        'phases/plan.yaml': `version: 1
phases:
  - id: everything
    inputs: ["**/*", "src/**"]
    tasks: [{ run: "true" }]
    gates:
      - forbid: { patterns: ["BEGIN RSA [P]RIVATE KEY"], in: ["**/*"] }
`,
      },
      { git: false },
    )
    git(cwd, 'init', '-q', '-b', 'main')
    for (let d = 0; d < 50; d++) {
      mkdirSync(join(cwd, 'src', `d${d}`), { recursive: true })
      for (let f = 0; f < 100; f++) writeFileSync(join(cwd, 'src', `d${d}`, `f${f}.ts`), `export const v = ${f}\n`)
    }
    const child = spawn(
      'sh',
      ['-c', `ulimit -n 64 && exec "$0" "$1" run --reporter plain`, process.execPath, binPath],
      {
        cwd,
        env: { ...process.env, NO_COLOR: '1', DEBUG: '', GITHUB_ACTIONS: undefined },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(stderr).not.toContain('EMFILE')
    expect(hasStackTrace(stderr)).toBe(false)
    expect(code, `${stdout}\n${stderr}`).toBe(0)
    expect(stdout).toContain('in 5001 scanned files')
  })
})
