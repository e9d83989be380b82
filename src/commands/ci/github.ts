import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../../cli/base-command.js'
import { ciGithub } from '../../app/ci-github.js'
import { example } from '../../cli/example.js'
import { workflowFlags, workflowOptions } from '../../cli/workflow-flags.js'
import { formatWorkflowResult } from '../../report/format-workflow-result.js'
import { EXIT } from '../../lib/errors.js'

export default class CiGithub extends WfCommand {
  static override summary = 'Write a GitHub Actions workflow that runs each phase as its own job.'
  static override description =
    `Generates .github/workflows/wf.yml from the plan: one job per phase, with \`needs:\` mirroring the phase DAG (job ids are phase ids made valid for GitHub), and a last job that runs even when phases fail. Each phase job checks out, installs dependencies, downloads the ledgers of the jobs it needs and merges them (\`wf ledger merge\`), runs \`wf run-phase ID\`, and uploads its ledger as the artifact wf-ledger-JOB. The last job downloads them all, merges them, prints \`wf status\`, writes the job summary and fails if any phase job failed. With --use-action REF the phase step is \`uses: REF\` (wf's GitHub Action, action.yml) instead of a \`run:\` step: the action adds the report inputs and outputs, and is told not to run the phase's needs (\`with-deps: false\`). Actions are pinned to full commit SHAs; the workflow only reads the repository (\`permissions: contents: read\`).
The output depends only on the plan and the flags. Commit it; \`--check\` (with the same flags) exits 1 and shows a diff when the plan changed since, so CI can insist that the workflow is current.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    example('Fail when the committed workflow is not what the plan gives now', '--check'),
    example('In a repository that runs wf from a script of its own', "--wf-command './bin/run.js' --node-version 22"),
    example("Run each phase through wf's GitHub Action, pinned to a commit", '--use-action OWNER/wf@FULL_COMMIT_SHA'),
  ]
  static override flags = {
    output: Flags.string({
      char: 'o',
      summary: 'Where to write the workflow (default: .github/workflows/wf.yml in the repository).',
      helpValue: 'FILE',
    }),
    check: Flags.boolean({
      summary: 'Write nothing; exit 1 with a diff when the workflow file differs from what would be generated.',
    }),
    ...workflowFlags,
  }

  async run() {
    const { flags } = await this.parse(CiGithub)
    const options = { cwd: this.cwdFrom(flags), output: flags.output, check: flags.check, ...workflowOptions(flags) }
    const result = await ciGithub(options)
    const { text, failed } = formatWorkflowResult(result)
    if (failed) process.exitCode = EXIT.FAILED
    if (this.jsonEnabled()) return result
    if (failed) this.logToStderr(text)
    else this.log(text)
    return result
  }
}
