// Spawns `wf run` to SIGKILL it: the ledger a killed job leaves is what this merges.
import { cpSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { gitRepo, spawnWf, testdir } from '../helpers.js'
import { copies, ok, readJson, statuses } from '../ledger/merge/ci-jobs.js'

describe('wf ledger merge of a killed job', () => {
  it('records a run its job left unfinished as interrupted', async () => {
    const repo = gitRepo({
      'phases/ci.yaml':
        'version: 1\nphases:\n  - id: quick\n    tasks: [{ run: "echo quick" }]\n  - id: slow\n    needs: [quick]\n    tasks: [{ run: "sleep 30" }]\n',
      '.gitignore': '.wf/\n',
    })
    const [job, target] = copies(repo, 'job', 'target')
    const running = spawnWf(['run', '--reporter', 'plain'], { cwd: job! })
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (running.output().stdout.includes('$ sleep 30')) {
          clearInterval(poll)
          resolve()
        }
      }, 50)
    })
    running.child.kill('SIGKILL')
    await running.done
    // The job's ledger is copied as it was left (as an artifact upload would) and merged elsewhere.
    const copy = join(testdir({}, { git: false }), 'ledger')
    mkdirSync(copy)
    cpSync(join(job!, '.wf'), copy, { recursive: true })
    expect(readJson(join(copy, 'ledger.json')).active).not.toBeNull()
    await ok(target!, 'ledger', 'merge', copy)
    // The same as `wf status` says in the job's own repository.
    expect(await statuses(job!)).toEqual({ quick: 'passed', slow: 'never-run' })
    expect(await statuses(target!)).toEqual({ quick: 'passed', slow: 'never-run' })
    const ledger = readJson(join(target!, '.wf', 'ledger.json'))
    expect(ledger.active).toBeNull()
    expect(ledger.recent.at(-1).status).toBe('interrupted')
    await ok(target!, 'ledger', 'verify')
  })
})
