import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../../cli/base-command.js'
import { ciGithub } from '../../app/ci-github.js'
import { DEFAULT_WORKFLOW_OPTIONS } from '../../generate/github-workflow.js'
import { EXIT } from '../../lib/errors.js'

export default class CiGithub extends WfCommand {
  static override summary = 'Write a GitHub Actions workflow that runs each phase as its own job.'
  static override description =
    `Generates .github/workflows/wf.yml from the plan: one job per phase, with \`needs:\` mirroring the phase DAG (job ids are phase ids made valid for GitHub), and a last job that runs even when phases fail. Each phase job checks out, installs dependencies, downloads the ledgers of the jobs it needs and merges them (\`wf ledger merge\`), runs \`wf run-phase ID\`, and uploads its ledger as the artifact wf-ledger-JOB. The last job downloads them all, merges them, prints \`wf status\`, writes the job summary and fails if any phase job failed. Actions are pinned to full commit SHAs; the workflow only reads the repository (\`permissions: contents: read\`).
The output depends only on the plan and the flags. Commit it; \`--check\` (with the same flags) exits 1 and shows a diff when the plan changed since, so CI can insist that the workflow is current.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {
      description: 'Fail when the committed workflow is not what the plan gives now',
      command: '<%= config.bin %> <%= command.id %> --check',
    },
    {
      description: 'In a repository that runs wf from a script of its own',
      command: "<%= config.bin %> <%= command.id %> --wf-command './bin/run.js' --node-version 22",
    },
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
    'wf-command': Flags.string({
      summary: 'How the jobs start wf after installing dependencies.',
      default: DEFAULT_WORKFLOW_OPTIONS.wfCommand,
      helpValue: 'COMMAND',
    }),
    install: Flags.string({
      summary: 'The command that installs dependencies in each job.',
      default: DEFAULT_WORKFLOW_OPTIONS.install,
      helpValue: 'COMMAND',
    }),
    'node-version': Flags.string({
      summary: 'The Node.js version actions/setup-node installs.',
      default: DEFAULT_WORKFLOW_OPTIONS.nodeVersion,
      helpValue: 'VERSION',
    }),
    'runs-on': Flags.string({
      summary: 'The runner label of every job.',
      default: DEFAULT_WORKFLOW_OPTIONS.runsOn,
      helpValue: 'LABEL',
    }),
    branch: Flags.string({
      summary: 'A branch whose pushes run the workflow (repeatable); pull requests always do.',
      multiple: true,
      default: DEFAULT_WORKFLOW_OPTIONS.branches,
      helpValue: 'NAME',
    }),
  }

  async run() {
    const { flags } = await this.parse(CiGithub)
    const wf = flags['wf-command']
    const result = await ciGithub({
      cwd: this.cwdFrom(flags),
      output: flags.output,
      check: flags.check,
      wfCommand: wf,
      install: flags.install,
      nodeVersion: flags['node-version'],
      runsOn: flags['runs-on'],
      branches: flags.branch,
    })
    if (result.state === 'missing' || result.state === 'stale') process.exitCode = EXIT.FAILED
    if (this.jsonEnabled()) return result
    if (result.state === 'written') this.log(`✔ wrote ${result.path}: ${result.jobs} jobs`)
    else if (result.state === 'unchanged') this.log(`✔ ${result.path} is unchanged: ${result.jobs} jobs`)
    else if (result.state === 'current') this.log(`✔ ${result.path} is current`)
    else if (result.state === 'missing')
      this.logToStderr(`✖ ${result.path} does not exist; run \`wf ci github\` to write it, then commit it`)
    else
      this.logToStderr(
        `${result.diff}\n✖ ${result.path} differs from what the plan gives now; run \`wf ci github\` to regenerate it, then commit it`,
      )
    return result
  }
}
