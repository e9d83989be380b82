import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../cli/base-command.js'

export default class Mcp extends WfCommand {
  static override summary = 'Serve the plan to AI agents over the Model Context Protocol (stdio).'
  static override description =
    `Starts an MCP server on stdin/stdout for an AI client (Claude Desktop, Claude Code, VS Code, Cursor). Its tools: list_phases, get_phase, next_phase (what to work on and how to make its gates pass), check_phase (gates only, writes nothing), get_status and validate_plan; resources wf://ledger, wf://plan and wf://phases/{id}.
It is read-only unless --allow-run, which adds run_phase: it runs a phase (after the user confirms, when the client can ask), reports progress per task and gate, and stops the phase's processes when the request is cancelled. No tool argument can carry a command or a path.
Only protocol messages are written to stdout; logs go to stderr. The server exits when stdin closes.`
  static override examples = [
    {
      description: 'Serve the repository in the current folder, read-only',
      command: '<%= config.bin %> <%= command.id %>',
    },
    { description: 'Let the agent run phases too', command: '<%= config.bin %> <%= command.id %> --allow-run' },
    { description: 'Register it with Claude Code', command: 'claude mcp add wf -- npx --no-install wf mcp' },
  ]
  static override flags = {
    'allow-run': Flags.boolean({
      summary: 'Offer run_phase, which runs phases and records them in the ledger (changes files).',
    }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Mcp)
    const { serveStdio } = await import('../mcp/serve.js')
    await serveStdio({ cwd: this.cwdFrom(flags), allowRun: flags['allow-run'] })
  }
}
