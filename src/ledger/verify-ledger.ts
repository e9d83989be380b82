import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { mapLimit, READ_AHEAD } from '../lib/files.js'
import { ledgerKey } from './environment-key.js'
import { hashRecord } from './hash-record.js'
import { ledgerEdits } from './ledger-edits.js'
import { mergePending } from './merge/merge-journal.js'
import { ledgerPaths, readLedger, readLedgerDir, RUN_FILE, type Ledger, type RunRecord } from './ledger.js'
import stringify from 'safe-stable-stringify'

export interface VerifyResult {
  ok: boolean
  runs: number
  problems: string[]
}

/**
 * Checks the hash chain of the kept records, the ledger's head, and that everything ledger.json
 * asserts (phase states, passed fingerprints, approvals, generated files, checks, the recent
 * index) is what its records vouch for, naming each entry that is not.
 */
export async function verifyLedger(root: string, wf: string): Promise<VerifyResult> {
  return withPendingMerge(ledgerPaths(root).dir, verifyRuns(await readLedger(root, wf), ledgerPaths(root).runs))
}

/** The same checks for a ledger folder named by path (a `.wf/` or a copy of one, such as a CI artifact). */
export async function verifyLedgerDir(dir: string, wf: string): Promise<VerifyResult> {
  return withPendingMerge(dir, verifyRuns(await readLedgerDir(dir, wf), join(dir, 'runs')))
}

/** A merge killed after it committed leaves the folder between two states until a writer finishes it. */
async function withPendingMerge(dir: string, result: Promise<VerifyResult>): Promise<VerifyResult> {
  const verified = await result
  if (!(await mergePending(dir))) return verified
  const problem =
    'a `wf ledger merge` into this ledger was interrupted after it committed; the next `wf run`, `wf check` or `wf ledger merge` finishes it'
  return { ...verified, ok: false, problems: [problem, ...verified.problems] }
}

async function verifyRuns({ ledger, exists }: { ledger: Ledger; exists: boolean }, dir: string): Promise<VerifyResult> {
  const problems: string[] = []
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => RUN_FILE.test(n)).sort()
  if (!exists) {
    if (names.length > 0)
      problems.push(
        `ledger.json is missing but ${names.length} run ${names.length === 1 ? 'record exists' : 'records exist'} (it was deleted)`,
      )
    return { ok: problems.length === 0, runs: names.length, problems }
  }
  const runs = new Map<string, RunRecord>()
  const chain: RunRecord[] = []
  let previous: RunRecord | undefined
  const texts = await mapLimit(names, READ_AHEAD, (name) =>
    readFile(join(dir, name), 'utf8').catch((error: Error) => error),
  )
  for (const [i, name] of names.entries()) {
    let run: RunRecord
    try {
      const text = texts[i]!
      if (text instanceof Error) throw text
      run = JSON.parse(text)
    } catch (error) {
      problems.push(`runs/${name}: not valid JSON (${(error as Error).message})`)
      previous = undefined
      continue
    }
    runs.set(run.id, run)
    // Still running, or died before ledger.json counted it (the next run reuses its number).
    if (run.status === 'running' && (ledger.active?.runId === run.id || run.seq > ledger.lastSeq)) continue
    // Written in full, but wf stopped before ledger.json (the commit point) counted it.
    const uncommitted = run.seq === ledger.lastSeq + 1 && i === names.length - 1 && run.prevHash === ledger.head
    if (uncommitted && ledger.active?.runId !== run.id) continue
    if (run.hash === undefined) problems.push(`runs/${name}: run ${run.id} has no hash`)
    else if (hashRecord(run) !== run.hash)
      problems.push(
        `runs/${name}: run ${run.id} was modified after it was recorded (its hash does not match its content)`,
      )
    if (previous && run.prevHash !== previous.hash)
      problems.push(
        `runs/${name}: run ${run.id} does not follow run ${previous.id} (the chain is broken: a run was removed, added or edited)`,
      )
    previous = run
    chain.push(run)
  }
  // A run killed (or stopped by a full disk) between writing its finished record and the ledger leaves
  // the ledger naming it active, or not counting it at all when nothing it did had to be written sooner.
  const finishedButNotIndexed =
    previous !== undefined &&
    (ledger.active?.runId === previous.id || previous.seq > ledger.lastSeq) &&
    previous.prevHash === ledger.head
  if (previous && previous.hash !== ledger.head && !finishedButNotIndexed)
    problems.push(
      `ledger.json: its head does not match the last run record ${previous.id} (a run was removed or the ledger was edited)`,
    )
  if (!previous && ledger.head !== null) problems.push('ledger.json: it names a last run but no run records exist')
  let head = chain.length - 1
  while (head >= 0 && (ledger.head === null || chain[head]!.hash !== ledger.head)) head--
  if (head >= 0 && chain[head]!.state) {
    problems.push(...ledgerEdits(ledger, chain.slice(0, head + 1)))
    return { ok: problems.length === 0, runs: names.length, problems }
  }
  // A head written before records carried state: each phase's latest state against its run.
  for (const [id, phase] of Object.entries(ledger.phases)) {
    if (!phase) continue
    const run = runs.get(phase.runId)
    if (!run) continue // that run's record was pruned from the history
    // The active run's record gets its phases when it ends; the ledger catches up with the next writer.
    if (phase.runId === ledger.active?.runId) continue
    const recorded = run.phases.find((p) => ledgerKey(p.id, p.environment) === id)
    if (!recorded || stringify(recorded) !== stringify(phase))
      problems.push(`ledger.json: the latest state of phase \`${id}\` differs from run ${phase.runId}`)
  }
  return { ok: problems.length === 0, runs: names.length, problems }
}
