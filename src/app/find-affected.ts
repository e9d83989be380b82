import { affectedPhases, type Affected } from '../engine/affected-phases.js'
import { WfError } from '../lib/errors.js'
import { GitRepository } from '../lib/git.js'
import type { PhaseRecord } from '../ledger/ledger.js'
import type { ResolvedPlan } from '../plan/resolve-plan.js'
import { loadYaml } from '../plan/yaml.js'

export interface FindAffectedOptions {
  /** A git ref; default: the default branch (origin/HEAD, else main or master). */
  since?: string
  /** The ledger's phase results: needs of affected phases that have not passed are added. */
  latest?: Record<string, PhaseRecord | undefined>
  /** The repository's git, when the caller has one. */
  git?: GitRepository
}

const ACTIONS_HINT = 'under GitHub Actions, check out with `fetch-depth: 0` (actions/checkout)'

/**
 * The phases affected by what changed since the merge base of HEAD and a ref (committed since,
 * staged, unstaged and untracked files). A usage error (exit 2) when the ref or the merge base is
 * not in the repository, saying what to fetch.
 */
export async function findAffected(plan: ResolvedPlan, options: FindAffectedOptions = {}): Promise<Affected> {
  const git = options.git ?? new GitRepository(plan.root)
  if (options.since?.startsWith('-'))
    throw new WfError('WF_USAGE', `\`--since ${options.since}\`: a ref may not start with \`-\``, {
      hint: 'name a branch, tag or commit',
    })
  if (!(await git.client()))
    throw new WfError(
      'WF_NOT_A_REPO',
      `--affected compares with git history, and ${plan.root} is not in a git work tree`,
    )
  const since = options.since ?? (await defaultRef(git))
  const shallow = await git.isShallow()
  if (!(await git.resolveRef(since))) throw missingRef(since, shallow)
  const base = await git.mergeBase(since)
  if (!base)
    throw new WfError(
      'WF_USAGE',
      `HEAD and \`${since}\` have no merge base${shallow ? ' in this shallow clone' : ''}`,
      {
        hint: shallow
          ? `fetch the history: \`git fetch --unshallow\` (or part of it: \`git fetch --deepen=200\`); ${ACTIONS_HINT}`
          : 'their histories are unrelated: pass --since a commit of this branch’s history',
      },
    )
  // wf's own state is no change of the repository, ignored or not.
  const files = (await git.filesChangedSince(base)).filter((file) => !file.startsWith('.wf/'))
  // A phase is affected when its plan file changed: finding that file needs the positioned YAML.
  await loadYaml()
  return { since, base, files, phases: affectedPhases(plan, files, options.latest) }
}

/** The default branch, or its remote-tracking branch when only that exists (as in CI checkouts). */
async function defaultRef(git: GitRepository): Promise<string> {
  const branch = await git.defaultBranch()
  if (await git.resolveRef(branch)) return branch
  for (const remote of [`origin/${branch}`, 'origin/main', 'origin/master'])
    if (await git.resolveRef(remote)) return remote
  return branch
}

function missingRef(ref: string, shallow: boolean): WfError {
  const branch = ref.replace(/^origin\//, '')
  const tracking = `refs/remotes/origin/${branch}`
  return new WfError('WF_USAGE', `\`${ref}\` names no commit in this ${shallow ? 'shallow clone' : 'repository'}`, {
    hint: shallow
      ? `fetch it with the history: \`git fetch --unshallow origin ${branch}:${tracking}\`, then pass --since origin/${branch}; ${ACTIONS_HINT}`
      : `fetch it: \`git fetch origin ${branch}:${tracking}\`, then pass --since origin/${branch}`,
  })
}
