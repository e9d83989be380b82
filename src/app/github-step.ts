import { appendFile, stat } from 'node:fs/promises'
import type { HeldAnnotation } from '../report/github-commands.js'
import { formatOutputs, stepOutputs } from '../report/github-summary.js'
import { linkBaseFromEnv, renderMarkdown, STEP_SUMMARY_LIMIT } from '../report/markdown.js'
import { buildReport } from './build-report.js'

export interface GithubStepOptions {
  cwd: string
  plan?: string
  runId: string
  /** Annotations held back by the per-step limit, and that limit. */
  held: HeldAnnotation[]
  limit: number
  env?: NodeJS.ProcessEnv
}

/**
 * At the end of `wf run` / `run-phase` / `check` under GitHub Actions: appends the run's Markdown
 * summary to $GITHUB_STEP_SUMMARY (kept under GitHub's 1 MiB per step, counting what the step
 * already wrote) and its key results to $GITHUB_OUTPUT. Returns what it could not write.
 */
export async function writeGithubStep(options: GithubStepOptions): Promise<string[]> {
  const env = options.env ?? process.env
  const problems: string[] = []
  const data = await buildReport({ cwd: options.cwd, plan: options.plan, run: options.runId })
  if (env.GITHUB_STEP_SUMMARY) {
    try {
      const already = await stat(env.GITHUB_STEP_SUMMARY).then(
        (s) => s.size,
        () => 0,
      )
      const room = STEP_SUMMARY_LIMIT - already - 1024
      if (room < 16 * 1024)
        problems.push(
          `the job summary was not written: earlier commands of this step left ${Math.max(0, room)} bytes of GitHub's 1 MiB limit; run \`wf report\` in a step of its own`,
        )
      else {
        const markdown = renderMarkdown(data, {
          level: 2,
          links: linkBaseFromEnv(env),
          overflow: { limit: options.limit, annotations: options.held },
          maxBytes: room,
        })
        await appendFile(env.GITHUB_STEP_SUMMARY, `${markdown}\n`)
      }
    } catch (error) {
      problems.push(`could not write the job summary to $GITHUB_STEP_SUMMARY: ${(error as Error).message}`)
    }
  }
  if (env.GITHUB_OUTPUT) {
    try {
      await appendFile(env.GITHUB_OUTPUT, formatOutputs(stepOutputs(data, options.held.length)))
    } catch (error) {
      problems.push(`could not write step outputs to $GITHUB_OUTPUT: ${(error as Error).message}`)
    }
  }
  return problems
}
