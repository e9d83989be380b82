import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo, runWf } from '../helpers.js'

// What most command tests rely on: running a command in the test process gives what running
// bin/run.js gives (exit code, and output up to times, durations and run ids).
describe('commands run in-process', () => {
  const normalize = (text: string) =>
    text
      .replace(/^\d\d:\d\d:\d\d /gm, '')
      .replace(/\d+(\.\d+)? ?(ms|s)\b/g, 'T')
      .replace(/"(startedAt|endedAt|at|updatedAt|durationMs|runId|id|commit)": ?("[^"]*"|\d+)/g, '"$1": X')
      .replace(/\d+-[0-9a-f]{6}/g, 'RUN')

  it('exit with the code and print the output of a spawned wf', async () => {
    const cwd = gitRepo({
      'phases/p.yaml':
        'version: 1\nphases:\n  - id: a\n    tasks: [{ run: "echo hi" }]\n    gates: [{ files-exist: [nope.txt] }]\n',
    })
    const env = { NODE_ENV: undefined }
    for (const args of [
      ['run'],
      ['status', '--json'],
      ['run-phase', 'zzz'],
      ['run', '--nope'],
      ['explain', 'a'],
      ['--help'],
    ]) {
      const inProcess = await runCli(args, { cwd, env })
      const spawned = await runWf(args, { cwd, env })
      expect(inProcess.code, args.join(' ')).toBe(spawned.code)
      expect(normalize(inProcess.stdout), args.join(' ')).toBe(normalize(spawned.stdout))
      expect(normalize(inProcess.stderr), args.join(' ')).toBe(normalize(spawned.stderr))
    }
  })

  it('leave the test process as they found it', async () => {
    const cwd = gitRepo({ 'phases/p.yaml': 'version: 1\nphases:\n  - id: a\n    gates: [{ files-exist: [nope] }]\n' })
    const before = { cwd: process.cwd(), exitCode: process.exitCode, env: { ...process.env } }
    const result = await runCli(['run'], { cwd, env: { WF_PROBE: 'x', HOME: undefined } })
    expect(result.code).toBe(1)
    expect(process.cwd()).toBe(before.cwd)
    expect(process.exitCode).toBe(before.exitCode)
    expect(process.env).toEqual(before.env)
  })
})
