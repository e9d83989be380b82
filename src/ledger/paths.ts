import { join } from 'node:path'

/** Where a repository's ledger lives. */
export function ledgerPaths(root: string) {
  const dir = join(root, '.wf')
  return { dir, ledger: join(dir, 'ledger.json'), lock: join(dir, 'lock'), runs: join(dir, 'runs') }
}

export const runFileName = (seq: number) => `${String(seq).padStart(8, '0')}.json`
/** The name of a run record file in .wf/runs/. */
export const RUN_FILE = /^\d{8}\.json$/
