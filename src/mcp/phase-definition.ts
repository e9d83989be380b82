import * as z from 'zod'
import { gateName, taskName } from '../engine/names.js'
import { gateKind, taskKind } from '../plan/kinds.js'
import type { Gate, Task } from '../plan/plan.generated.js'
import type { ResolvedPhase } from '../plan/resolve-plan.js'
import { portable } from './portable.js'

/** A phase's definition as tools report it: what it does and proves, in words and as written. */
export const phaseDefinition = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  needs: z.array(z.string()),
  inputs: z.array(z.string()).describe('Files (globs) that make the phase out of date when they change.'),
  extends: z.string().optional(),
  when: portable.object().optional().describe('The condition under which the phase runs.'),
  env: z.array(z.string()).describe('Names of the environment variables the plan sets for it (values are not shown).'),
  tasks: z.array(z.object({ kind: z.string(), does: z.string(), definition: portable.object() })),
  gates: z.array(
    z.object({
      kind: z.string(),
      checks: z.string(),
      hint: z.string().optional(),
      severity: z.string().optional(),
      waived: z.object({ reason: z.string(), owner: z.string(), until: z.string() }).optional(),
      definition: portable.object(),
    }),
  ),
  source: z.string().describe('Where the phase is defined, as file:line:col.'),
})

/** A resolved phase as tools report it (the positioned YAML parser must be loaded: `loadYaml()`). */
export function describePhase(phase: ResolvedPhase): z.infer<typeof phaseDefinition> {
  const source = phase.source
  return {
    id: phase.id,
    name: phase.name,
    ...(phase.description ? { description: phase.description } : {}),
    needs: phase.needs,
    inputs: phase.inputs,
    ...(phase.extends ? { extends: phase.extends } : {}),
    ...(phase.when ? { when: { ...phase.when } } : {}),
    env: Object.keys(phase.env),
    tasks: phase.tasks.map((task) => ({
      kind: taskKind(task),
      does: taskName(task),
      definition: withoutEnvValues(task),
    })),
    gates: phase.gates.map((gate) => ({
      kind: gateKind(gate),
      checks: gateName(gate),
      ...(gate.hint ? { hint: gate.hint } : {}),
      ...(gate.severity ? { severity: gate.severity } : {}),
      ...(gate.waive
        ? { waived: { reason: gate.waive.reason, owner: gate.waive.owner, until: gate.waive.until } }
        : {}),
      definition: withoutEnvValues(gate),
    })),
    source: [source.file, source.line, source.col].filter((p) => p !== undefined).join(':'),
  }
}

/** A task or gate as written, with the values of its `env` left out (they may be secrets). */
function withoutEnvValues(entry: Task | Gate): Record<string, unknown> {
  const copy = { ...entry } as Record<string, unknown>
  if (copy.env && typeof copy.env === 'object') copy.env = Object.keys(copy.env)
  return copy
}
