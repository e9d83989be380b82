import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { parse as parseJunit, type TestSuite, type TestSuites } from 'junit2json'
import { chromium } from 'playwright-core'
import { GATE_KINDS } from '../../src/plan/kinds.js'
import { findChromium } from '../chromium.js'
import { runCli } from '../cli-in-process.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { gitRepo, hasStackTrace, repoRoot, testdir, type WfResult } from '../helpers.js'

const addFormats = addFormatsModule as unknown as <T extends Ajv>(ajv: T) => T
const wf = (cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<WfResult> =>
  runCli(args, {
    cwd,
    env: {
      GITHUB_ACTIONS: undefined,
      GITHUB_SERVER_URL: undefined,
      GITHUB_REPOSITORY: undefined,
      GITHUB_SHA: undefined,
      ...env,
    },
  })

const HOSTILE_NAME = 'Set up <script>document.title="owned"</script> & friends'

const PLAN = `version: 1
phases:
  - id: setup
    name: '${HOSTILE_NAME}'
    inputs: [README.md]
    tasks: [{ run: "echo ready" }]
    gates:
      - files-exist: [README.md]
  - id: quality
    needs: [setup]
    inputs: ["src/**"]
    tasks:
      - run: "echo checking"
      - run: "sleep 0.1"
        name: settle
    gates:
      - forbid: { patterns: ["FIXME"], in: ["src/**"] }
        hint: 'fix it or file an issue <a href="https://example.com/x">here</a>'
      - file-contains: { in: "src/*.ts", text: "SPDX-License-Identifier" }
        severity: warning
      - command: "echo '<img src=x> & </testcase>' && exit 1"
        name: 'flaky <b>check</b>'
        waive: { reason: 'tracked in "#12" <i>', owner: "@qa", until: 2099-06-30 }
  - id: release
    needs: [quality]
    tasks: [{ run: "echo release" }]
  - id: docs
    needs: [setup]
    gates: [{ files-exist: [docs/index.md] }]
`

interface Fixture {
  cwd: string
  runIds: string[]
}

/** A repository with two recorded runs: the first fails quality and docs; the second fixes docs and leaves setup up to date. */
async function recordedRepo(): Promise<Fixture> {
  const cwd = gitRepo({
    'phases/plan.yaml': PLAN,
    'README.md': '# app\n',
    'src/main.ts': 'export const x = 1\n// FIXME: handle 100% of cases\n',
    'src/my file.ts': 'export {} // FIXME\n',
  })
  const first = await wf(cwd, ['run', '--continue-on-error'])
  expect(first.code, first.stderr).toBe(1)
  mkdirSync(join(cwd, 'docs'))
  writeFileSync(join(cwd, 'docs', 'index.md'), '# docs\n')
  const second = await wf(cwd, ['run', '--continue-on-error'])
  expect(second.code, second.stderr).toBe(1)
  const ledger = JSON.parse(readFileSync(join(cwd, '.wf', 'ledger.json'), 'utf8'))
  // The second run did its work (an internal error also exits 1): the timeline and results below come from it.
  expect(ledger.recent.at(-1).counts, second.stderr).toEqual({ 'up-to-date': 1, failed: 1, blocked: 1, passed: 1 })
  return { cwd, runIds: ledger.recent.map((r: { id: string }) => r.id) }
}

let fixture: Fixture
beforeAll(async () => {
  fixture = await recordedRepo()
}, 60_000)

async function report(args: string[], env: Record<string, string | undefined> = {}): Promise<string> {
  const result = await wf(fixture.cwd, ['report', ...args], env)
  expect(result.code, result.stderr).toBe(0)
  return result.stdout
}

describe('wf report', () => {
  it('says what to run first when nothing is recorded yet', async () => {
    const cwd = gitRepo({ 'phases/plan.yaml': 'version: 1\nphases:\n  - id: a\n    tasks: [{ run: "true" }]\n' })
    const result = await wf(cwd, ['report', '--format', 'html'])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('there is no ledger yet (.wf/ledger.json)')
    expect(result.stderr).toContain('run `wf run` (or `wf check`) first')
    expect(hasStackTrace(result.stderr)).toBe(false)
    const json = await wf(cwd, ['report', '--json'])
    expect(JSON.parse(json.stdout).error.code).toBe('WF_LEDGER_UNREADABLE')
    expect(existsSync(join(cwd, '.wf'))).toBe(false)
  })

  it('writes JSON that matches contracts/report.schema.json, with the latest result of each phase', async () => {
    const data = JSON.parse(await report(['--format', 'json']))
    const ajv = addFormats(new Ajv({ allErrors: true }))
    const validate = ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'contracts', 'report.schema.json'), 'utf8')))
    expect(validate(data), ajv.errorsText(validate.errors)).toBe(true)

    expect(data.status).toBe('failed')
    expect(data.scope.run).toBeNull()
    const byId = Object.fromEntries(data.phases.map((p: { id: string }) => [p.id, p]))
    expect(data.phases.map((p: { id: string }) => p.id)).toEqual(['setup', 'quality', 'release', 'docs'])
    expect(byId.setup).toMatchObject({
      name: HOSTILE_NAME,
      status: 'up-to-date',
      runId: fixture.runIds[1],
      resultsFrom: fixture.runIds[0],
    })
    expect(byId.setup.gates).toEqual([expect.objectContaining({ kind: 'files-exist', status: 'passed' })])
    expect(byId.quality.status).toBe('failed')
    expect(byId.quality.source).toEqual({ file: 'phases/plan.yaml', line: expect.any(Number), col: expect.any(Number) })
    const forbid = byId.quality.gates.find((g: { kind: string }) => g.kind === 'forbid')
    expect(forbid.status).toBe('failed')
    expect(forbid.locations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'src/main.ts', line: 2, col: 4 }),
        expect.objectContaining({ file: 'src/my file.ts', line: 1 }),
      ]),
    )
    expect(byId.quality.gates.map((g: { status: string }) => g.status)).toEqual(['failed', 'warned', 'waived'])
    expect(byId.release).toMatchObject({ status: 'blocked', tasks: [{ name: 'echo release', status: 'not-run' }] })
    expect(byId.docs.status).toBe('passed')
    expect(data.waivers).toEqual([
      expect.objectContaining({
        phase: 'quality',
        gate: 'flaky <b>check</b>',
        owner: '@qa',
        until: '2099-06-30',
        expired: false,
        gateStatus: 'waived',
      }),
    ])
    expect(data.history.map((r: { id: string }) => r.id)).toEqual([...fixture.runIds].reverse())
    // The timeline of the last run: when each phase and task ran.
    const quality = data.run.timeline.find((p: { id: string }) => p.id === 'quality')
    expect(quality.tasks.map((t: { name: string }) => t.name)).toEqual(['echo checking', 'settle'])
    for (const t of quality.tasks) expect(Date.parse(t.endedAt)).toBeGreaterThanOrEqual(Date.parse(t.startedAt))
    expect(quality.tasks[1].durationMs).toBeGreaterThanOrEqual(90)
  })

  it('reports one recorded run with --run, by id or number, and refuses an unknown one', async () => {
    const first = JSON.parse(await report(['--format', 'json', '--run', fixture.runIds[0]!]))
    expect(first.scope.run).toBe(fixture.runIds[0])
    expect(first.phases.find((p: { id: string }) => p.id === 'setup').status).toBe('passed')
    expect(first.phases.find((p: { id: string }) => p.id === 'docs').status).toBe('failed')
    const bySeq = JSON.parse(await report(['--format', 'json', '--run', '1']))
    expect(bySeq.scope.run).toBe(fixture.runIds[0])
    const unknown = await wf(fixture.cwd, ['report', '--run', '99-zzzzzz'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no run `99-zzzzzz` in .wf/runs/')
    expect(unknown.stderr).toContain(fixture.runIds[1])
  })

  it('writes JUnit XML that a JUnit parser reads: a suite per phase, a case per task and gate', async () => {
    const xml = await report(['--format', 'junit'])
    const parsed = (await parseJunit(xml)) as TestSuites
    const suites = parsed.testsuite as TestSuite[]
    expect(suites.map((s) => s.name)).toEqual(['setup', 'quality', 'release', 'docs'])
    const quality = suites[1]!
    const cases = quality.testcase ?? []
    expect(cases.map((c) => c.name)).toEqual([
      'task: echo checking',
      'task: settle',
      'gate: forbid /FIXME/ in src/**',
      'gate: src/*.ts contains "SPDX-License-Identifier"',
      'gate: flaky <b>check</b>',
    ])
    expect(cases.map((c) => c.classname)).toEqual([
      'wf.quality.tasks',
      'wf.quality.tasks',
      'wf.quality.gates',
      'wf.quality.gates',
      'wf.quality.gates',
    ])
    expect(quality).toMatchObject({ tests: 5, failures: 1, errors: 0, skipped: 1 })
    for (const c of cases) expect(typeof c.time).toBe('number')
    expect(cases[1]!.time).toBeGreaterThanOrEqual(0.09)
    const failure = cases[2]!.failure![0]!
    expect(failure.message).toMatch(/forbidden match/)
    expect(failure.inner).toContain('src/main.ts:2:4')
    expect(cases[4]!.skipped![0]!.message).toBe('waived until 2099-06-30 by @qa: tracked in "#12" <i>')
    // Totals add up across suites, and the phase's hostile name survives as data.
    const all = suites.flatMap((s) => s.testcase ?? [])
    expect(parsed.tests).toBe(all.length)
    expect(parsed.failures).toBe(suites.reduce((n, s) => n + (s.failures ?? 0), 0))
    expect(suites[0]!.properties).toEqual(expect.arrayContaining([{ name: 'phase.name', value: HOSTILE_NAME }]))
    expect(suites[2]!.testcase!.every((c) => c.skipped)).toBe(true)
  })

  it('writes SARIF 2.1.0 valid against the official schema, one rule per gate kind, with relative locations and fingerprints', async () => {
    const sarif = JSON.parse(await report(['--format', 'sarif']))
    const schema = JSON.parse(
      readFileSync(join(repoRoot, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'),
    )
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    const ajv = addFormats(new Ajv2020({ allErrors: true }))
    const validate = ajv.compile(schema)
    expect(validate(sarif), ajv.errorsText(validate.errors)).toBe(true)
    // The schema does reject what GitHub would refuse.
    const broken = structuredClone(sarif)
    broken.runs[0].results[0].locations[0].physicalLocation.region = { startLine: 0 }
    expect(validate(broken)).toBe(false)

    const run = sarif.runs[0]
    const rules = run.tool.driver.rules as {
      id: string
      shortDescription: { text: string }
      fullDescription: { text: string }
      help: { text: string }
    }[]
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length)
    expect(rules.map((r) => r.id)).toEqual(
      expect.arrayContaining(['files-exist', 'forbid', 'file-contains', 'command']),
    )
    for (const rule of rules)
      for (const text of [rule.shortDescription.text, rule.fullDescription.text, rule.help.text])
        expect(text.length).toBeGreaterThan(5)
    // Every gate kind has a rule with its own texts, not the generic ones of an unknown kind.
    expect(rules.map((r) => r.id)).toEqual(expect.arrayContaining([...GATE_KINDS]))
    for (const rule of rules) expect(rule.fullDescription.text, rule.id).not.toBe(`The ${rule.id} gate passes.`)

    const results = run.results as {
      ruleId: string
      ruleIndex: number
      level: string
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId: string }
          region?: { startLine: number; startColumn?: number }
        }
      }[]
      partialFingerprints: Record<string, string>
      suppressions?: unknown[]
    }[]
    for (const r of results) {
      expect(rules[r.ruleIndex]!.id).toBe(r.ruleId)
      const location = r.locations[0]!.physicalLocation
      expect(location.artifactLocation.uriBaseId).toBe('%SRCROOT%')
      expect(location.artifactLocation.uri).not.toMatch(/^\/|^file:|\.\./)
      expect(location.artifactLocation.uri).not.toContain(fixture.cwd)
    }
    const forbid = results.filter((r) => r.ruleId === 'forbid')
    expect(
      forbid.map((r) => [
        r.level,
        r.locations[0]!.physicalLocation.artifactLocation.uri,
        r.locations[0]!.physicalLocation.region,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['error', 'src/main.ts', { startLine: 2, startColumn: 4 }],
        ['error', 'src/my%20file.ts', expect.objectContaining({ startLine: 1 })],
      ]),
    )
    expect(results.find((r) => r.ruleId === 'file-contains')?.level).toBe('warning')
    // The waived gate is reported as suppressed; a gate without a file points at where its phase is defined.
    const waived = results.find((r) => r.ruleId === 'command')!
    expect(waived.suppressions).toEqual([
      expect.objectContaining({ kind: 'external', justification: expect.stringContaining('tracked in') }),
    ])
    expect(waived.locations[0]!.physicalLocation.artifactLocation.uri).toBe('phases/plan.yaml')
    const fingerprints = results.map((r) => r.partialFingerprints['wfResult/v1'])
    expect(fingerprints.every((f) => /^[0-9a-f]{32}$/.test(f!))).toBe(true)
    expect(new Set(fingerprints).size).toBe(fingerprints.length)
    // Fingerprints stay the same from one report to the next.
    const again = JSON.parse(await report(['--format', 'sarif']))
    expect(
      again.runs[0].results.map(
        (r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['wfResult/v1'],
      ),
    ).toEqual(fingerprints)
  })

  it('writes Markdown with the same content: phases, failing gates, waivers, graph and history', async () => {
    const sha = 'a'.repeat(40)
    const md = await report([], {
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_SHA: sha,
    })
    expect(md).toMatch(/^# wf report: ❌ failed/)
    expect(md).toContain(
      '| setup<br><sub>Set up \\<script\\>document.title="owned"\\</script\\> \\& friends</sub> | ✅ up to date |',
    )
    expect(md).toMatch(/\| quality \| ❌ failed \|/)
    expect(md).toMatch(/\| release \| ⛔ blocked \|/)
    expect(md).toContain(`[\`src/main.ts:2:4\`](https://github.example/acme/app/blob/${sha}/src/main.ts#L2)`)
    expect(md).toContain(`[\`src/my file.ts:1:`)
    expect(md).toContain('| quality | flaky \\<b\\>check\\</b\\> | @qa | 2099-06-30 |')
    expect(md).toContain('```mermaid\nflowchart LR')
    expect(md).toContain('Run history (2 kept runs)')
  })

  it('writes to --output atomically, creating folders, and prints nothing on stdout', async () => {
    const dir = testdir({}, { git: false })
    const result = await wf(fixture.cwd, ['report', '--format', 'junit', '--output', join(dir, 'reports', 'wf.xml')])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('wrote junit report to')
    expect(readdirSync(join(dir, 'reports'))).toEqual(['wf.xml'])
    expect(readFileSync(join(dir, 'reports', 'wf.xml'), 'utf8')).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /,
    )
    const json = await wf(fixture.cwd, ['report', '--format', 'sarif', '--output', join(dir, 'wf.sarif'), '--json'])
    expect(JSON.parse(json.stdout)).toMatchObject({
      format: 'sarif',
      status: 'failed',
      output: join(dir, 'wf.sarif'),
      bytes: statSync(join(dir, 'wf.sarif')).size,
    })
  })

  it('writes a self-contained HTML page that renders in Chromium with no console errors or network requests', {
    timeout: 60_000,
  }, async () => {
    const dir = testdir({}, { git: false })
    const file = join(dir, 'report.html')
    const result = await wf(fixture.cwd, ['report', '--format', 'html', '--output', file])
    expect(result.code, result.stderr).toBe(0)
    const html = readFileSync(file, 'utf8')
    expect(html).not.toMatch(/<script|<link|src=["']?https?:|@import|url\((?!#)/i)
    expect(html).toContain('Set up &#60;script&#62;document.title=&#34;owned&#34;&#60;/script&#62; &#38; friends')

    const browser = await chromium.launch({
      executablePath: await findChromium(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    })
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      const problems: string[] = []
      const requests: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning')
          problems.push(`${message.type()}: ${message.text()}`)
      })
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
      page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`))
      page.on('request', (request) => requests.push(request.url()))
      await page.goto(`file://${file}`)
      await page.waitForLoadState('load')
      expect(problems).toEqual([])
      expect(requests).toEqual([`file://${file}`])
      expect(await page.title()).toBe(`wf report — ${fixture.cwd.split('/').at(-1)}`)

      for (const id of ['setup', 'quality', 'release', 'docs']) {
        await expect.poll(() => page.locator(`#phase-${id} > summary`).isVisible()).toBe(true)
        expect(await page.locator('#graph svg g.node').filter({ hasText: id }).count()).toBe(1)
      }
      expect(await page.locator('#graph svg path[marker-end]').count()).toBe(3)
      // Failing phases are open with their gates, messages and locations; the waiver shows its expiry.
      await expect.poll(() => page.locator('#phase-quality').getByText('src/main.ts:2:4').isVisible()).toBe(true)
      // biome-ignore lint/performance/useDomNodeTextContent: rendered text on purpose; textContent runs the table cells together
      expect(await page.locator('#waivers').innerText()).toMatch(/quality\s+flaky <b>check<\/b>\s+@qa\s+2099-06-30/)
      expect(await page.locator('#history tbody tr').count()).toBe(2)
      // The last run's timeline: a bar for setup (up to date), quality and its two tasks, and docs; none for blocked release.
      expect(await page.locator('#timeline .tl .bar').count()).toBe(5)
      expect(await page.locator('#timeline .tl .name.task').allTextContents()).toEqual(['echo checking', 'settle'])
      expect(await page.locator('#phase-setup > summary').textContent()).toContain('setup')
      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true })
      expect(statSync(join(dir, 'report.png')).size).toBeGreaterThan(10_000)
      expect(problems).toEqual([])
    } finally {
      await browser.close()
    }
  })
})

describe('wf report on a plan that changed since it ran', () => {
  it('lists a phase added since the last run as never run, and JUnit marks its tasks and gates skipped', async () => {
    const cwd = gitRepo({ 'phases/plan.yaml': 'version: 1\nphases:\n  - id: a\n    tasks: [{ run: "true" }]\n' })
    expect((await wf(cwd, ['run'])).code).toBe(0)
    writeFileSync(
      join(cwd, 'phases', 'plan.yaml'),
      'version: 1\nphases:\n  - id: a\n    tasks: [{ run: "true" }]\n  - id: b\n    needs: [a]\n    tasks: [{ run: "echo new", name: fresh }]\n    gates: [{ files-exist: [x.txt] }]\n',
    )
    const json = await wf(cwd, ['report', '--format', 'json'])
    expect(json.code, json.stderr).toBe(0)
    const data = JSON.parse(json.stdout)
    const ajv = addFormats(new Ajv({ allErrors: true }))
    const validate = ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'contracts', 'report.schema.json'), 'utf8')))
    expect(validate(data), ajv.errorsText(validate.errors)).toBe(true)
    expect(data.status).toBe('incomplete')
    expect(data.phases[1]).toMatchObject({
      id: 'b',
      status: 'never-run',
      tasks: [{ name: 'fresh', status: 'not-run' }],
      gates: [{ kind: 'files-exist', status: 'not-run' }],
    })
    const junit = (await parseJunit((await wf(cwd, ['report', '--format', 'junit'])).stdout)) as TestSuites
    const b = (junit.testsuite as TestSuite[])[1]!
    expect(b).toMatchObject({ name: 'b', tests: 2, skipped: 2, failures: 0 })
    expect(b.testcase![0]!.skipped![0]!.message).toBe('phase never run')
  })
})
