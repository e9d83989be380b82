import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../cli/base-command.js'
import { example } from '../cli/example.js'
import { sharedFlags } from '../cli/shared-flags.js'
import { REPORT_FORMATS, writeReport, type ReportFormat } from '../app/write-report.js'

export default class Report extends WfCommand {
  static override summary = 'Write a report of the recorded results: Markdown, JSON, JUnit, SARIF, HTML or OpenMetrics.'
  static override description =
    `Builds the report from the ledger (.wf/ledger.json and the run records in .wf/runs/): every phase with its tasks and gates, their messages and file locations, waivers with their expiry, approvals and the run history. By default each phase shows its latest result; --run shows one recorded run.
Formats: markdown, for a pull-request comment or a job summary (with links to file lines when GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_SHA are set); json, the same content for tools (contracts/report.schema.json); junit, one testsuite per phase and one testcase per task and gate, for test-report viewers; sarif, SARIF 2.1.0 with one rule per gate kind, for GitHub code scanning; html, one self-contained page (no network) with the phase graph, a timeline of the last run, gate results, waivers and run history; openmetrics, metrics in the OpenMetrics text format (also read by Prometheus, node_exporter's textfile collector and a Pushgateway): each phase's status, duration and end time, failed gates per phase and gate, waiver expiry times, and the latest run's start and duration.
Without --output the report goes to stdout. Exit codes: 0 written (whatever the phases' status), 2 usage or invalid plan, 3 no ledger yet, or unreadable.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    example('A page for auditors', '--format html --output wf-report.html'),
    example('Test results for CI', '--format junit --output reports/wf-junit.xml'),
    example('Code scanning alerts', '--format sarif --output wf.sarif'),
    example('One recorded run, as JSON', '--format json --run 12'),
    example('Metrics for Prometheus', '--format openmetrics --output wf.prom'),
  ]
  static override flags = {
    format: Flags.string({ char: 'f', summary: 'Report format.', options: [...REPORT_FORMATS], default: 'markdown' }),
    output: Flags.string({
      char: 'o',
      summary: 'Write the report to FILE (atomically; folders are created) instead of stdout.',
      helpValue: 'FILE',
    }),
    run: Flags.string({
      summary:
        'Report one recorded run (its id, e.g. 12-a1b2c3, or its number) instead of the latest result of each phase.',
      helpValue: 'ID',
    }),
    plan: sharedFlags.plan,
  }

  async run() {
    const { flags } = await this.parse(Report)
    const result = await writeReport({
      cwd: this.cwdFrom(flags),
      plan: flags.plan,
      run: flags.run,
      format: flags.format as ReportFormat,
      output: flags.output,
    })
    if (result.output) this.logToStderr(`wrote ${flags.format} report to ${flags.output} (${result.status})`)
    else if (!this.jsonEnabled()) process.stdout.write(result.report ?? '')
    return result
  }
}
