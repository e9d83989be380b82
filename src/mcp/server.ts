import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { RepoReader } from './repo-reader.js'
import { registerResources } from './resources.js'
import { checkOutputsSynchronously, shapeInputErrors, type McpContext } from './tool-kit.js'
import { registerFixPhase } from './tools/fix-phase.js'
import { registerCheckPhase } from './tools/check-phase.js'
import { registerGetPhase } from './tools/get-phase.js'
import { registerGetStatus } from './tools/get-status.js'
import { registerListPhases } from './tools/list-phases.js'
import { registerListPresets } from './tools/list-presets.js'
import { registerNextPhase } from './tools/next-phase.js'
import { registerRunPhase } from './tools/run-phase.js'
import { registerValidatePlan } from './tools/validate-plan.js'

export interface CreateServerOptions {
  /** Where the repository is (its root is found upwards from here). */
  cwd: string
  /** Offer run_phase, the one tool that changes the repository. */
  allowRun: boolean
  /** Offer fix_phase, which writes the fixes the plan gives failing gates (after the user confirms); also implied by allowRun. */
  allowWrite?: boolean
  /** Where logs go (never stdout: it carries the protocol). */
  log(message: string): void
}

/** Arguments of a tool call are small; more elements than this is refused before validation. */
const MAX_INPUT_ELEMENTS = 1000

const INSTRUCTIONS = `wf runs this repository's governance plan: phases (in phases/*.yaml) whose tasks do things and whose gates prove things (files exist, no secrets, coverage, …), with results recorded in a ledger.
Start with next_phase: it names the phase to work on, which gates fail and what would make them pass. Edit files, then check_phase to confirm. list_phases and get_status give the overview; get_phase explains one phase; validate_plan checks plan files after editing them; list_presets finds built-in policies to add with \`extends: builtin:ID\`.`

/** The wf MCP server over the shared core: one tool per file, resources for the ledger, plan and phases. */
export function createServer(options: CreateServerOptions): {
  server: McpServer
  close: () => Promise<void>
  context: McpContext
} {
  const server = new McpServer(
    { name: 'wf', title: 'wf — repository governance phases', version: WF_VERSION },
    {
      instructions:
        INSTRUCTIONS +
        (options.allowRun
          ? '\nrun_phase runs a phase and records the result; fix_phase applies the fixes the plan gives failing gates, after the user confirms.'
          : options.allowWrite
            ? '\nPhases are run by the user (`wf run-phase ID`): this server was started without --allow-run. fix_phase applies the fixes the plan gives failing gates (files only, no commands), after the user confirms.'
            : '\nThis server is read-only: it was started without --allow-run, so phases are run by the user (`wf run-phase ID`).'),
      maxToolInputElements: MAX_INPUT_ELEMENTS,
    },
  )
  const shutdown = new AbortController()
  const context: McpContext = {
    cwd: options.cwd,
    repo: new RepoReader(options.cwd),
    server: server.server,
    allowRun: options.allowRun,
    allowWrite: options.allowRun || options.allowWrite === true,
    shutdown: shutdown.signal,
    env: { ...process.env },
    running: new Set(),
    log: options.log,
  }
  registerListPhases(server, context)
  registerListPresets(server, context)
  registerGetPhase(server, context)
  registerNextPhase(server, context)
  registerCheckPhase(server, context)
  registerGetStatus(server, context)
  registerValidatePlan(server, context)
  if (options.allowRun) registerRunPhase(server, context)
  if (context.allowWrite) registerFixPhase(server, context)
  registerResources(server, context)
  shapeInputErrors(server)
  checkOutputsSynchronously(server)
  const close = async () => {
    // Stop running phases (their processes are killed and the run is recorded as cancelled), then wait for them.
    shutdown.abort()
    await Promise.allSettled([...context.running])
    await server.close().catch(() => {})
    context.repo.close()
  }
  return { server, close, context }
}
