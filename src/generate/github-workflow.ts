import { WfError } from '../lib/errors.js'
import type { ResolvedPhase, ResolvedPlan } from '../plan/resolve-plan.js'

/** A GitHub action pinned to the full commit SHA of a release (`# vX.Y.Z` names it in the workflow). */
export interface PinnedAction {
  action: string
  sha: string
  version: string
}

/** The actions the generated workflow uses, each pinned to its release commit. */
export const PINNED_ACTIONS = {
  checkout: { action: 'actions/checkout', sha: '11bd71901bbe5b1630ceea73d27597364c9af683', version: 'v4.2.2' },
  setupNode: { action: 'actions/setup-node', sha: '49933ea5288caeca8642d1e84afbd3f7d6820020', version: 'v4.4.0' },
  uploadArtifact: {
    action: 'actions/upload-artifact',
    sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02',
    version: 'v4.6.2',
  },
  downloadArtifact: {
    action: 'actions/download-artifact',
    sha: 'd3f86a106a0bac45b974a628896c90dbdf5c8093',
    version: 'v4.3.0',
  },
} satisfies Record<string, PinnedAction>

export interface GithubWorkflowOptions {
  /** How a job starts wf once dependencies are installed. */
  wfCommand: string
  /** The command that installs dependencies (and wf with them). */
  install: string
  nodeVersion: string
  runsOn: string
  /** Branches whose pushes run the workflow (pull requests always do). */
  branches: string[]
  /** When set, each phase job runs its phase through this GitHub Action (wf's action.yml, `OWNER/REPO@REF`) instead of a `run:` step. */
  useAction?: string
}

export const DEFAULT_WORKFLOW_OPTIONS: GithubWorkflowOptions = {
  wfCommand: 'npx --no-install wf',
  install: 'npm ci',
  nodeVersion: '20',
  runsOn: 'ubuntu-latest',
  branches: ['main'],
}

/** The id of the job that merges the phase jobs' ledgers; phase jobs never take it. */
export const MERGE_JOB_ID = 'wf-ledger'
/** Artifact names carry the job id, so they are unique within a workflow run. */
export const ARTIFACT_PREFIX = 'wf-ledger-'

/**
 * A GitHub Actions job id for each phase id: characters outside [A-Za-z0-9_-] become `_`, an id
 * that does not start with a letter or `_` gets a `phase-` prefix, and ids that would clash
 * (GitHub compares them case-insensitively, and `wf-ledger` is taken) get `-2`, `-3`…
 */
export function githubJobIds(phaseIds: string[]): Map<string, string> {
  const taken = new Set([MERGE_JOB_ID.toLowerCase()])
  const ids = new Map<string, string>()
  for (const phase of phaseIds) {
    let base = phase.replace(/[^A-Za-z0-9_-]/g, '_')
    if (!/^[A-Za-z_]/.test(base)) base = `phase-${base}`
    let id = base
    for (let n = 2; taken.has(id.toLowerCase()); n++) id = `${base}-${n}`
    taken.add(id.toLowerCase())
    ids.set(phase, id)
  }
  return ids
}

/** Plan text shown in the workflow, where `${{` would start an expression. */
const literal = (text: string) => text.replace(/\$\{\{/g, '$ {{').replace(/[\r\n]+/g, ' ')

type Step = Record<string, unknown>

/** A phase's env entries `{ from: NAME, secret: true }` read NAME from the environment: the job gets it from the repository's secrets. */
function secretsOf(env: ResolvedPlan['phases'][number]['env']): Record<string, string> {
  const names = new Set<string>()
  for (const entry of Object.values(env)) {
    if (
      entry &&
      typeof entry === 'object' &&
      entry.secret === true &&
      typeof entry.from === 'string' &&
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(entry.from)
    )
      names.add(entry.from)
  }
  return Object.fromEntries([...names].sort().map((name) => [name, `\${{ secrets.${name} }}`]))
}

const uses = (pinned: PinnedAction) => `${pinned.action}@${pinned.sha}`

/**
 * The workflow that runs each phase of the plan as its own job (`needs:` mirrors the DAG) and a
 * last job that merges their ledgers. Deterministic: the same plan and options give the same text.
 */
export async function renderGithubWorkflow(plan: ResolvedPlan, options: GithubWorkflowOptions): Promise<string> {
  checkWorkflowInputs(plan, options)
  const jobIds = githubJobIds(plan.phases.map((p) => p.id))
  const setup = setupSteps(options)
  const jobs: Record<string, unknown> = {}
  for (const phase of plan.phases) jobs[jobIds.get(phase.id)!] = phaseJob(phase, jobIds, setup, options)
  jobs[MERGE_JOB_ID] = mergeJob([...jobIds.values()], setup, options)
  return workflowYaml({
    name: 'wf',
    on: { push: { branches: options.branches }, pull_request: null, workflow_dispatch: null },
    permissions: { contents: 'read' },
    jobs,
  })
}

/** A plan with no phases, and option values that would break the YAML or start an expression, are refused. */
function checkWorkflowInputs(plan: ResolvedPlan, options: GithubWorkflowOptions): void {
  if (plan.phases.length === 0)
    throw new WfError('WF_USAGE', 'the plan has no phases: there is nothing to run in GitHub Actions')
  for (const value of [options.nodeVersion, options.runsOn, ...options.branches]) {
    if (!value.trim() || /[\r\n]|\$\{\{/.test(value))
      throw new WfError('WF_USAGE', `\`${value}\` cannot be used in the workflow`, {
        hint: 'give a plain value without line breaks or `${{`',
      })
  }
  if (options.useAction !== undefined && !/^([\w.-]+\/[\w./-]+@[\w./-]+|\.\/[\w./-]*)$/.test(options.useAction))
    throw new WfError('WF_USAGE', `\`${options.useAction}\` is not a reference to an action`, {
      hint: 'give OWNER/REPO@REF (a full commit SHA keeps the workflow pinned) or a local path such as ./',
    })
}

/** The first steps of every job: check out, set up Node.js, install dependencies. */
function setupSteps(options: GithubWorkflowOptions): Step[] {
  return [
    { uses: uses(PINNED_ACTIONS.checkout), with: { 'persist-credentials': false } },
    // setup-node's npm cache needs package-lock.json, which `npm ci` needs too; other installers go uncached.
    {
      uses: uses(PINNED_ACTIONS.setupNode),
      with: {
        'node-version': options.nodeVersion,
        ...(/^npm (ci|install)\b/.test(options.install) ? { cache: 'npm' } : {}),
      },
    },
    { name: 'Install dependencies', run: options.install },
  ]
}

/** A phase's job: merge the ledgers of the jobs it needs, run the phase, upload its ledger. */
function phaseJob(
  phase: ResolvedPhase,
  jobIds: Map<string, string>,
  setup: Step[],
  options: GithubWorkflowOptions,
): Record<string, unknown> {
  const wf = options.wfCommand
  const id = jobIds.get(phase.id)!
  const needs = phase.needs.map((n) => jobIds.get(n)!)
  const steps: Step[] = [...setup]
  if (needs.length > 0) {
    // Each job's ledger already holds its upstream's, so the direct needs carry the whole history.
    for (const need of needs) {
      steps.push({
        name: `Download the ledger of ${need}`,
        uses: uses(PINNED_ACTIONS.downloadArtifact),
        with: { name: `${ARTIFACT_PREFIX}${need}`, path: `\${{ runner.temp }}/wf-upstream/${need}` },
      })
    }
    steps.push({ name: 'Merge the upstream ledgers', run: `${wf} ledger merge "$RUNNER_TEMP/wf-upstream"` })
  }
  steps.push(
    options.useAction
      ? {
          name: `wf run-phase ${phase.id}`,
          uses: options.useAction,
          // The needs passed in their own jobs and came with their ledgers: a phase whose needs did not pass stops here.
          with: { phases: phase.id, 'with-deps': false, command: wf },
        }
      : { name: `wf run-phase ${phase.id}`, run: `${wf} run-phase ${phase.id}` },
    // upload-artifact leaves out hidden paths such as .wf/, so the ledger is copied to a visible folder first.
    {
      name: 'Copy the ledger for upload',
      if: 'always()',
      run: `${wf} ledger merge .wf --into "$RUNNER_TEMP/wf-ledger"`,
    },
    {
      name: 'Upload the ledger',
      if: 'always()',
      uses: uses(PINNED_ACTIONS.uploadArtifact),
      with: {
        name: `${ARTIFACT_PREFIX}${id}`,
        path: '${{ runner.temp }}/wf-ledger',
        'if-no-files-found': 'warn',
        overwrite: true,
      },
    },
  )
  const env = secretsOf(phase.env)
  return {
    name: literal(phase.name),
    ...(needs.length ? { needs } : {}),
    'runs-on': options.runsOn,
    ...(Object.keys(env).length ? { env } : {}),
    steps,
  }
}

/** The last job: runs even when phase jobs fail, merges every ledger, reports, and fails if a phase job did. */
function mergeJob(phaseJobs: string[], setup: Step[], options: GithubWorkflowOptions): Record<string, unknown> {
  const wf = options.wfCommand
  return {
    name: 'wf ledger',
    if: 'always()',
    needs: phaseJobs,
    'runs-on': options.runsOn,
    steps: [
      ...setup,
      {
        name: 'Download the ledgers of every phase',
        uses: uses(PINNED_ACTIONS.downloadArtifact),
        with: { pattern: `${ARTIFACT_PREFIX}*`, path: '${{ runner.temp }}/wf-ledgers' },
      },
      { name: 'Merge the ledgers', run: `${wf} ledger merge "$RUNNER_TEMP/wf-ledgers"` },
      { name: 'wf status', if: 'always()', run: `${wf} status` },
      {
        name: 'Write the job summary',
        if: 'always()',
        run: `${wf} report --format markdown >> "$GITHUB_STEP_SUMMARY"`,
      },
      {
        name: 'Fail when a phase failed',
        if: "always() && (contains(needs.*.result, 'failure') || contains(needs.*.result, 'cancelled'))",
        run: 'echo "::error title=wf::a phase job failed or was cancelled; see the job summary and wf status above" && exit 1',
      },
    ],
  }
}

/** The workflow as YAML: pinned actions carry their version as a comment, short lists flow, a header says where it comes from. */
async function workflowYaml(workflow: Record<string, unknown>): Promise<string> {
  const { Document, isMap, isScalar, isSeq, visit } = await import('yaml')
  const doc = new Document(workflow, { aliasDuplicateObjects: false })
  const pins = new Map(Object.values(PINNED_ACTIONS).map((p) => [uses(p), p.version]))
  visit(doc, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? pair.key.value : undefined
      const pin = key === 'uses' && isScalar(pair.value) ? pins.get(String(pair.value.value)) : undefined
      if (pin && isScalar(pair.value)) pair.value.comment = ` ${pin}`
      if ((key === 'needs' || key === 'branches') && isSeq(pair.value)) pair.value.flow = true
      if (key === 'with' && isMap(pair.value)) pair.value.flow = false
    },
  })
  doc.commentBefore = [
    ' Generated by `wf ci github` from the plan in phases/. Do not edit this file:',
    ' change the plan and run `wf ci github` again (`wf ci github --check` fails while it is stale).',
    ' Each phase is a job; a job downloads the ledgers of the jobs it needs and merges them, so',
    ' `wf run-phase` finds what it needs passed, then uploads its own ledger. The last job merges',
    ' them all (`wf ledger merge`), shows `wf status`, writes the job summary and fails if a phase failed.',
  ].join('\n')
  return doc.toString({ lineWidth: 0, nullStr: '' })
}
