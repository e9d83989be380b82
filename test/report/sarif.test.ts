import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { wfHomepage } from '../../src/lib/wf-homepage.js'
import { GATE_RULES, ruleName } from '../../src/report/sarif.js'
import { runCli } from '../cli-in-process.js'
import { gitRepo, repoRoot, testdir } from '../helpers.js'

const multitool: string = createRequire(import.meta.url)('@microsoft/sarif-multitool')

const PLAN = `version: 1
phases:
  - id: build
    tasks:
      - run: "echo compiling; echo 'main.c:3: error: expected ;' >&2; exit 2"
  - id: hygiene
    gates:
      - files-absent: [secrets.env]
        waive: { reason: "rotated, removal tracked in #7", owner: "@sec", until: 2099-01-31 }
      - files-absent: [debug.log]
`

interface SarifResult {
  ruleId: string
  level: string
  message: { text: string }
  locations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine?: number } } }[]
  suppressions?: unknown[]
}

describe('SARIF output', () => {
  it('passes the SARIF Multitool validation: friendly rule names, a start line on every location, the task output quoted', {
    timeout: 60_000,
  }, async () => {
    const cwd = gitRepo({ 'phases/plan.yaml': PLAN, 'secrets.env': 'TOKEN=x\n', 'debug.log': 'x\n' })
    const env = { GITHUB_ACTIONS: undefined, GITHUB_REPOSITORY: undefined, GITHUB_SHA: undefined }
    const run = await runCli(['run', '--continue-on-error'], { cwd, env })
    expect(run.code, run.stderr).toBe(1)
    const out = testdir({}, { git: false })
    const file = join(out, 'wf.sarif')
    const report = await runCli(['report', '--format', 'sarif', '--output', file], { cwd, env })
    expect(report.code, report.stderr).toBe(0)

    const sarif = JSON.parse(readFileSync(file, 'utf8'))
    const results = sarif.runs[0].results as SarifResult[]
    for (const result of results)
      for (const location of result.locations ?? [])
        expect(location.physicalLocation.region?.startLine, JSON.stringify(result)).toBeGreaterThanOrEqual(1)
    const waived = results.find((r) => r.suppressions)!
    expect(waived.locations![0]!.physicalLocation).toMatchObject({
      artifactLocation: { uri: 'secrets.env' },
      region: { startLine: 1 },
    })
    const task = results.find((r) => r.ruleId === 'task')!
    expect(task.message.text).toContain('compiling\nmain.c:3: error: expected ;')

    const validation = join(out, 'validation.sarif')
    const multi = await execa(multitool, ['validate', file, '--output', validation, '--quiet'], { reject: false })
    expect(multi.exitCode, `${multi.stdout}\n${multi.stderr}`).toBe(0)
    const validated = JSON.parse(readFileSync(validation, 'utf8')).runs[0]
    const findings = (validated.results ?? []) as (SarifResult & { ruleIndex: number })[]
    const levelOf = (f: SarifResult & { ruleIndex: number }) =>
      f.level ?? validated.tool.driver.rules?.[f.ruleIndex]?.defaultConfiguration?.level ?? 'warning'
    const said = findings.map((f) => `${f.ruleId} ${levelOf(f)}: ${JSON.stringify(f.message)}`).join('\n')
    expect(
      findings.filter((f) => levelOf(f) === 'error'),
      said,
    ).toEqual([])
    // No warning either: the tool names its homepage (package.json's).
    expect(
      findings.map((f) => f.ruleId),
      said,
    ).toEqual([])
    const homepage = wfHomepage(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')))
    expect(homepage).toBe('https://www.npmjs.com/package/wf-phases')
    expect(sarif.runs[0].tool.driver.informationUri).toBe(homepage)
  })

  it('names each rule by what it proves, never by its id', () => {
    expect(ruleName('Required files exist')).toBe('RequiredFilesExist')
    expect(ruleName('Dockerfiles pin their images and run no downloaded script')).toBe(
      'DockerfilesPinTheirImagesAndRunNoDownloadedScript',
    )
    for (const [id, rule] of Object.entries(GATE_RULES)) {
      expect(ruleName(rule.short), id).toMatch(/^[A-Z][A-Za-z0-9]+$/)
      expect(ruleName(rule.short).toLowerCase(), id).not.toBe(id.replaceAll('-', ''))
    }
  })

  it("takes the tool's homepage from package.json's homepage or repository", () => {
    expect(wfHomepage({ homepage: 'https://example.org/wf' })).toBe('https://example.org/wf')
    expect(wfHomepage({ repository: { type: 'git', url: 'git+https://github.com/acme/wf.git' } })).toBe(
      'https://github.com/acme/wf',
    )
    expect(wfHomepage({ repository: 'github:acme/wf' })).toBe('https://github.com/acme/wf')
    expect(wfHomepage({ repository: 'acme/wf' })).toBe('https://github.com/acme/wf')
    expect(wfHomepage({})).toBeUndefined()
  })
})
