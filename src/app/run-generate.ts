// `wf contracts generate`: every contracts task's outputs written with drift protection, recorded in the ledger.
import { readLedger, LedgerWriter } from '../ledger/ledger.js'
import { applyOutputs, planOutputs, unifiedDiff, type OutputPlan } from '../generate/outputs.js'
import type { GeneratedOutput } from '../tasks/task-kind.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { BACKUP_DIR, newBackupId } from '../ledger/save-backup.js'
import { generateContracts } from '../contracts/generate.js'
import { cachedOutputs, inputsKey, rememberOutputs } from '../contracts/generate-cache.js'
import { contractsTargets, type ContractsTarget } from './contract-targets.js'
import { Workspace } from '../lib/workspace.js'

export interface RunContractsGenerateOptions {
  cwd: string
  schemas?: string
  out?: string
  validators?: boolean
  plan?: string
  dryRun?: boolean
  /** Generate even when the cache says the files are current (a file edited by hand is still left alone). */
  force?: boolean
  /** Replace files edited by hand, saving each under .wf/backup/<fresh id>/ first. */
  overwrite?: boolean
  lockTimeoutMs: number
  argv: string[]
}

export interface ContractsGenerateResult {
  targets: Array<{ target: ContractsTarget; files: Array<GeneratedOutput & { note?: string; diff?: string }> }>
  drifted: string[]
  dryRun: boolean
}

/** Generates every target's files (or, with `dryRun`, only says what would change, with diffs). */
export async function runContractsGenerate(options: RunContractsGenerateOptions): Promise<ContractsGenerateResult> {
  const { root, targets } = await contractsTargets(options.cwd, options)
  const { ledger } = await readLedger(root, WF_VERSION)
  const workspace = new Workspace(root)
  const result: ContractsGenerateResult = { targets: [], drifted: [], dryRun: options.dryRun === true }
  const toRecord: GeneratedOutput[] = []
  const planned = []
  // One backup folder for everything this command overwrites.
  const backupId = newBackupId()
  for (const target of targets) {
    const key = await inputsKey(root, target)
    const cached = options.force ? undefined : await cachedOutputs(root, key)
    if (cached) {
      // Nothing changed since wf generated these files, and they are as it wrote them.
      const files = cached.map((file) => ({ ...file, action: 'unchanged' as const }))
      result.targets.push({ target, files })
      toRecord.push(...files.filter((file) => ledger.generated?.[file.path]?.hash !== file.hash))
      continue
    }
    const files = await generateContracts(root, target)
    const plans = await planOutputs(workspace, files, {
      previous: ledger.generated ?? {},
      policy: 'if-unchanged',
      overwrite: options.overwrite,
      backupId,
    })
    planned.push({ target, key, plans })
  }
  // Files are written under the ledger's lock, each target's after its intents are on disk.
  const writer =
    !options.dryRun && (planned.length > 0 || toRecord.length > 0)
      ? await LedgerWriter.open(root, {
          wf: WF_VERSION,
          lockTimeoutMs: options.lockTimeoutMs,
          command: ['wf', ...options.argv].join(' '),
          argv: options.argv,
        })
      : undefined
  try {
    for (const { target, key, plans } of planned) {
      if (writer) {
        await writer.intend(plans)
        toRecord.push(...(await applyOutputs(workspace, plans)))
      }
      const files = await describeFiles(plans, options.dryRun === true)
      result.drifted.push(...plans.filter((plan) => plan.action === 'drifted').map((plan) => plan.path))
      if (writer && plans.every((p) => p.action !== 'drifted'))
        await rememberOutputs(
          root,
          key,
          plans.map(({ path, hash, source }) => ({ path, hash, source })),
        )
      result.targets.push({ target, files })
    }
    if (writer && toRecord.length > 0) await writer.recordGenerated(toRecord)
  } finally {
    await writer?.close()
  }
  return result
}

/** What the command says about each file of a target: its action, why, the backup, the diff. */
async function describeFiles(
  plans: OutputPlan[],
  dryRun: boolean,
): Promise<ContractsGenerateResult['targets'][number]['files']> {
  const files: ContractsGenerateResult['targets'][number]['files'] = []
  for (const plan of plans) {
    const changes = plan.action !== 'unchanged' && plan.action !== 'kept'
    const diff =
      changes && (dryRun || plan.action === 'drifted')
        ? await unifiedDiff(plan.path, plan.current, plan.content)
        : undefined
    const note =
      plan.action !== 'overwritten'
        ? plan.note
        : dryRun
          ? `${plan.note}; your edit would be saved under ${BACKUP_DIR}/`
          : `your edit saved in ${plan.backup}`
    files.push({
      path: plan.path,
      action: plan.action,
      hash: plan.hash,
      source: plan.source,
      ...(note ? { note } : {}),
      ...(plan.backup && !dryRun ? { backup: plan.backup } : {}),
      ...(diff ? { diff } : {}),
    })
  }
  return files
}
