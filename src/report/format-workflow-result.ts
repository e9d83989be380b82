/** What `wf ci github` did with the workflow file, as the command reports it. */
export interface WorkflowResultLike {
  path: string
  state: 'written' | 'unchanged' | 'current' | 'stale' | 'missing'
  jobs: number
  diff?: string
}

/** The message for a `wf ci github` result, and whether it reports a failure (stderr, exit 1). */
export function formatWorkflowResult(result: WorkflowResultLike): { text: string; failed: boolean } {
  switch (result.state) {
    case 'written':
      return { text: `✔ wrote ${result.path}: ${result.jobs} jobs`, failed: false }
    case 'unchanged':
      return { text: `✔ ${result.path} is unchanged: ${result.jobs} jobs`, failed: false }
    case 'current':
      return { text: `✔ ${result.path} is current`, failed: false }
    case 'missing':
      return {
        text: `✖ ${result.path} does not exist; run \`wf ci github\` to write it, then commit it`,
        failed: true,
      }
    case 'stale':
      return {
        text: `${result.diff}\n✖ ${result.path} differs from what the plan gives now; run \`wf ci github\` to regenerate it, then commit it`,
        failed: true,
      }
  }
}
