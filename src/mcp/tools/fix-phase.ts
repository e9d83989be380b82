import * as z from 'zod'
import { type FixPhasesResult, fixPhases, type GateFix } from '../../app/fix-phases.js'
import { selectPhases } from '../../engine/select-phases.js'
import {
  CONFIRM_TIMEOUT_MS,
  failure,
  guard,
  LOCK_TIMEOUT_MS,
  NEEDS_ALLOW_RUN,
  ok,
  phaseId,
  type McpContext,
  type ToolExtra,
  type ToolRegistration,
} from '../tool-kit.js'

/** Lines of each diff shown in the confirmation. */
const DIFF_LINES = 12

const output = {
  status: z
    .enum(['passed', 'failed', 'declined', 'nothing-to-fix'])
    .describe(
      'passed: every failing gate is fixed; failed: some are not (see gates); declined: the user did not confirm, nothing changed; nothing-to-fix: no failing gate has a fix to apply, nothing changed.',
    ),
  applied: z.boolean().describe('True when fixes were applied (files written, commands run).'),
  gates: z
    .array(
      z.object({
        phase: z.string(),
        gate: z.string(),
        kind: z.string(),
        status: z
          .string()
          .describe(
            'fixed, failing (fixed and still failing, or its command failed), manual (fix it by hand: see message), no-fix (the plan gives none), skipped (another fix writes the same file), refused (it would write over uncommitted changes the user did not allow), planned (not applied: the user declined).',
          ),
        message: z.string(),
        hint: z.string().optional(),
        description: z.string().optional().describe('What the fix does.'),
        files: z.array(z.string()).optional().describe('Files the fix writes.'),
        run: z.string().optional().describe('The command the fix runs.'),
      }),
    )
    .describe('Each failing gate of the phase and what became of it.'),
}

type Output = z.infer<z.ZodObject<typeof output>>

/** `fix_phase`: applies the fixes the plan gives a phase's failing gates, after the user confirms through elicitation (with --allow-write or --allow-run). */
export const registerFixPhase: ToolRegistration = (server, context) => {
  server.registerTool(
    'fix_phase',
    {
      title: 'Fix failing gates',
      description:
        "Apply the fixes the plan gives the failing gates of one phase (`fix:` on a gate), like `wf fix ID`: files written from templates or edited, and fix commands run; then the gates are checked again. The user is always asked first (MCP elicitation: what will change, with short diffs); a client without elicitation gets an error and nothing changes. Files with uncommitted changes are written only when the user allows it in the same form (they are saved under .wf/backup/ first); otherwise those fixes are refused. Declining changes nothing. Returns each gate's status (fixed, failing, manual, refused, …). Sends a progress notification per gate when the request carries a progress token. Without --allow-run, `run` fixes are refused and `command` and `plugin` gates are not evaluated. next_phase lists the fixes (`fixes`) without applying them.",
      inputSchema: z.strictObject({
        phase: phaseId,
        gate: z.string().min(1).max(256).optional().describe('Fix only the gate with this name.'),
      }),
      outputSchema: output,
      annotations: {
        title: 'Fix failing gates',
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    ({ phase, gate }, extra) => guard(context, () => fixPhase(context, extra, phase, gate)),
  )
}

async function fixPhase(context: McpContext, extra: ToolExtra, id: string, gate: string | undefined) {
  if (!context.server.getClientCapabilities()?.elicitation?.form)
    return failure(
      'WF_NEEDS_ELICITATION',
      'fix_phase asks the user to confirm through MCP elicitation, which this client does not offer; nothing changed',
      `let the user run \`wf fix ${id}\` (next_phase lists the fixes), or use a client that supports elicitation`,
    )
  const plan = await context.repo.plan()
  const [known] = selectPhases(plan, { only: [id] })
  const signal = AbortSignal.any([extra.signal, context.shutdown])
  const argv = ['mcp', 'fix_phase', known!, ...(gate ? ['--gate', gate] : [])]
  const options = {
    cwd: context.cwd,
    phases: [known!],
    gate,
    lockTimeoutMs: LOCK_TIMEOUT_MS,
    argv,
    signal,
    ...(context.allowRun ? {} : { readOnly: NEEDS_ALLOW_RUN }),
  }
  const dry = await fixPhases({ ...options, dryRun: true })
  const planned = dry.gates.filter((g) => g.status === 'planned')
  // Refused for uncommitted changes (they have diffs): the user may allow those; a `run` fix refused without --allow-run stays so.
  const refused = dry.gates.filter((g) => g.status === 'refused' && g.diffs?.length)
  if (planned.length === 0 && refused.length === 0)
    return ok(
      result(
        dry.gates.some((g) => g.status !== 'manual' && g.status !== 'no-fix') ? dry.status : 'nothing-to-fix',
        false,
        dry,
      ),
    )
  const answer = await ask(context, extra, known!, planned, refused)
  if (!answer.confirm) return ok(result('declined', false, dry))
  const applied = await fixPhases({ ...options, yes: answer.overwrite })
  await reportGates(extra, applied.gates)
  return ok(result(applied.status, true, applied))
}

function result(status: Output['status'], applied: boolean, fixed: FixPhasesResult): Output {
  return {
    status,
    applied,
    gates: fixed.gates.map(({ phase, gate, kind, status, message, hint, description, diffs, run }) => ({
      phase,
      gate,
      kind,
      status,
      message,
      ...(status === 'refused' && diffs?.length
        ? {
            hint: 'commit them first, or call fix_phase again and allow writing over uncommitted changes (each file is saved in .wf/backup/ first)',
          }
        : status === 'refused'
          ? { hint: `let the user run \`wf fix ${phase}\`, or start the server with --allow-run` }
          : hint
            ? { hint }
            : {}),
      ...(description ? { description } : {}),
      ...(diffs?.length ? { files: diffs.map((d) => d.path) } : {}),
      ...(run !== undefined ? { run } : {}),
    })),
  }
}

/** Asks the user to confirm the fixes (and, when some would write over uncommitted changes, whether to allow that). */
async function ask(
  context: McpContext,
  extra: ToolExtra,
  id: string,
  planned: GateFix[],
  refused: GateFix[],
): Promise<{ confirm: boolean; overwrite: boolean }> {
  const lines = [`Apply these fixes to phase \`${id}\`?`]
  for (const g of [...planned, ...refused]) {
    lines.push(`- ${g.gate}: ${g.description ?? g.message}${g.run !== undefined ? ` (runs \`${g.run}\`)` : ''}`)
    for (const { path, diff } of g.diffs ?? []) {
      const all = diff.split('\n')
      lines.push(`  ${path}:`, ...all.slice(0, DIFF_LINES).map((l) => `    ${l}`))
      if (all.length > DIFF_LINES) lines.push(`    … ${all.length - DIFF_LINES} more lines`)
    }
  }
  if (refused.length)
    lines.push(
      `Uncommitted changes would be written over by: ${refused.map((g) => `${g.gate} (${g.message})`).join('; ')}. Those fixes are applied only if you allow it (each file is saved under .wf/backup/ first).`,
    )
  const properties: Record<string, { type: 'boolean'; title: string; description: string; default: boolean }> = {
    confirm: {
      type: 'boolean',
      title: 'Apply the fixes',
      description: 'Write the files and run the fix commands',
      default: false,
    },
  }
  if (refused.length)
    properties.overwrite = {
      type: 'boolean',
      title: 'Write over uncommitted changes',
      description: 'Also apply the fixes that write files with uncommitted changes',
      default: false,
    }
  const answer = await context.server
    .elicitInput(
      {
        mode: 'form',
        message: lines.join('\n'),
        requestedSchema: { type: 'object', properties, required: ['confirm'] },
      },
      { signal: extra.signal, timeout: CONFIRM_TIMEOUT_MS },
    )
    .catch((error: Error) => {
      context.log(`no confirmation to fix ${id}: ${error.message}`)
      return undefined
    })
  const accepted = answer?.action === 'accept' && answer.content?.confirm === true
  return { confirm: accepted, overwrite: accepted && refused.length > 0 && answer.content?.overwrite === true }
}

/** One progress notification per gate, when the client asked for progress. */
async function reportGates(extra: ToolExtra, gates: GateFix[]): Promise<void> {
  const token = extra._meta?.progressToken
  if (token === undefined) return
  for (const [index, g] of gates.entries())
    await extra
      .sendNotification({
        method: 'notifications/progress',
        params: {
          progressToken: token,
          progress: index + 1,
          total: gates.length,
          message: `${g.phase}: gate ${g.gate} ${g.status}`,
        },
      })
      .catch(() => {})
}
