import { mkdir, readFile } from 'node:fs/promises'
import { dirname, relative, resolve, sep } from 'node:path'
import { unifiedDiff } from '../generate/outputs.js'
import { writeFileAtomic } from '../lib/atomic-write.js'
import { RepoBoundary } from '../lib/inside-repo.js'
import { isInside } from '../lib/paths.js'
import { recordWrittenFile } from '../ledger/written-files.js'
import { readPlan } from './read-plan.js'
import { renderGithubWorkflow, type GithubWorkflowOptions } from '../generate/github-workflow.js'

export interface CiGithubOptions extends GithubWorkflowOptions {
  cwd: string
  /** Where the workflow goes; relative paths are taken from `cwd`. Default: .github/workflows/wf.yml in the repository. */
  output?: string
  /** Compare with the file instead of writing it. */
  check?: boolean
}

export interface CiGithubResult {
  /** Repository-relative path of the workflow. */
  path: string
  /** written / unchanged (generated); current / stale / missing (--check). */
  state: 'written' | 'unchanged' | 'current' | 'stale' | 'missing'
  jobs: number
  /** With --check on a stale file: a unified diff from the file to what wf would write. */
  diff?: string
}

/** Generates the fan-out workflow for the repository's plan and writes it, or (check) compares it with the committed one. */
export async function ciGithub(options: CiGithubOptions): Promise<CiGithubResult> {
  const plan = await readPlan({ cwd: options.cwd })
  const file = options.output
    ? resolve(options.cwd, options.output)
    : resolve(plan.root, '.github', 'workflows', 'wf.yml')
  const path = relative(plan.root, file).split(sep).join('/')
  const text = await renderGithubWorkflow(plan, options)
  const jobs = plan.phases.length + 1
  // The default place is written inside the repository, never through a linked .github; --output goes anywhere.
  const boundary = options.output ? undefined : new RepoBoundary(plan.root)
  const current = await (boundary ? boundary.readFile(file, 'utf8') : readFile(file, 'utf8')).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined
      throw error
    },
  )
  if (options.check) {
    if (current === undefined) return { path, state: 'missing', jobs }
    if (current === text) return { path, state: 'current', jobs }
    return { path, state: 'stale', jobs, diff: await unifiedDiff(path, current, text) }
  }
  // A workflow written into the repository is this command's output, not a change of the tree.
  const record = () => (isInside(plan.root, file) ? recordWrittenFile(plan.root, path, text) : undefined)
  if (current === text) {
    await record()
    return { path, state: 'unchanged', jobs }
  }
  if (boundary) await boundary.writeFile(file, text)
  else {
    await mkdir(dirname(file), { recursive: true })
    await writeFileAtomic(file, text)
  }
  await record()
  return { path, state: 'written', jobs }
}
