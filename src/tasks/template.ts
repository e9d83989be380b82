import { generatorTask } from '../generate/generator-task.js'
import { findTemplate, renderTemplate, templateFacts } from '../generate/templates.js'
import type { TemplateTask } from '../plan/plan.generated.js'

/** `template:` — renders a nunjucks template (the repository's or `builtin:NAME`) to `to:`, with drift protection. */
export const templateTask = generatorTask<TemplateTask>({
  describe: (task) => `${task.template} → ${task.to}`,
  // The template source and the output itself: editing either makes the phase run again.
  inputs: (task) => [...(task.template.startsWith('builtin:') ? [] : [task.template]), task.to],
  overwrite: (task) => task.overwrite,
  async outputs(task, context) {
    const info = findTemplate(context.root, task.template)
    // Templates see only the environment variables the plan names.
    const env: Record<string, string> = {}
    for (const name of Object.keys(context.phase.env ?? {})) {
      const value = context.env.vars[name]
      if (value !== undefined) env[name] = value
    }
    const vars = { ...context.phase.vars, ...(task.vars ?? {}) }
    const content = await renderTemplate(info, await templateFacts(context.root), vars, env)
    return [{ path: task.to.replace(/\\/g, '/').replace(/^\.\//, ''), content, source: task.template }]
  },
})
