import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../base-command.js'
import { readPlan } from '../plan/read-plan.js'
import { renderTable } from '../report/table.js'

export default class List extends WfCommand {
  static override summary = 'List phases in dependency order.'
  static override description = 'Shows every phase with its name, what it needs and where it is defined, in the order `wf run` would start them.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override flags = {
    plan: Flags.file({ summary: 'Use only this plan file.', helpValue: 'FILE' }),
  }

  async run() {
    const { flags } = await this.parse(List)
    const plan = await readPlan({ cwd: this.cwdFrom(flags), plan: flags.plan })
    const rows = plan.phases.map((p) => ({
      id: p.id,
      name: p.name,
      needs: p.needs,
      tasks: p.tasks.length,
      gates: p.gates.length,
      source: `${p.source.file}:${p.source.line}`,
    }))
    if (!this.jsonEnabled()) this.log(renderTable(['PHASE', 'NAME', 'NEEDS', 'TASKS', 'GATES', 'DEFINED AT'], rows.map((r) => [r.id, r.name, r.needs.join(', ') || '-', String(r.tasks), String(r.gates), r.source])))
    return { phases: rows }
  }
}

