import { statSync } from 'node:fs'
import { posix, resolve } from 'node:path'
import type { OptionProblem } from '../plan/check-plan.js'
import { generatorTask } from './generator-task.js'
import { findTemplate, renderTemplate, templateFacts } from '../generate/templates.js'
import type { TemplateTask } from '../plan/plan.generated.js'
import { builtinTemplates } from '../plan/template-library.js'
import { suggest } from '../lib/suggest.js'

/** Names usable as `builtin:NAME` in template tasks. */
function builtinTemplateNames(): string[] {
  try {
    return [...builtinTemplates().keys()].sort()
  } catch {
    return []
  }
}

/** Whether a folder is at `path` (one stat; anything that cannot be read there is not one). */
function isFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true
  } catch {
    return false
  }
}

/** Why `to:` cannot name the one file a template renders to (the root, a folder), or undefined. */
function outputFileProblem(root: string, to: string): OptionProblem | undefined {
  const full = resolve(root, to)
  const folder = /[\\/]$/.test(to) || full === resolve(root) || isFolder(full)
  if (!folder) return
  return {
    at: ['to'],
    message: `output path \`${to}\` is a folder: a template renders one file`,
    hint: `name the file to write, e.g. \`${posix.join(to.replace(/\\/g, '/'), 'NAME')}\``,
  }
}

/** `template:` — renders a nunjucks template (the repository's or `builtin:NAME`) to `to:`, with drift protection. */
export const templateTask = generatorTask<TemplateTask>({
  describe: (task) => `${task.template} → ${task.to}`,
  // The template source and the output itself: editing either makes the phase run again.
  inputs: (task) => [...(task.template.startsWith('builtin:') ? [] : [task.template]), task.to],
  // The template and the output: a task reading what an earlier one writes starts a new batch.
  batchFiles: (task) => [...(task.template.startsWith('builtin:') ? [] : [task.template]), task.to],
  overwrite: (task) => task.overwrite,
  merge: (task) => (task.merge === false ? undefined : { conflicts: task.conflicts ?? 'fail' }),
  paths: (task) => [
    ...(task.template.startsWith('builtin:')
      ? []
      : [{ at: ['template'], value: task.template, mustExist: 'file' as const, what: 'template' }]),
    { at: ['to'], value: task.to, mustExist: false, what: 'output path' },
  ],
  checkOptions(task, { root }) {
    const output = outputFileProblem(root, task.to)
    if (output) return [output]
    if (!task.template.startsWith('builtin:')) return []
    const name = task.template.slice('builtin:'.length)
    const known = builtinTemplateNames()
    if (known.includes(name)) return []
    const close = suggest(name, known)
    return [
      {
        at: ['template'],
        code: 'WF_PLAN_PATH',
        message: `unknown built-in template \`${task.template}\``,
        expected: known.length
          ? `one of ${known.map((k) => `builtin:${k}`).join(', ')}`
          : 'a template file in the repository',
        hint: close
          ? `did you mean \`builtin:${close}\`?`
          : 'name a template file in the repository instead, e.g. `templates/NAME.njk`',
      },
    ]
  },
  async outputs(task, context) {
    const info = findTemplate(context.workspace, task.template)
    // Templates see only the environment variables the plan names.
    const env: Record<string, string> = {}
    for (const name of Object.keys(context.phase.env ?? {})) {
      const value = context.env.vars[name]
      if (value !== undefined) env[name] = value
    }
    const vars = { ...context.phase.vars, ...(task.vars ?? {}) }
    const facts = await templateFacts(context.workspace)
    const content = await renderTemplate(context.workspace, info, facts, vars, env, {
      sandbox: context.readOnly !== undefined,
    })
    return [{ path: task.to.replace(/\\/g, '/').replace(/^\.\//, ''), content, source: task.template }]
  },
})
