import { WfError } from '../lib/errors.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { readLedger } from '../ledger/ledger.js'
import { readRunRecords } from '../ledger/read-runs.js'
import { assembleReport, HISTORY_SHOWN, type ReportData } from '../report/report-data.js'
import { readPlan } from './read-plan.js'

export interface BuildReportOptions {
  cwd: string
  plan?: string
  /** A run id (`12-a1b2c3`) or sequence number; default: the latest state of every phase. */
  run?: string
  now?: Date
}

/** Reads the plan, the ledger and the kept run records of a repository and assembles its report. */
export async function buildReport(options: BuildReportOptions): Promise<ReportData> {
  const plan = await readPlan({ cwd: options.cwd, plan: options.plan, positions: true })
  const { ledger, exists } = await readLedger(plan.root, WF_VERSION)
  if (!exists) {
    throw new WfError(
      'WF_LEDGER_UNREADABLE',
      'there is no ledger yet (.wf/ledger.json): nothing has been run in this repository',
      {
        hint: 'run `wf run` (or `wf check`) first; the report is built from what it records',
      },
    )
  }
  // The newest runs for the history, plus the runs up-to-date phases last passed in and the run asked for.
  const seqOf = (id: string | undefined) => Number.parseInt(id ?? '', 10)
  const seqs = [...Object.values(ledger.passed).map((p) => seqOf(p?.runId)), seqOf(options.run)].filter(Number.isFinite)
  const runs = await readRunRecords(plan.root, { newest: HISTORY_SHOWN, seqs })
  return assembleReport(plan, ledger, runs, { run: options.run, now: options.now })
}
