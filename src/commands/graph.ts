import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../cli/base-command.js'
import { sharedFlags } from '../cli/shared-flags.js'
import { renderGraph, type GraphFormat } from '../plan/graph.js'
import { readPlan } from '../app/read-plan.js'

export default class Graph extends WfCommand {
  static override summary = 'Print the phase dependency graph.'
  static override description =
    'Renders the DAG formed by the phases and their `needs` as Mermaid (paste into Markdown), Graphviz DOT (pipe into `dot -Tsvg`) or an indented text tree.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {
      description: 'Render an SVG with Graphviz',
      command: '<%= config.bin %> <%= command.id %> --format dot | dot -Tsvg > phases.svg',
    },
    '<%= config.bin %> <%= command.id %> --format text',
  ]
  static override flags = {
    format: Flags.string({
      char: 'f',
      summary: 'Output format.',
      options: ['mermaid', 'dot', 'text'],
      default: 'mermaid',
    }),
    plan: sharedFlags.plan,
  }

  async run() {
    const { flags } = await this.parse(Graph)
    const plan = await readPlan({ cwd: this.cwdFrom(flags), plan: flags.plan })
    const text = renderGraph(plan.phases, flags.format as GraphFormat)
    if (!this.jsonEnabled()) process.stdout.write(text)
    return {
      format: flags.format,
      graph: text,
      nodes: plan.phases.map((p) => ({ id: p.id, name: p.name })),
      edges: plan.phases.flatMap((p) => p.needs.map((from) => ({ from, to: p.id }))),
    }
  }
}
