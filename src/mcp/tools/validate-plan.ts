import * as z from 'zod'
import { PlanError } from '../../lib/errors.js'
import { readPlan } from '../../app/read-plan.js'
import { flattenIssue, guard, ok, READ_ONLY, type ToolRegistration } from '../tool-kit.js'

const output = {
  valid: z.boolean(),
  files: z.array(z.string()).describe('The plan files read (phases/*.yaml and what they include).'),
  phases: z.number().describe('How many phases the plan has (0 when it is invalid).'),
  issues: z.array(
    z.object({
      code: z.string(),
      message: z.string(),
      at: z.string().optional().describe('file:line:col'),
      file: z.string().optional(),
      line: z.number().optional(),
      col: z.number().optional(),
      excerpt: z.string().optional().describe('The offending line of the file.'),
      expected: z.string().optional(),
      hint: z.string().optional().describe('What would fix it.'),
    }),
  ),
}

/** `validate_plan`: every plan problem with its location. */
export const registerValidatePlan: ToolRegistration = (server, context) => {
  server.registerTool(
    'validate_plan',
    {
      title: 'Validate the plan',
      description:
        'Validate the wf plan files (phases/*.yaml and what they include), like `wf validate`: the schema, unique phase ids, needs and extends that name existing phases, no dependency cycles, referenced template, schema and plugin files exist, paths stay inside the repository, regular expressions compile. Returns every problem at once, each with file:line:col, the offending line, what was expected and a hint. Call it after editing a plan file.',
      inputSchema: z.strictObject({}),
      outputSchema: output,
      annotations: { title: 'Validate the plan', ...READ_ONLY },
    },
    () =>
      guard(context, async () => {
        try {
          const plan = await readPlan({ cwd: context.cwd, deep: true, positions: true })
          return ok({ valid: true, files: plan.files, phases: plan.phases.length, issues: [] })
        } catch (error) {
          if (!(error instanceof PlanError)) throw error
          const files = [
            ...new Set(error.issues.map((i) => i.location?.file).filter((f): f is string => f !== undefined)),
          ]
          return ok({ valid: false, files, phases: 0, issues: error.issues.map(flattenIssue) })
        }
      }),
  )
}
