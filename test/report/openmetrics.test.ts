import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo } from '../helpers.js'

// Debian's python3-prometheus-client (installed by .ci/run): its OpenMetrics parser is strict, and its
// Prometheus text parser is the format node_exporter's textfile collector and a Pushgateway read.
const PYTHON = '/usr/bin/python3'
const PARSE = `
import json, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics
from prometheus_client.parser import text_string_to_metric_families as prometheus
text = sys.stdin.read()
def dump(families):
    return {f.name: {"type": f.type, "unit": getattr(f, "unit", ""), "samples": [[s.name, s.labels, s.value] for s in f.samples]} for f in families}
print(json.dumps({"openmetrics": dump(openmetrics(text)), "prometheus": dump(prometheus(text))}))
`

type Parsed = Record<string, { type: string; unit: string; samples: [string, Record<string, string>, number][] }>

function parse(text: string): { openmetrics: Parsed; prometheus: Parsed } {
  return JSON.parse(execFileSync(PYTHON, ['-c', PARSE], { input: text, encoding: 'utf8' }))
}

const HOSTILE = 'say "hi" \\ then\nbreak'
const OWNER = '@qa "lead" \\ team'

const PLAN = `version: 1
phases:
  - id: setup
    tasks: [{ run: "echo ready" }]
    gates:
      - files-exist: [README.md]
  - id: quality
    needs: [setup]
    gates:
      - files-exist: [missing.txt]
        name: ${JSON.stringify(HOSTILE)}
      - files-exist: [README.md]
        name: plain
      - command: "exit 1"
        name: flaky
        waive: { reason: "tracked", owner: ${JSON.stringify(OWNER)}, until: 2099-06-30 }
  - id: release
    needs: [quality]
    tasks: [{ run: "echo release" }]
`

const hasParser =
  existsSync(PYTHON) &&
  (() => {
    try {
      execFileSync(PYTHON, ['-c', 'import prometheus_client'], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  })()

describe.skipIf(!hasParser && !process.env.CI)('wf report --format openmetrics', () => {
  it('writes text that strict parsers read, with one status sample per phase and escaped labels', async () => {
    const cwd = gitRepo({ 'phases/plan.yaml': PLAN, 'README.md': '# app\n' })
    const run = await runCli(['run', '--continue-on-error'], { cwd })
    expect(run.code, run.stderr).toBe(1)
    const report = await runCli(['report', '--format', 'openmetrics', '--output', 'out/wf.prom'], { cwd })
    expect(report.code, report.stderr).toBe(0)
    const text = readFileSync(join(cwd, 'out', 'wf.prom'), 'utf8')
    expect(text.endsWith('# EOF\n')).toBe(true)

    const { openmetrics, prometheus } = parse(text)
    const status = openmetrics.wf_phase_status?.samples ?? []
    expect(status.map(([, l, v]) => [l.phase, l.status, v])).toEqual([
      ['setup', 'passed', 1],
      ['quality', 'failed', 1],
      ['release', 'blocked', 1],
    ])
    expect(openmetrics.wf_status?.samples[0]?.[1]).toEqual({ status: 'failed' })

    const gates = (openmetrics.wf_gate_failed?.samples ?? []).map(([, l, v]) => [l.phase, l.gate, v])
    expect(gates).toEqual([
      ['setup', 'files exist: README.md', 0],
      ['quality', HOSTILE, 1],
      ['quality', 'plain', 0],
      ['quality', 'flaky', 0],
    ])
    expect(openmetrics.wf_phase_gates_failed?.samples.map(([, l, v]) => [l.phase, v])).toEqual([
      ['setup', 0],
      ['quality', 1],
      ['release', 0],
    ])

    const waiver = openmetrics.wf_waiver_expiry_timestamp_seconds
    expect(waiver?.unit).toBe('seconds')
    expect(waiver?.samples).toEqual([
      [
        'wf_waiver_expiry_timestamp_seconds',
        { phase: 'quality', gate: 'flaky', owner: OWNER },
        Date.parse('2099-07-01T00:00:00Z') / 1000,
      ],
    ])

    const durations = openmetrics.wf_phase_duration_seconds?.samples ?? []
    // A blocked phase did not run, so it has no duration.
    expect(durations.map(([, l]) => l.phase)).toEqual(['setup', 'quality'])
    expect(durations.every(([, , v]) => v >= 0)).toBe(true)
    expect(openmetrics.wf_run_duration_seconds?.samples).toHaveLength(1)
    expect(openmetrics.wf_run_sequence?.samples[0]?.[2]).toBe(1)

    // The Prometheus text format (node_exporter, Pushgateway) reads the same samples.
    expect(prometheus.wf_phase_status?.samples).toEqual(status)
    expect(prometheus.wf_gate_failed?.samples.map(([, l]) => l.gate)).toContain(HOSTILE)
  })

  it('stays valid before any phase ran: every phase has a status sample', async () => {
    const cwd = gitRepo({ 'phases/plan.yaml': PLAN, 'README.md': '# app\n' })
    await runCli(['run', '--only', 'setup'], { cwd })
    const report = await runCli(['report', '-f', 'openmetrics'], { cwd })
    expect(report.code, report.stderr).toBe(0)
    const { openmetrics } = parse(report.stdout)
    expect(openmetrics.wf_phase_status?.samples.map(([, l]) => `${l.phase}=${l.status}`)).toEqual([
      'setup=passed',
      'quality=never-run',
      'release=never-run',
    ])
  })
})
