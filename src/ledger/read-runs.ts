import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { mapLimit, READ_AHEAD } from '../lib/files.js'
import { ledgerPaths, RUN_FILE, type RunRecord } from './ledger.js'

const OUTSIDE_RUNS = new Set<RunRecord['kind']>(['approve', 'generate'])

export interface ReadRunsOptions {
  /** Read only the newest N records (all when absent)… */
  newest?: number
  /** …plus these sequence numbers, wherever they are in the history. */
  seqs?: number[]
}

/** Kept run records of .wf/runs/, oldest first; a record that does not parse, or records a change outside a run (`wf approve`, `wf generate`), is left out. */
export async function readRunRecords(root: string, options: ReadRunsOptions = {}): Promise<RunRecord[]> {
  const dir = ledgerPaths(root).runs
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => RUN_FILE.test(n)).sort()
  const wanted = new Set(options.seqs ?? [])
  const from = options.newest === undefined ? 0 : Math.max(0, names.length - options.newest)
  const chosen = names.filter((name, i) => i >= from || wanted.has(Number.parseInt(name, 10)))
  const texts = await mapLimit(chosen, READ_AHEAD, (name) => readFile(join(dir, name), 'utf8').catch(() => undefined))
  const runs: RunRecord[] = []
  for (const text of texts) {
    try {
      const run = JSON.parse(text ?? '') as RunRecord
      if (
        run &&
        typeof run === 'object' &&
        typeof run.id === 'string' &&
        Array.isArray(run.phases) &&
        !OUTSIDE_RUNS.has(run.kind)
      )
        runs.push(run)
    } catch {
      // A torn or hand-edited record: `wf ledger verify` reports it; a report shows what it can.
    }
  }
  return runs
}
