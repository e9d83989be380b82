import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { checkRecord } from './check-record.js'
import type { Ledger, PhaseRecord, RunRecord } from './ledger.generated.js'
import { RUN_FILE } from './paths.js'

/**
 * Moves `wf check` results that an older wf stored as phases' latest states (`gatesOnly`) to
 * `checks`, and gives each such phase back its latest full-run result from the run records kept
 * in `runsDir` (none when pruned: the phase then shows as never run). Returns whether anything moved.
 */
export async function liftChecks(ledger: Ledger, runsDir: string): Promise<boolean> {
  const lifted = Object.values(ledger.phases).filter((p): p is PhaseRecord => p?.gatesOnly === true)
  if (lifted.length === 0) return false
  const full = await latestFullRuns(
    runsDir,
    lifted.map((p) => p.id),
  )
  for (const record of lifted) {
    const kept = ledger.checks?.[record.id]
    if (!kept || (kept.endedAt ?? '') < (record.endedAt ?? ''))
      ledger.checks = { ...ledger.checks, [record.id]: checkRecord(record) }
    // A check of a phase with an approval gate could record what the phase passed with.
    if (ledger.passed[record.id]?.runId === record.runId) delete ledger.passed[record.id]
    const restored = full.get(record.id)
    if (restored) ledger.phases[record.id] = restored
    else delete ledger.phases[record.id]
  }
  return true
}

/** The newest full-run record of each phase among the kept run records, newest run first. */
async function latestFullRuns(runsDir: string, ids: string[]): Promise<Map<string, PhaseRecord>> {
  const found = new Map<string, PhaseRecord>()
  const names = (await readdir(runsDir).catch(() => [] as string[])).filter((n) => RUN_FILE.test(n)).sort()
  for (const name of names.reverse()) {
    if (found.size === ids.length) break
    let run: RunRecord
    try {
      run = JSON.parse(await readFile(join(runsDir, name), 'utf8'))
    } catch {
      continue
    }
    for (const phase of Array.isArray(run.phases) ? run.phases : [])
      if (ids.includes(phase.id) && !phase.gatesOnly && !found.has(phase.id)) found.set(phase.id, phase)
  }
  return found
}
