// The parts of .wf/ that tests read directly: the ledger, the run records, and where they are.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface PhaseRecord {
  id: string
  status: string
  runId: string
}
export interface Ledger {
  lastSeq: number
  head: string | null
  active: { runId: string; seq: number; pid: number } | null
  phases: Record<string, PhaseRecord>
  recent: { id: string; seq: number }[]
}
export interface RunRecord {
  seq: number
  id: string
  status: string
  hash?: string
  prevHash: string | null
  phases: PhaseRecord[]
}

export const wfDir = (cwd: string) => join(cwd, '.wf')
export const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T
export const runPath = (cwd: string, seq: number) => join(wfDir(cwd), 'runs', `${String(seq).padStart(8, '0')}.json`)
/** The sequence numbers of the run records on disk. */
export const runSeqs = (cwd: string) =>
  readdirSync(join(wfDir(cwd), 'runs'))
    .filter((n) => /^\d{8}\.json$/.test(n))
    .map((n) => Number.parseInt(n, 10))
    .sort((a, b) => a - b)
