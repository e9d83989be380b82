// `wf run --watch`: a long-running process that reacts to file changes and to Ctrl-C, so it is spawned.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { spawnWf, testdir } from '../helpers.js'
import { killMarked, linux, marked, markedPids, newMarker, quiet, sleep } from './signal-kit.js'

afterEach(killMarked)

/** Starts `wf run --watch` in `cwd`; `until` waits for its output to hold a line `count` times. */
function startWatch(cwd: string) {
  const { child, done, output } = spawnWf(['run', '--watch', '--reporter', 'plain'], {
    cwd,
    env: quiet,
    detached: true,
  })
  let exited = false
  void done.then(() => (exited = true))
  const until = async (line: RegExp, count = 1) => {
    const global = new RegExp(line.source, 'gm')
    for (let waited = 0; (output().stdout.match(global)?.length ?? 0) < count; waited += 50) {
      if (exited || waited > 30_000) throw new Error(`no ${count}× ${line} in ${JSON.stringify(output())}`)
      await sleep(50)
    }
  }
  const stop = async () => {
    process.kill(child.pid!, 'SIGINT')
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    return await done.finally(() => clearTimeout(timer))
  }
  return { until, stop, output }
}

const ledger = (cwd: string) => JSON.parse(readFileSync(join(cwd, '.wf', 'ledger.json'), 'utf8'))
const changeLines = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('change: '))

describe.skipIf(!linux)('wf run --watch', () => {
  it('runs again when an input changes, and Ctrl-C during a run stops its task and exits 130', {
    timeout: 90_000,
  }, async () => {
    const marker = newMarker()
    marked(marker)
    const cwd = testdir({
      'phases/plan.yaml': `version: 1
phases:
  - id: build
    inputs: [src/a.txt]
    tasks:
      - run: "if grep -q slow src/a.txt; then sleep ${marker}; fi; cat src/a.txt"
`,
      'src/a.txt': 'one\n',
    })
    const wf = startWatch(cwd)
    await wf.until(/^watching \d+ files; Ctrl-C to stop$/)
    expect(ledger(cwd).lastSeq).toBe(1)

    writeFileSync(join(cwd, 'src/a.txt'), 'two\n')
    await wf.until(/^watching \d+ files; Ctrl-C to stop$/, 2)
    expect(changeLines(wf.output().stdout)).toEqual(['change: src/a.txt → running'])
    expect(wf.output().stdout).toMatch(/build │ two/)
    expect(ledger(cwd).lastSeq).toBe(2)
    expect(ledger(cwd).phases.build.status).toBe('passed')

    writeFileSync(join(cwd, 'src/a.txt'), 'slow\n')
    for (let waited = 0; markedPids(marker, true).length === 0; waited += 50) {
      if (waited > 30_000) throw new Error(`the task did not start: ${JSON.stringify(wf.output())}`)
      await sleep(50)
    }
    const result = await wf.stop()
    expect(result.code, result.stderr).toBe(130)
    expect(markedPids(marker), 'task processes left after wf exited').toEqual([])
    expect(ledger(cwd).phases.build.status).toBe('cancelled')
    expect(ledger(cwd).active).toBeNull()
  })

  it('a file the run generates or declares as an output is not a change; Ctrl-C while waiting exits 130', {
    timeout: 90_000,
  }, async () => {
    const cwd = testdir({
      'phases/plan.yaml': `version: 1
phases:
  - id: gen
    tasks:
      - template: templates/out.njk
        to: out.txt
      - run: cp out.txt copy.txt
        outputs: [copy.txt]
`,
      'templates/out.njk': 'first\n',
    })
    const wf = startWatch(cwd)
    const watching = /^watching \d+ files; Ctrl-C to stop$/
    await wf.until(watching)

    writeFileSync(join(cwd, 'templates/out.njk'), 'second\n')
    await wf.until(watching, 2)
    expect(readFileSync(join(cwd, 'copy.txt'), 'utf8')).toBe('second\n')
    // A later change shows whether out.txt or copy.txt, written by the run, was taken for one (alone or with it).
    writeFileSync(join(cwd, 'note.txt'), 'note\n')
    await wf.until(watching, 3)
    expect(changeLines(wf.output().stdout)).toEqual([
      'change: templates/out.njk → running',
      'change: note.txt → running',
    ])
    expect(ledger(cwd).lastSeq).toBe(3)

    const result = await wf.stop()
    expect(result.code, result.stderr).toBe(130)
    expect(result.stderr).toBe('')
  })

  it('cannot be combined with --json', async () => {
    const cwd = testdir({ 'phases/plan.yaml': 'version: 1\nphases:\n  - id: a\n    tasks: [{ run: "true" }]\n' })
    const result = await runCli(['run', '--watch', '--json'], { cwd })
    expect(result.code).toBe(2)
    expect(result.stdout).toMatch(/--watch cannot be combined with --json/)
  })
})
