import { WfCommand } from '../cli/base-command.js'
import { sharedFlags } from '../cli/shared-flags.js'
import { readLedger } from '../ledger/ledger.js'
import { NEVER_RUN } from '../ledger/statuses.js'
import { readPlan } from '../app/read-plan.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { renderTable } from '../report/table.js'

export default class List extends WfCommand {
  static override summary = 'List phases in dependency order.'
  static override description =
    'Shows every phase with its name, what it needs, its latest status (once a ledger exists) and where it is defined, in the order `wf run` would start them.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override flags = {
    plan: sharedFlags.plan,
  }

  async run() {
    const { flags } = await this.parse(List)
    const plan = await readPlan({ cwd: this.cwdFrom(flags), plan: flags.plan, positions: true })
    const { ledger, exists } = await readLedger(plan.root, WF_VERSION)
    const rows = plan.phases.map((p) => ({
      id: p.id,
      name: p.name,
      needs: p.needs,
      tasks: p.tasks.length,
      gates: p.gates.length,
      source: `${p.source.file}:${p.source.line}`,
      ...(exists ? { status: ledger.phases[p.id]?.status ?? NEVER_RUN } : {}),
    }))
    const head = ['PHASE', 'NAME', 'NEEDS', 'TASKS', 'GATES', ...(exists ? ['STATUS'] : []), 'DEFINED AT']
    if (!this.jsonEnabled())
      this.log(
        renderTable(
          head,
          rows.map((r) => [
            r.id,
            r.name,
            r.needs.join(', ') || '-',
            String(r.tasks),
            String(r.gates),
            ...(r.status ? [r.status] : []),
            r.source,
          ]),
        ),
      )
    return { phases: rows }
  }
}
