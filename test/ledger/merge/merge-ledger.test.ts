import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LedgerWriter } from '../../../src/ledger/ledger.js'
import { runCli } from '../../cli-in-process.js'
import { gitRepo, hasStackTrace, testdir } from '../../helpers.js'
import { base, copies, ok, PLAN, readJson, statuses, wf } from './ci-jobs.js'

describe('wf ledger merge', () => {
  it('merges ledgers of parallel jobs: latest result per phase, runs re-sequenced and chained, passed fingerprints kept', async () => {
    const [jobA, jobB, merged] = copies(base(), 'a', 'b', 'merged')
    await ok(jobA!, 'run-phase', 'a', '--reporter', 'plain')
    await ok(jobB!, 'run-phase', 'b', '--reporter', 'plain')
    await ok(jobB!, 'run-phase', 'b', '--force', '--reporter', 'plain')
    // A ledger folder and a ledger.json path are both accepted.
    const result = await ok(merged!, 'ledger', 'merge', join(jobA!, '.wf'), join(jobB!, '.wf', 'ledger.json'), '--json')
    const out = JSON.parse(result.stdout) as {
      runs: number
      sources: string[]
      phases: { id: string; status: string }[]
    }
    expect(out.runs).toBe(3)
    expect(out.sources).toHaveLength(2)
    expect(out.phases.map((p) => [p.id, p.status])).toEqual([
      ['a', 'passed'],
      ['b', 'passed'],
    ])
    expect(await statuses(merged!)).toEqual({ a: 'passed', b: 'passed', c: 'never-run' })
    await ok(merged!, 'ledger', 'verify')
    const ledger = readJson(join(merged!, '.wf', 'ledger.json'))
    const runs = readdirSync(join(merged!, '.wf', 'runs'))
      .sort()
      .map((n) => readJson(join(merged!, '.wf', 'runs', n)))
    expect(runs.map((r) => r.seq)).toEqual([1, 2, 3])
    expect(runs.map((r) => r.startedAt)).toEqual([...runs.map((r) => r.startedAt)].sort())
    expect(runs[0].prevHash).toBeNull()
    expect(runs[1].prevHash).toBe(runs[0].hash)
    expect(ledger.head).toBe(runs[2].hash)
    expect(ledger.recent.map((r: { seq: number }) => r.seq)).toEqual([1, 2, 3])
    // Run ids follow the new numbering; b's latest result is its second (forced) run, the last one.
    expect(runs.map((r) => r.id.split('-')[0])).toEqual(['1', '2', '3'])
    const suffix = (id: string) => id.split('-')[1]
    expect(suffix(ledger.phases.b.runId)).toBe(suffix(readJson(join(jobB!, '.wf', 'ledger.json')).phases.b.runId))
    expect(ledger.phases.b.runId).toBe(runs[2].id)
    expect(ledger.passed.a.runId).toBe(ledger.phases.a.runId)
    // What a and b passed with came along: in the merged repository they are up to date, and c may run.
    const run = await ok(merged!, 'run', '--json', '--reporter', 'plain')
    expect(
      (JSON.parse(run.stdout) as { phases: { id: string; status: string }[] }).phases.map((p) => [p.id, p.status]),
    ).toEqual([
      ['a', 'up-to-date'],
      ['b', 'up-to-date'],
      ['c', 'passed'],
    ])
  })

  it('keeps a run that several ledgers hold once (a job merges what it needs before it runs)', async () => {
    const [jobA, jobB, jobC, final] = copies(base(), 'a', 'b', 'c', 'final')
    await ok(jobA!, 'run-phase', 'a', '--reporter', 'plain')
    await ok(jobB!, 'run-phase', 'b', '--reporter', 'plain')
    await ok(jobC!, 'ledger', 'merge', jobA!, jobB!) // repositories are accepted too (their .wf/)
    await ok(jobC!, 'run-phase', 'c', '--reporter', 'plain')
    // A folder of ledger folders, as actions/download-artifact lays them out.
    const artifacts = testdir({}, { git: false })
    for (const [name, job] of [
      ['wf-ledger-a', jobA],
      ['wf-ledger-b', jobB],
      ['wf-ledger-c', jobC],
    ] as const) {
      await ok(job!, 'ledger', 'merge', '.wf', '--into', join(artifacts, name))
      expect(existsSync(join(artifacts, name, 'ledger.json'))).toBe(true)
    }
    const result = JSON.parse((await ok(final!, 'ledger', 'merge', artifacts, '--json')).stdout) as {
      runs: number
      duplicates: number
      sources: string[]
    }
    expect(result.sources).toHaveLength(3)
    expect(result.runs).toBe(3)
    expect(result.duplicates).toBe(2)
    expect(await statuses(final!)).toEqual({ a: 'passed', b: 'passed', c: 'passed' })
    await ok(final!, 'ledger', 'verify')
    // Merging again changes nothing but the numbering check: still three runs, still verified.
    const again = JSON.parse((await ok(final!, 'ledger', 'merge', artifacts, '--json')).stdout) as { runs: number }
    expect(again.runs).toBe(3)
    await ok(final!, 'ledger', 'verify')
  })

  it('refuses a ledger whose history was edited, and writes nothing', async () => {
    const [job, target] = copies(base(), 'job', 'target')
    await ok(job!, 'run-phase', 'a', '--reporter', 'plain')
    await ok(job!, 'run-phase', 'b', '--reporter', 'plain')
    const runFile = join(job!, '.wf', 'runs', '00000001.json')
    const run = readJson(runFile)
    run.phases[0].status = 'failed'
    writeFileSync(runFile, JSON.stringify(run, null, 1))
    const result = await wf(target!, 'ledger', 'merge', join(job!, '.wf'))
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/refusing to merge .*\.wf: its history does not verify/)
    expect(result.stderr).toMatch(/was modified after it was recorded/)
    expect(hasStackTrace(result.stderr)).toBe(false)
    expect(existsSync(join(target!, '.wf', 'ledger.json'))).toBe(false)
  })

  it('refuses a ledger whose latest phase state was edited', async () => {
    const [job, target] = copies(base(), 'job', 'target')
    await ok(job!, 'run-phase', 'a', '--reporter', 'plain')
    await ok(target!, 'run-phase', 'b', '--reporter', 'plain')
    const before = readFileSync(join(target!, '.wf', 'ledger.json'), 'utf8')
    const file = join(job!, '.wf', 'ledger.json')
    const ledger = readJson(file)
    ledger.phases.a.durationMs = 1
    ledger.phases.a.reason = 'looks fine'
    writeFileSync(file, JSON.stringify(ledger))
    const result = await wf(target!, 'ledger', 'merge', join(job!, '.wf'), '--json')
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout).error.message).toMatch(/phases\.a was edited after run 1-\w+ recorded it/)
    expect(readFileSync(join(target!, '.wf', 'ledger.json'), 'utf8')).toBe(before)
  })

  it('reports unreadable and missing inputs clearly', async () => {
    const [target] = copies(base(), 'target')
    const missing = await wf(target!, 'ledger', 'merge', 'nowhere')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/nowhere: no such file or folder/)
    const empty = testdir({ 'x/readme.txt': 'no ledger here' }, { git: false })
    const none = await wf(target!, 'ledger', 'merge', empty)
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/no ledger in .*expected ledger.json/)
    const corrupt = testdir({ 'ledger.json': '{ not json' }, { git: false })
    const bad = await wf(target!, 'ledger', 'merge', corrupt)
    expect(bad.code).toBe(3)
    expect(bad.stderr).toMatch(/cannot merge .*ledger.json is corrupt: not valid JSON/)
    for (const r of [missing, none, bad]) expect(hasStackTrace(r.stderr)).toBe(false)
    expect((await wf(target!, 'ledger', 'merge')).code).toBe(2)
  })

  it('takes a run whose record was written but not its ledger (killed at the very end) as finished', async () => {
    const [job, target] = copies(base(), 'job', 'target')
    await ok(job!, 'run', '--reporter', 'plain')
    await ok(job!, 'run-phase', 'a', '--force', '--reporter', 'plain')
    // Put ledger.json back to how it was before the run's last write: the run still active, the head one run behind.
    const file = join(job!, '.wf', 'ledger.json')
    const ledger = readJson(file)
    const last = readJson(join(job!, '.wf', 'runs', '00000002.json'))
    const first = readJson(join(job!, '.wf', 'runs', '00000001.json'))
    writeFileSync(
      file,
      JSON.stringify({
        ...ledger,
        head: first.hash,
        recent: ledger.recent.slice(0, 1),
        active: { runId: last.id, seq: 2, pid: last.pid, host: last.host, startedAt: last.startedAt },
      }),
    )
    await ok(job!, 'ledger', 'verify')
    await ok(target!, 'ledger', 'merge', job!)
    const merged = readJson(join(target!, '.wf', 'ledger.json'))
    expect(merged.active).toBeNull()
    expect(merged.recent.map((r: { status: string }) => r.status)).toEqual(['passed', 'passed'])
    expect(merged.phases.a.runId).toBe(merged.recent[1].id)
    expect(await statuses(target!)).toEqual({ a: 'passed', b: 'passed', c: 'passed' })
    await ok(target!, 'ledger', 'verify')
  })

  it('finishes a merge killed after it committed: verify says so, the next writer rolls it forward', async () => {
    const [jobA, jobB, target, reference] = copies(base(), 'a', 'b', 'target', 'reference')
    await ok(jobA!, 'run-phase', 'a', '--reporter', 'plain')
    await ok(jobB!, 'run-phase', 'b', '--reporter', 'plain')
    // The target has a history of its own, which the merge re-sequences.
    await ok(target!, 'run-phase', 'a', '--reporter', 'plain')
    cpSync(join(target!, '.wf'), join(reference!, '.wf'), { recursive: true })
    await ok(reference!, 'ledger', 'merge', jobA!, jobB!)
    const wanted = readJson(join(reference!, '.wf', 'ledger.json'))
    // The state a kill leaves in the middle of moving the merge into place: the merge staged and
    // committed in .wf/merge/, one run record and not ledger.json moved yet.
    const wfDir = join(target!, '.wf')
    cpSync(join(reference!, '.wf', 'runs'), join(wfDir, 'merge', 'runs'), { recursive: true })
    cpSync(join(reference!, '.wf', 'ledger.json'), join(wfDir, 'merge', 'ledger.json'))
    const names = readdirSync(join(wfDir, 'merge', 'runs')).sort()
    writeFileSync(join(wfDir, 'merge', 'commit.json'), JSON.stringify({ runs: names }))
    cpSync(join(wfDir, 'merge', 'runs', names[0]!), join(wfDir, 'runs', names[0]!))
    const pending = await wf(target!, 'ledger', 'verify')
    expect(pending.code).toBe(1)
    expect(pending.stdout + pending.stderr).toContain('was interrupted after it committed')
    await ok(target!, 'run-phase', 'c', '--reporter', 'plain')
    expect(existsSync(join(wfDir, 'merge'))).toBe(false)
    await ok(target!, 'ledger', 'verify')
    const after = readJson(join(wfDir, 'ledger.json'))
    expect(after.lastSeq).toBe(wanted.lastSeq + 1)
    expect(after.recent.slice(0, -1).map((r: { id: string }) => r.id)).toEqual(
      wanted.recent.map((r: { id: string }) => r.id),
    )
    expect(await statuses(target!)).toEqual({ a: 'passed', b: 'passed', c: 'passed' })
  })

  it('drops a merge killed before it committed, leaving the target as it was', async () => {
    const [job, target] = copies(base(), 'job', 'target')
    await ok(job!, 'run-phase', 'a', '--reporter', 'plain')
    await ok(target!, 'run-phase', 'b', '--reporter', 'plain')
    const before = readFileSync(join(target!, '.wf', 'ledger.json'), 'utf8')
    // Staged but not committed: a run record and no commit.json.
    mkdirSync(join(target!, '.wf', 'merge', 'runs'), { recursive: true })
    writeFileSync(join(target!, '.wf', 'merge', 'runs', '00000001.json'), '{"half": ')
    await ok(target!, 'ledger', 'verify')
    await ok(target!, 'ledger', 'merge', job!)
    expect(existsSync(join(target!, '.wf', 'merge'))).toBe(false)
    expect(readFileSync(join(target!, '.wf', 'ledger.json'), 'utf8')).not.toBe(before)
    expect(await statuses(target!)).toEqual({ a: 'passed', b: 'passed', c: 'never-run' })
    await ok(target!, 'ledger', 'verify')
  })

  it('carries approvals and generated files over, with the records that wrote them', async () => {
    const repo = gitRepo({
      'phases/ci.yaml': 'version: 1\nphases:\n  - id: ship\n    gates: [{ approval: true }]\n',
      'templates/x.md.njk': 'x\n',
      '.gitignore': '.wf/\n',
    })
    const [job, target] = copies(repo, 'job', 'target')
    expect((await wf(target!, 'run', '--reporter', 'plain')).code).toBe(1)
    expect((await wf(job!, 'run', '--reporter', 'plain')).code).toBe(1)
    await ok(job!, 'approve', 'ship', '--by', 'lead')
    await ok(job!, 'generate', 'template', 'templates/x.md.njk', '--to', 'X.md')
    await ok(target!, 'ledger', 'merge', job!)
    const merged = readJson(join(target!, '.wf', 'ledger.json'))
    expect(merged.approvals.ship.by).toBe('lead')
    const records = readdirSync(join(target!, '.wf', 'runs'))
      .sort()
      .map((n) => readJson(join(target!, '.wf', 'runs', n)))
    expect(records.map((r) => r.kind ?? 'run')).toEqual(['run', 'run', 'approve', 'generate'])
    // Renumbered after the target's own run: the generated file names the record that wrote it.
    expect(merged.generated['X.md'].runId).toBe(records[3].id)
    expect(records[3].id).toMatch(/^4-/)
    await ok(target!, 'ledger', 'verify')
    // The approval recorded in the job lets the phase pass where the ledgers were merged.
    await ok(target!, 'run', '--reporter', 'plain')
    expect(await statuses(target!)).toEqual({ ship: 'passed' })
    const status = JSON.parse((await ok(target!, 'status', '--json')).stdout) as {
      approvals: { phase: string; state: string; by?: string }[]
    }
    expect(status.approvals).toEqual([expect.objectContaining({ phase: 'ship', state: 'approved', by: 'lead' })])
  })

  it("carries each phase's last check over, beside its result, with the run it names renumbered", async () => {
    const [jobA, jobB, target] = copies(base(), 'a', 'b', 'target')
    await ok(jobA!, 'run-phase', 'a', '--reporter', 'plain')
    await ok(jobB!, 'check', 'a', '--reporter', 'plain')
    await ok(target!, 'ledger', 'merge', jobA!, jobB!)
    const ledger = readJson(join(target!, '.wf', 'ledger.json'))
    expect(ledger.phases.a.status).toBe('passed')
    expect(ledger.checks.a).toMatchObject({ status: 'passed', scope: { kind: 'phases' } })
    const run = readJson(join(target!, '.wf', 'runs', `${ledger.checks.a.runId.split('-')[0].padStart(8, '0')}.json`))
    expect(run).toMatchObject({ id: ledger.checks.a.runId, check: { kind: 'phases' } })
    expect(await statuses(target!)).toEqual({ a: 'passed', b: 'never-run', c: 'never-run' })
  })

  it('keeps at most `history` runs, numbering on from the ones left out', async () => {
    const repo = gitRepo({
      'phases/ci.yaml': PLAN.replace('version: 1\n', 'version: 1\nledger: { history: 2 }\n'),
      'a.txt': 'a\n',
      'b.txt': 'b\n',
      '.gitignore': '.wf/\n',
    })
    const [jobA, jobB, target] = copies(repo, 'a', 'b', 'target')
    await ok(jobA!, 'run-phase', 'a', '--reporter', 'plain')
    await ok(jobB!, 'run-phase', 'b', '--reporter', 'plain')
    await ok(jobA!, 'run-phase', 'a', '--force', '--reporter', 'plain')
    const result = JSON.parse((await ok(target!, 'ledger', 'merge', jobA!, jobB!, '--json')).stdout) as { runs: number }
    expect(result.runs).toBe(2)
    const ledger = readJson(join(target!, '.wf', 'ledger.json'))
    expect(ledger.history).toBe(2)
    expect(ledger.lastSeq).toBe(3)
    expect(readdirSync(join(target!, '.wf', 'runs')).sort()).toEqual(['00000002.json', '00000003.json'])
    expect(await statuses(target!)).toEqual({ a: 'passed', b: 'passed', c: 'never-run' })
    await ok(target!, 'ledger', 'verify')
  })

  it("waits for the target ledger's lock and gives up with exit 3 naming who holds it", async () => {
    const [target] = copies(base(), 'target')
    const quick = gitRepo({
      'phases/ci.yaml': 'version: 1\nphases:\n  - id: slow\n    tasks: [{ run: "true" }]\n',
      '.gitignore': '.wf/\n',
    })
    await ok(quick, 'run', '--reporter', 'plain')
    // This process holds the target's lock as a run would.
    const holder = await LedgerWriter.open(target!, {
      wf: '0.1.0',
      lockTimeoutMs: 0,
      command: 'wf run --reporter plain',
    })
    try {
      const busy = await wf(target!, 'ledger', 'merge', quick, '--lock-timeout', '0')
      expect(busy.code).toBe(3)
      expect(busy.stderr).toMatch(/the ledger is locked by `wf run/)
    } finally {
      await holder.close()
    }
    await ok(target!, 'ledger', 'merge', quick)
    await ok(target!, 'ledger', 'verify')
  })

  it('has help with examples', async () => {
    const result = await runCli(['ledger', 'merge', '--help'], { cwd: base() })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/EXAMPLES/)
    expect(result.stdout).toContain('--into')
  })
})
