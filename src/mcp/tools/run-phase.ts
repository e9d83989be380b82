import * as z from 'zod'
import { executeRun } from '../../app/execute-run.js'
import { WfError } from '../../lib/errors.js'
import { selectPhases } from '../../engine/select-phases.js'
import { taskName } from '../../engine/names.js'
import {
  CONFIRM_TIMEOUT_MS,
  failure,
  guard,
  LOCK_TIMEOUT_MS,
  ok,
  phaseId,
  phaseResult,
  progressReporter,
  toGateResult,
  toTaskResult,
  type McpContext,
  type ToolExtra,
  type ToolRegistration,
} from '../tool-kit.js'

const output = {
  status: z.string().describe('passed, failed or cancelled.'),
  runId: z.string().optional().describe('The run as recorded in the ledger.'),
  phases: z.array(phaseResult),
}

/** `run_phase`: runs one phase's tasks and gates and records the result (only with --allow-run). */
export const registerRunPhase: ToolRegistration = (server, context) => {
  server.registerTool(
    'run_phase',
    {
      title: 'Run a phase',
      description:
        "Run one phase of the wf plan, like `wf run-phase ID`: its tasks run (shell commands, files written from templates, generated code) and then its gates are checked; the result is recorded in the ledger (.wf/). This changes files in the repository. Every phase it needs must already have passed (see next_phase). A phase that is up to date is skipped unless `force` is true. A generated file edited by hand is never overwritten unless `overwrite` is true (then it is first saved under .wf/backup/RUN-ID/ and the task's result names the copy); without it a template task merges the edit with its new output three ways, and the task fails with the diff or the conflicting lines when it cannot, so ask the user before setting it. The user is asked to confirm first when the client supports it. Sends a progress notification per task and gate; cancelling the request stops the phase's processes and records it as cancelled.",
      inputSchema: z.strictObject({
        id: phaseId,
        force: z.boolean().optional().describe('Run it even when it is up to date (hand edits are still kept).'),
        overwrite: z
          .boolean()
          .optional()
          .describe('Replace generated files edited by hand, saving each under .wf/backup/ first.'),
      }),
      outputSchema: output,
      annotations: {
        title: 'Run a phase',
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    ({ id, force, overwrite }, extra) =>
      guard(context, () => runPhase(context, extra, id, { force: force === true, overwrite: overwrite === true })),
  )
}

async function runPhase(
  context: McpContext,
  extra: ToolExtra,
  id: string,
  { force, overwrite }: { force: boolean; overwrite: boolean },
) {
  const plan = await context.repo.plan()
  const [known] = selectPhases(plan, { only: [id] })
  const phase = plan.phases.find((p) => p.id === known)!
  const confirmed = await confirm(
    context,
    extra,
    phase.id,
    `Run wf phase \`${phase.id}\` (${phase.name})${force ? ' even if it is up to date' : ''}${overwrite ? ', replacing generated files edited by hand (saved in .wf/backup/ first)' : ''}? It runs ${phase.tasks.length ? phase.tasks.map((t) => `\`${taskName(t)}\``).join(', ') : 'no tasks'} and then checks ${phase.gates.length} gate(s), and records the result in .wf/.`,
  )
  if (!confirmed)
    return failure(
      'WF_DECLINED',
      `the user did not confirm running phase \`${phase.id}\`; nothing ran`,
      `ask the user whether to run it, or let them run \`wf run-phase ${phase.id}\` themselves`,
    )
  const signal = AbortSignal.any([extra.signal, context.shutdown])
  const job = executeRun({
    cwd: context.cwd,
    only: [phase.id],
    force,
    overwrite,
    lockTimeoutMs: LOCK_TIMEOUT_MS,
    argv: ['mcp', 'run_phase', phase.id, ...(force ? ['--force'] : []), ...(overwrite ? ['--overwrite'] : [])],
    signal,
    onEvent: progressReporter(extra, phase.tasks.length * 2 + phase.gates.length),
  })
  context.running.add(job)
  try {
    const result = await job.catch((error: unknown) => {
      // The CLI's hint names --with-deps; an agent runs each need first instead.
      if (error instanceof WfError && error.code === 'WF_UNMET_NEEDS')
        throw new WfError('WF_UNMET_NEEDS', error.message, {
          hint: 'run each unmet need first with run_phase (next_phase names the phase to run next)',
        })
      throw error
    })
    return ok({
      status: result.status,
      ...(result.runId ? { runId: result.runId } : {}),
      phases: result.records.map(({ id, status, reason, durationMs, endedAt, tasks, gates }) => ({
        id,
        status,
        ...(reason ? { reason } : {}),
        ...(durationMs !== undefined ? { durationMs } : {}),
        ...(endedAt ? { endedAt } : {}),
        tasks: (tasks ?? []).map(toTaskResult),
        gates: (gates ?? []).map(toGateResult),
      })),
    })
  } finally {
    context.running.delete(job)
  }
}

/** Asks the user through elicitation when the client supports it; true when it does not. */
async function confirm(context: McpContext, extra: ToolExtra, id: string, message: string): Promise<boolean> {
  const server = context.server
  if (!server.getClientCapabilities()?.elicitation?.form) return true
  const answer = await server
    .elicitInput(
      {
        mode: 'form',
        message,
        requestedSchema: {
          type: 'object',
          properties: { run: { type: 'boolean', title: `Run ${id}`, description: 'Run the phase now', default: true } },
          required: ['run'],
        },
      },
      { signal: extra.signal, timeout: CONFIRM_TIMEOUT_MS },
    )
    .catch((error: Error) => {
      context.log(`no confirmation to run ${id}: ${error.message}`)
      return undefined
    })
  return answer !== undefined && answer.action === 'accept' && answer.content?.run !== false
}
