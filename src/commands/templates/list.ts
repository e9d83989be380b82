import { WfCommand } from '../../cli/base-command.js'
import { listTemplates } from '../../app/generate-template.js'

export default class TemplatesList extends WfCommand {
  static override summary = 'List the templates wf can render, with their variables.'
  static override description =
    "Shows wf's built-in templates (use them as `template: builtin:NAME` in a plan, or with `wf generate template builtin:NAME`) with where each is usually written and its variables with their defaults, then the repository's own templates under templates/ with the variables they use."
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run() {
    const { flags } = await this.parse(TemplatesList)
    const templates = await listTemplates(this.cwdFrom(flags))
    const rows = templates.map(({ name, to, description, vars }) => ({ name, to, description, vars }))
    if (!this.jsonEnabled()) {
      for (const t of rows) {
        this.log(`${t.name}${t.to ? ` → ${t.to}` : ''}`)
        if (t.description) this.log(`    ${t.description}`)
        for (const v of t.vars) {
          const dflt =
            v.default === undefined
              ? ''
              : ` (default: ${typeof v.default === 'string' ? v.default : JSON.stringify(v.default)})`
          this.log(`    ${v.name}${v.description ? `: ${v.description}` : ''}${dflt}`)
        }
      }
    }
    return { templates: rows }
  }
}
