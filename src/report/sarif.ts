import { createHash } from 'node:crypto'
import { WF_HOMEPAGE } from '../lib/wf-homepage.js'
import { GATE_KINDS } from '../plan/kinds.js'
import { scopeText } from './check-text.js'
import type { ReportData, ReportGate, ReportLocation, ReportPhase } from './report-data.js'

/** What each gate kind proves, for the SARIF rules (and the HTML report). */
export const GATE_RULES: Record<string, { short: string; full: string; help: string }> = {
  'files-exist': {
    short: 'Required files exist',
    full: 'Every listed path or glob names at least one file in the repository.',
    help: "Add the missing file, or change the gate's list in the plan.",
  },
  'files-absent': {
    short: 'Forbidden files are absent',
    full: 'No file in the repository matches the listed paths or globs.',
    help: 'Remove the file (and add it to .gitignore if it is generated).',
  },
  'file-contains': {
    short: 'Files contain the required text',
    full: 'Each file matching `in` holds the text or regular expression the required number of times.',
    help: 'Add (or remove) the text the gate looks for in the file named by the result.',
  },
  forbid: {
    short: 'No forbidden content',
    full: 'No scanned file contains a match of a forbidden pattern or a secret found by the built-in detectors.',
    help: "Remove the match. A known false positive goes in the gate's allowlist file or on a line marked wf-allow-secret; a real secret must also be revoked.",
  },
  'json-schema': {
    short: 'Data files match their JSON Schema',
    full: "Every JSON or YAML file matching `files` is valid against the gate's schema.",
    help: 'Fix the value at the reported line, or the schema if the value is right.',
  },
  command: {
    short: 'Command succeeds',
    full: 'A command exits with status 0 (and its output matches `stdout` when given).',
    help: 'Run the command locally to see why it fails.',
  },
  coverage: {
    short: 'Test coverage reaches its thresholds',
    full: 'The totals of a coverage report reach every configured threshold.',
    help: 'Add tests for the uncovered code, or produce the coverage report the gate reads.',
  },
  git: {
    short: 'Git state is as required',
    full: 'The working tree is clean, the branch matches, files are tracked and no tracked file is too large, as configured.',
    help: 'Commit or remove the files named by the result, or switch to a matching branch.',
  },
  generated: {
    short: 'Generated files are current',
    full: 'Files that wf generates from templates or contracts match what it would write now.',
    help: 'Run `wf run` to regenerate them and commit the result.',
  },
  'contracts-compatible': {
    short: 'Contracts stay compatible',
    full: 'JSON-Schema contracts have no breaking change against the reference version.',
    help: 'Make the change backwards compatible, or version the contract.',
  },
  approval: {
    short: 'Phase is approved',
    full: "A recorded `wf approve` covers the phase's current inputs.",
    help: 'Ask an approver to run `wf approve PHASE`.',
  },
  plugin: {
    short: 'Plugin gate passes',
    full: 'A local ES module gate returns passed.',
    help: "See the plugin's message; its source is named in the plan.",
  },
  workflow: {
    short: 'GitHub Actions workflows are safe',
    full: 'Workflows pin actions to commits, declare token permissions, check out no untrusted code with privileges, expand no untrusted input in scripts and run no downloaded script; with `require`, some workflow does what is asked.',
    help: 'Fix the workflow line the result names, as the gate hint says (pin `uses:` to a commit SHA, declare `permissions:`, pass untrusted input through `env:`).',
  },
  dockerfile: {
    short: 'Dockerfiles pin their images and run no downloaded script',
    full: 'Each `FROM` image is pinned by digest and no `RUN` runs a script it downloads; with those rules, no base image uses `latest` and the final stage does not run as root.',
    help: 'Pin the `FROM` line to `@sha256:…`, download to a file and verify it instead of piping into a shell, or set a non-root `USER`, at the line named.',
  },
  binaries: {
    short: 'No binary artifacts are committed',
    full: 'No file git does not ignore is a compiled or packaged binary (executable, library, class file, archive of code), except those the gate allows.',
    help: 'Remove the binary and build it from source in CI (publish builds as release assets), or list it under `allow`.',
  },
  'large-files': {
    short: 'No file is over the size limit',
    full: 'No file git does not ignore is larger than the configured size; files Git LFS stores do not count.',
    help: 'Remove the file or track it with Git LFS (`git lfs track`).',
  },
  'markdown-links': {
    short: 'Markdown links resolve',
    full: 'Relative links and images in Markdown files point at files or folders of the repository and, with `anchors`, at headings that exist.',
    help: 'Fix the link target at the reported line, or remove the link.',
  },
  license: {
    short: 'The license is identified',
    full: 'Each license file is identified as an SPDX license by its text or an `SPDX-License-Identifier:` line, and is an allowed one when `allow` is set.',
    help: 'Use the unchanged text of a standard license, or add an `SPDX-License-Identifier:` line.',
  },
  manifest: {
    short: 'The package manifest is complete',
    full: 'A package manifest parses and has the keys it must (a `license` as an SPDX expression), a lockfile when it has dependencies, and a changelog entry for its version, as configured.',
    help: 'Fix or add the key at the reported line of the manifest.',
  },
  task: {
    short: 'Task succeeds',
    full: 'A task of a phase (a command, a template or contract generation) completes without error.',
    help: 'Run the task locally (`wf run-phase PHASE`) and fix what it reports.',
  },
}

const LEVEL: Record<string, 'error' | 'warning' | 'note'> = { failed: 'error', warned: 'warning', waived: 'note' }

/** Encodes a repository-relative path as a relative URI reference. */
export function pathToUri(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/')
}

/** True for a path that can be given relative to the repository root. */
const repositoryRelative = (file: string) =>
  !file.startsWith('/') && !/^[a-z]:/i.test(file) && !file.split('/').includes('..')

/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per gate kind, one result per failed, warned or
 * waived gate location (waived ones suppressed), locations relative to %SRCROOT%, and
 * partialFingerprints that stay the same when lines move.
 */
export function renderSarif(data: ReportData): string {
  const kinds = [...new Set([...GATE_KINDS, ...data.phases.flatMap((p) => p.gates.map((g) => g.kind))])]
  const usedTask = data.phases.some((p) => p.tasks.some((t) => t.status === 'failed'))
  const ruleIds = usedTask ? [...kinds, 'task'] : kinds
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'wf',
            version: data.wf,
            semanticVersion: data.wf,
            ...(WF_HOMEPAGE ? { informationUri: WF_HOMEPAGE } : {}),
            rules: ruleIds.map(sarifRule),
          },
        },
        automationDetails: { id: `wf/${data.scope.run ?? 'latest'}` },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The root of the repository the plan governs.' } } },
        invocations: [
          {
            executionSuccessful: true,
            ...(data.run?.endedAt ? { endTimeUtc: data.run.endedAt } : {}),
            ...(data.run ? { startTimeUtc: data.run.startedAt, commandLine: data.run.command } : {}),
          },
        ],
        results: sarifResults(data, ruleIds),
        properties: {
          status: data.status,
          ...(data.repository.commit ? { commit: data.repository.commit } : {}),
          ...(data.repository.branch ? { branch: data.repository.branch } : {}),
          ...lastChecks(data),
        },
      },
    ],
  }
  return `${JSON.stringify(log, null, 2)}\n`
}

/** Each phase's last `wf check`, beside the results (which come from full runs only), by phase id. */
function lastChecks(data: ReportData): { lastChecks?: Record<string, object> } {
  const checked = data.phases.filter((p) => p.check)
  if (checked.length === 0) return {}
  return {
    lastChecks: Object.fromEntries(
      checked.map(({ id, check }) => [
        id,
        {
          status: check!.status,
          scope: scopeText(check!.scope),
          run: check!.runId,
          ...(check!.endedAt ? { endedAt: check!.endedAt } : {}),
        },
      ]),
    ),
  }
}

function sarifRule(id: string): object {
  const text = GATE_RULES[id] ?? {
    short: `${id} gate`,
    full: `The ${id} gate passes.`,
    help: "See the gate's message.",
  }
  return {
    id,
    name: ruleName(text.short),
    shortDescription: { text: text.short },
    fullDescription: { text: text.full },
    help: { text: text.help, markdown: text.help },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['governance', id === 'task' ? 'task' : 'gate'] },
  }
}

/** A rule's friendly name: its short description as one PascalCase word, which never equals the kebab-case id. */
export function ruleName(short: string): string {
  return short
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('')
}

/** The last lines of a failed task's output that a result quotes. */
const OUTPUT_LINES = 20
const OUTPUT_CHARS = 4000

function outputTail(output: string | undefined): string {
  const tail = (output ?? '').trimEnd().split('\n').slice(-OUTPUT_LINES).join('\n').slice(-OUTPUT_CHARS)
  return tail ? `\noutput (last lines):\n${tail}` : ''
}

/** One result per failed task and per location of every failed, warned or waived gate. */
function sarifResults(data: ReportData, ruleIds: string[]): object[] {
  const fingerprint = fingerprints()
  const results: object[] = []
  const push = (finding: Finding) => results.push(sarifResult(finding, ruleIds.indexOf(finding.ruleId), fingerprint))
  for (const phase of data.phases) {
    for (const task of phase.tasks) {
      if (task.status !== 'failed') continue
      const status = task.allowedFailure ? 'warned' : 'failed'
      const { name, output } = task
      push({ phase, ruleId: 'task', status, name, message: task.message ?? 'failed', output, at: undefined })
    }
    for (const gate of phase.gates) {
      if (!(gate.status in LEVEL)) continue
      const locations = gate.locations.length ? gate.locations : [undefined]
      for (const at of locations) {
        const message = at?.message ? `${at.message}` : gate.message
        push({ phase, ruleId: gate.kind, status: gate.status, name: gate.name, message, at, gate })
      }
    }
  }
  return results
}

/** Fingerprints of result keys, numbered so that equal keys (the same finding twice) still differ. */
function fingerprints(): (parts: string[]) => string {
  const seen = new Map<string, number>()
  return (parts) => {
    const key = parts.join('\u0000')
    const n = seen.get(key) ?? 0
    seen.set(key, n + 1)
    return createHash('sha256').update(`${key}\u0000${n}`).digest('hex').slice(0, 32)
  }
}

interface Finding {
  phase: ReportPhase
  ruleId: string
  status: string
  name: string
  message: string
  /** A failed task's output, quoted (its tail) in the result's message but kept out of its fingerprint. */
  output?: string
  at: ReportLocation | undefined
  gate?: ReportGate
}

function sarifResult(finding: Finding, ruleIndex: number, fingerprint: (parts: string[]) => string): object {
  const { phase, ruleId, status, name, message, output, at, gate } = finding
  // A location outside the repository cannot be shown; the phase's definition can.
  const where =
    at && repositoryRelative(at.file)
      ? at
      : phase.source
        ? { file: phase.source.file, line: phase.source.line, col: phase.source.col }
        : undefined
  return {
    ruleId,
    ruleIndex,
    level: LEVEL[status] ?? 'error',
    message: {
      text: `${phase.id} › ${name}: ${message}${gate?.hint ? `\nhint: ${gate.hint}` : ''}${outputTail(output)}`,
    },
    ...(where ? { locations: [sarifLocation(where)] } : {}),
    partialFingerprints: {
      'wfResult/v1': fingerprint([ruleId, phase.id, name, where?.file ?? '', at?.message ?? message]),
    },
    ...(status === 'waived' && gate?.waiver
      ? {
          suppressions: [
            {
              kind: 'external',
              status: 'accepted',
              justification: `${gate.waiver.reason} (owner ${gate.waiver.owner}, until ${gate.waiver.until})`,
            },
          ],
        }
      : {}),
    properties: { phase: phase.id, [ruleId === 'task' ? 'task' : 'gate']: name, status },
  }
}

function sarifLocation(where: { file: string; line?: number; col?: number }): object {
  // GitHub code scanning refuses a location without a start line: a file-wide result points at line 1.
  const known = where.line !== undefined && where.line >= 1
  const region = known
    ? { startLine: where.line, ...(where.col && where.col >= 1 ? { startColumn: where.col } : {}) }
    : { startLine: 1 }
  return {
    physicalLocation: {
      artifactLocation: { uri: pathToUri(where.file), uriBaseId: '%SRCROOT%' },
      region,
    },
  }
}
