import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../base-command.js'
import { explainPhases } from '../engine/explain.js'
import { selectPhases } from '../engine/select-phases.js'
import { readHashCache, readLedger } from '../ledger/ledger.js'
import { readPlan } from '../plan/read-plan.js'
import { WF_VERSION } from '../wf-version.js'

export default class Explain extends WfCommand {
  static override summary = 'Say why a phase would run, or that it is up to date.'
  static override description = 'Compares the phase\'s inputs now with those of its last passed run and names each difference: a file added, removed or modified, the definition, variables or environment changed, a needed phase changed, or a new wf version.'
  static override args = { phase: Args.string({ description: 'The phase id.', required: true }) }
  static override examples = ['<%= config.bin %> <%= command.id %> build', '<%= config.bin %> <%= command.id %> build --json']
  static override flags = { plan: Flags.file({ summary: 'Use only this plan file.', helpValue: 'FILE' }) }

  async run() {
    const { args, flags } = await this.parse(Explain)
    const plan = await readPlan({ cwd: this.cwdFrom(flags), plan: flags.plan })
    const [id] = selectPhases(plan, { only: [args.phase] })
    const { ledger } = await readLedger(plan.root, WF_VERSION)
    const freshness = (await explainPhases(plan, ledger, { wf: WF_VERSION, hashCache: await readHashCache(plan.root), ids: [id!] })).get(id!)!
    const last = ledger.passed[id!]
    if (freshness.upToDate) this.log(`${id} is up to date: nothing changed since it passed at ${last!.at} (run ${last!.runId}).`)
    else this.log(`${id} would run:\n${freshness.changes.map((c) => `  - ${c}`).join('\n')}`)
    return { phase: id, upToDate: freshness.upToDate, changes: freshness.changes, lastPassed: last ? { at: last.at, runId: last.runId } : null }
  }
}
