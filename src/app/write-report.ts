import { mkdir } from 'node:fs/promises'
import { dirname, relative, resolve, sep } from 'node:path'
import { recordWrittenFile } from '../ledger/written-files.js'
import { findRoot, isInside } from '../lib/paths.js'
import { writeFileAtomic } from '../lib/atomic-write.js'
import { renderHtml } from '../report/html.js'
import { renderJunit } from '../report/junit.js'
import { renderOpenMetrics } from '../report/openmetrics.js'
import { linkBaseFromEnv, renderMarkdown, STEP_SUMMARY_LIMIT } from '../report/markdown.js'
import type { ReportData } from '../report/report-data.js'
import { buildReport, type BuildReportOptions } from './build-report.js'
import { renderSarif } from '../report/sarif.js'

export const REPORT_FORMATS = ['markdown', 'json', 'junit', 'sarif', 'html', 'openmetrics'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

/** The report in one format. */
export function renderReport(data: ReportData, format: ReportFormat, env: NodeJS.ProcessEnv = process.env): string {
  switch (format) {
    case 'markdown':
      // Sized for a GitHub job summary (1 MiB per step), where it is most often appended.
      return renderMarkdown(data, { links: linkBaseFromEnv(env), maxBytes: STEP_SUMMARY_LIMIT - 1024 })
    case 'json':
      return `${JSON.stringify(data, null, 2)}\n`
    case 'junit':
      return renderJunit(data)
    case 'sarif':
      return renderSarif(data)
    case 'html':
      return renderHtml(data)
    case 'openmetrics':
      return renderOpenMetrics(data)
  }
}

export interface WriteReportOptions extends BuildReportOptions {
  format: ReportFormat
  /** A file to write (atomically), relative to `cwd`; without it the text is returned. */
  output?: string
}

/** What `wf report` answers: the format and overall status, where the report went, and the report itself when not written to a file. */
export interface WriteReportResult {
  format: ReportFormat
  status: ReportData['status']
  output: string | null
  bytes: number
  report?: string
}

/** Builds the report from the ledger and renders it; writes it to `output` when given, or returns its text. */
export async function writeReport(options: WriteReportOptions): Promise<WriteReportResult> {
  const data = await buildReport(options)
  const text = renderReport(data, options.format)
  const summary = { format: options.format, status: data.status, bytes: Buffer.byteLength(text) }
  if (!options.output) return { ...summary, output: null, report: text }
  const output = resolve(options.cwd, options.output)
  await mkdir(dirname(output), { recursive: true })
  await writeFileAtomic(output, text)
  const root = findRoot(options.cwd)
  // A report written into the repository is this command's output, not a change of the tree.
  if (isInside(root, output) && output !== root)
    await recordWrittenFile(root, relative(root, output).split(sep).join('/'), text)
  return { ...summary, output }
}
