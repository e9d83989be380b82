import type { ResolvedEnv } from '../lib/environment.js'
import type { Workspace } from '../lib/workspace.js'
import { findTemplate, renderTemplate, templateFacts } from '../generate/templates.js'
import type { Fix, FixEdit, Gate } from '../plan/plan.generated.js'
import type { ResolvedPhase } from '../plan/resolve-plan.js'
import type { EditContext, FixChange, FixPlan } from './fix-kind.js'
import { planEdit } from './fix-edits.js'

/** What working out a fix needs: the repository, the gate's phase and its environment. */
export interface FixPlanContext {
  workspace: Workspace
  phase: ResolvedPhase
  env: ResolvedEnv
  /** Render repository templates in the sandbox (a dry run runs no repository code). */
  sandbox?: boolean
}

/** The gate's fix as a plan of what it changes, worked out without writing anything; undefined when the gate has none. */
export async function planFix(gate: Gate, context: FixPlanContext): Promise<FixPlan | undefined> {
  const fix = (gate as { fix?: Fix }).fix
  if (!fix) return undefined
  if (fix.manual !== undefined)
    return { description: fix.description ?? 'cannot be fixed offline', changes: [], manual: fix.manual }
  if (fix.run !== undefined) return { description: fix.description ?? `run \`${fix.run}\``, changes: [], run: fix.run }
  if (fix.edit !== undefined) {
    const { workspace, phase } = context
    const plan = await planEditFix(fix.edit, { root: workspace.root, workspace, vars: phase.vars ?? {} })
    return fix.description ? { ...plan, description: fix.description } : plan
  }
  const template = fix.template!
  const to = fix.to!.replace(/\\/g, '/').replace(/^\.\//, '')
  const change = await renderFix(template, to, fix.vars ?? {}, context)
  return {
    description: fix.description ?? `write ${to} from ${template}`,
    changes: change.before === change.after ? [] : [change],
  }
}

/** A structured edit; this version of wf does not apply them, so the gate is listed with what to do by hand. */
async function planEditFix(edit: FixEdit, context: EditContext): Promise<FixPlan> {
  return { description: editDescription(edit), changes: await planEdit(edit, context) }
}

/** What a structured edit changes, in words. */
function editDescription(edit: FixEdit): string {
  switch (edit.kind) {
    case 'workflow-permissions':
      return 'add a top-level `permissions:` block to each workflow that declares none'
    case 'set-keys':
      return `add ${Object.keys(edit.set ?? {}).join(', ')} to ${edit.file} where missing`
    case 'append-lines':
      return `add the missing lines to ${edit.file}`
    case 'prepend-header':
      return 'add the header to each file that lacks it'
  }
}

/** Renders a fix's template as the template task does: phase vars under the fix's, only the env variables the plan names. */
async function renderFix(
  template: string,
  to: string,
  vars: Record<string, unknown>,
  context: FixPlanContext,
): Promise<FixChange> {
  const { workspace, phase } = context
  const env: Record<string, string> = {}
  for (const name of Object.keys(phase.env ?? {})) {
    const value = context.env.vars[name]
    if (value !== undefined) env[name] = value
  }
  const info = findTemplate(workspace, template)
  const facts = await templateFacts(workspace)
  const after = await renderTemplate(workspace, info, facts, { ...phase.vars, ...vars }, env, {
    sandbox: context.sandbox === true,
  })
  const before = await workspace.boundary.readFile(to, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  return { path: to, ...(before === undefined ? {} : { before }), after }
}
