import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../cli/base-command.js'

export default class Mcp extends WfCommand {
  static override summary = 'Serve the plan to AI agents over the Model Context Protocol (stdio).'
  static override description =
    `Starts an MCP server on stdin/stdout for an AI client (Claude Desktop, Claude Code, VS Code, Cursor). Its tools: list_phases (filters by category, tag, status and text; pages with a cursor), list_presets (the built-in preset library), get_phase, next_phase (what to work on and how to make its gates pass), check_phase (gates only, writes nothing), get_status and validate_plan; resources wf://ledger, wf://plan, wf://phases/{id}, wf://presets and wf://presets/{id}.
Without --allow-run it runs no code from the plan or the repository: check_phase and next_phase report \`command\` and \`plugin\` gates and \`when: { run }\` conditions as not-evaluated (never as passed), repository templates (which can run JavaScript) are rendered in a child Node.js under the permission model (no processes, no writes), and every tool is annotated read-only.
--allow-write adds fix_phase: it applies the fixes the plan gives a phase's failing gates (\`fix:\`), after asking the user through MCP elicitation (what will change, with short diffs; a client without elicitation gets an error); files with uncommitted changes are written only when the user allows it in the same form. Without --allow-run it writes files only: \`run\` fixes are refused and command gates are not evaluated.
--allow-run adds run_phase and fix_phase (with \`run\` fixes): it runs a phase (after the user confirms, when the client can ask), reports progress per task and gate, and stops the phase's processes when the request is cancelled; check_phase and next_phase then evaluate command and plugin gates and \`when: run\`, and are annotated as not read-only. No tool argument can carry a command or a path.
Only protocol messages are written to stdout; logs go to stderr. The server exits when stdin closes.`
  static override examples = [
    {
      description: 'Serve the repository in the current folder, read-only',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Let the agent apply the fixes of failing gates (the user confirms each time)',
      command: '<%= config.bin %> <%= command.id %> --allow-write',
    },
    { description: 'Let the agent run phases too', command: '<%= config.bin %> <%= command.id %> --allow-run' },
    { description: 'Register it with Claude Code', command: 'claude mcp add wf -- npx --no-install wf mcp' },
  ]
  static override flags = {
    'allow-write': Flags.boolean({
      summary:
        'Offer fix_phase, which writes the fixes the plan gives failing gates after the user confirms through MCP elicitation; it runs no plan code (run fixes are refused) unless --allow-run is given too.',
    }),
    'allow-run': Flags.boolean({
      summary:
        'Offer run_phase, which runs phases and records them in the ledger (changes files), and let check_phase and next_phase run command and plugin gates and `when: run`.',
    }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Mcp)
    const { serveStdio } = await import('../mcp/serve.js')
    await serveStdio({ cwd: this.cwdFrom(flags), allowRun: flags['allow-run'], allowWrite: flags['allow-write'] })
  }
}
