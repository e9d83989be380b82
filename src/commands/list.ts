import { WfCommand } from '../cli/base-command.js'
import { affectedFlagOptions, affectedFlags } from '../cli/run-flags.js'
import { sharedFlags } from '../cli/shared-flags.js'
import { listPhases } from '../app/list-phases.js'
import { affectedHeadline } from '../report/format-affected.js'
import { renderTable } from '../report/table.js'

export default class List extends WfCommand {
  static override summary = 'List phases in dependency order.'
  static override description =
    'Shows every phase with its name, what it needs, its latest status (once a ledger exists) and where it is defined, in the order `wf run` would start them. With --affected, only the phases `wf run --affected` would run, each with why.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
    '<%= config.bin %> <%= command.id %> --affected --since main',
  ]
  static override flags = { plan: sharedFlags.plan, ...affectedFlags }

  async run() {
    const { flags } = await this.parse(List)
    const { rows, ledger, affected, facts } = await listPhases({
      cwd: this.cwdFrom(flags),
      plan: flags.plan,
      ...affectedFlagOptions(flags),
    })
    const head = ['PHASE', 'NAME', 'NEEDS', 'TASKS', 'GATES', ...(ledger ? ['STATUS'] : []), 'DEFINED AT']
    if (affected) head.push('AFFECTED BECAUSE')
    const cells = rows.map((r) => [
      r.id,
      r.name,
      r.needs.join(', ') || '-',
      String(r.tasks),
      String(r.gates),
      ...(r.status ? [r.status] : []),
      r.source,
      ...(r.affected ? [r.affected] : []),
    ])
    if (!this.jsonEnabled() && affected)
      this.log(`${affectedHeadline(affected)}${rows.length ? ':' : ': no phase is affected.'}`)
    if (!this.jsonEnabled() && rows.length) this.log(renderTable(head, cells))
    const { since, base, files } = affected ?? {}
    return { phases: rows, ...(affected ? { affected: { since, base, files } } : {}), facts }
  }
}
