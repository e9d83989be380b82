// How `wf ledger merge` replaces a ledger without a moment where a kill leaves it broken: the
// merged run records and ledger.json are written into .wf/merge/ first, then commit.json (the
// commit point), and only then moved into place. Whoever takes the lock next finishes a committed
// merge (rolls it forward) or drops an uncommitted one, whose .wf/ was never touched.
import { mkdir, readFile, readdir, rename, rm, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../../lib/atomic-write.js'
import { RUN_FILE } from '../paths.js'

/** The staging folder of a merge, inside a ledger folder. */
export const mergeDir = (dir: string) => join(dir, 'merge')
const commitFile = (dir: string) => join(mergeDir(dir), 'commit.json')

/** Stages a merged ledger: its run records by file name, and ledger.json. Call under the lock. */
export async function stageMerge(dir: string, runs: Map<string, string>, ledger: string): Promise<void> {
  const staging = mergeDir(dir)
  await rm(staging, { recursive: true, force: true })
  await mkdir(join(staging, 'runs'), { recursive: true })
  for (const [name, text] of runs) await writeFileAtomic(join(staging, 'runs', name), text)
  await writeFileAtomic(join(staging, 'ledger.json'), ledger)
  await writeFileAtomic(commitFile(dir), `${JSON.stringify({ runs: [...runs.keys()] })}\n`)
}

/**
 * Finishes a merge that was committed (moves its files into place, removes run records it does
 * not keep) and drops one that was not; true when one was finished. Idempotent; call under the lock.
 */
export async function finishMerge(dir: string): Promise<boolean> {
  const staging = mergeDir(dir)
  let commit: { runs: string[] }
  try {
    commit = JSON.parse(await readFile(commitFile(dir), 'utf8')) as { runs: string[] }
  } catch {
    await rm(staging, { recursive: true, force: true })
    return false
  }
  const keep = new Set(commit.runs)
  await mkdir(join(dir, 'runs'), { recursive: true })
  for (const name of commit.runs) await moveIfThere(join(staging, 'runs', name), join(dir, 'runs', name))
  for (const name of await readdir(join(dir, 'runs')))
    if (RUN_FILE.test(name) && !keep.has(name)) await unlink(join(dir, 'runs', name)).catch(() => {})
  await moveIfThere(join(staging, 'ledger.json'), join(dir, 'ledger.json'))
  await unlink(commitFile(dir))
  await rm(staging, { recursive: true, force: true })
  return true
}

/** Whether a committed merge waits to be finished (for readers, which do not take the lock). */
export async function mergePending(dir: string): Promise<boolean> {
  return readFile(commitFile(dir)).then(
    () => true,
    () => false,
  )
}

async function moveIfThere(from: string, to: string): Promise<void> {
  try {
    await rename(from, to)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}
