import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo, hasStackTrace, testdir, type WfResult } from '../helpers.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'

/** Runs wf as a GitHub Actions step would: GITHUB_ACTIONS=true, with step summary and output files in `dir`. */
function actions(
  cwd: string,
  args: string[],
  dir: string,
  extra: Record<string, string | undefined> = {},
): Promise<WfResult> {
  return runCli(args, {
    cwd,
    env: {
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      GITHUB_OUTPUT: join(dir, 'output.txt'),
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_SHA: SHA,
      ...extra,
    },
  })
}

/** Parses $GITHUB_OUTPUT (name=value lines and name<<DELIMITER heredocs). */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heredoc = /^([\w-]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1)
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (line.includes('=')) outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
  }
  return outputs
}

const PLAN = `version: 1
phases:
  - id: lint
    name: Lint the sources
    tasks: [{ run: "echo linting" }]
    gates:
      - files-exist: [LICENSE]
        hint: add a LICENSE file
      - forbid: { patterns: ["FIXME"], in: ["src/**"] }
  - id: build
    needs: [lint]
    tasks: [{ run: "echo build" }]
  - id: docs
    gates:
      - command: "exit 3"
        name: flaky docs check
        waive: { reason: "link checker is flaky", owner: "@docs-team", until: 2099-01-31 }
      - files-exist: [README.md]
`

describe('wf under GitHub Actions', () => {
  it('groups phases, annotates each gate location with escaped properties, and writes the job summary and step outputs', async () => {
    const cwd = gitRepo({
      'phases/plan.yaml': PLAN,
      'README.md': '# app\n',
      'src/a,b:c.ts': 'const x = 1\n// FIXME: 100% wrong\n',
    })
    const dir = testdir({ 'summary.md': '# Earlier step output\n' })
    const result = await actions(cwd, ['run', '--continue-on-error'], dir)
    expect(result.code, result.stderr).toBe(1)
    expect(hasStackTrace(result.stderr)).toBe(false)
    const out = result.stdout

    // One group per phase that ran, holding its lines.
    const group = /::group::lint: failed\n([\s\S]*?)::endgroup::/.exec(out)
    expect(group, out).not.toBeNull()
    expect(group![1]).toContain('$ echo linting')
    expect(out).toMatch(/::group::docs: passed\n[\s\S]*?::endgroup::/)
    // Annotations: file, line, col and title, with `,` and `:` escaped in properties and `%` in the message.
    expect(out).toContain(
      '::error title=lint%3A forbid /FIXME/ in src/**,file=src/a%2Cb%3Ac.ts,line=2,col=4::/FIXME/ matched F****\n',
    )
    expect(out).toContain('::error title=lint%3A files exist%3A LICENSE::missing: LICENSE%0Aadd a LICENSE file\n')
    // Every workflow command is one line, inside the group of its phase.
    expect(group![1]).toContain('::error title=lint%3A files exist')

    const summary = readFileSync(join(dir, 'summary.md'), 'utf8')
    expect(summary.startsWith('# Earlier step output\n')).toBe(true)
    expect(summary).toContain('## wf report: ❌ failed')
    expect(summary).toMatch(/\| lint<br><sub>Lint the sources<\/sub> \| ❌ failed \|/)
    expect(summary).toMatch(/\| build \| ⛔ blocked \|/)
    expect(summary).toMatch(/\| docs \| ✅ passed \|/)
    // Failing gates link to their file lines at the commit being built.
    expect(summary).toContain(`[\`src/a,b:c.ts:2:4\`](https://github.com/acme/app/blob/${SHA}/src/a%2Cb%3Ac.ts#L2)`)
    expect(summary).toContain('**hint:** add a LICENSE file')
    expect(summary).toMatch(
      /\| docs \| flaky docs check \| @docs-team \| 2099-01-31 \| \d+ \| link checker is flaky \|/,
    )
    expect(summary).toMatch(
      /<details><summary>Phase graph \(3 phases\)<\/summary>\n\n```mermaid\nflowchart LR\n[\s\S]*p0\["lint: Lint the sources<br\/>❌ failed"\]:::failed[\s\S]*p0 --> p1\n```\n\n<\/details>/,
    )

    const ledger = JSON.parse(readFileSync(join(cwd, '.wf', 'ledger.json'), 'utf8'))
    const outputs = parseOutputs(readFileSync(join(dir, 'output.txt'), 'utf8'))
    expect(outputs).toMatchObject({
      status: 'failed',
      'run-id': ledger.recent.at(-1).id,
      'failed-phases': 'lint',
      'blocked-phases': 'build',
      phases: '3',
      passed: '1',
      failed: '1',
      'gates-failed': '2',
      'gates-waived': '1',
      unannotated: '0',
    })
  })

  it('annotates at most 10 errors per step and lists the rest in the summary with how many were not annotated', async () => {
    const missing = Array.from({ length: 13 }, (_, i) => `MISSING-${String(i).padStart(2, '0')}.md`)
    const cwd = gitRepo({
      'phases/plan.yaml': `version: 1\nphases:\n  - id: docs\n    gates:\n${missing.map((f) => `      - files-exist: [${f}]\n`).join('')}`,
    })
    const dir = testdir()
    const result = await actions(cwd, ['check'], dir)
    expect(result.code, result.stderr).toBe(1)
    const errors = result.stdout.split('\n').filter((l) => l.startsWith('::error'))
    expect(errors).toHaveLength(10)
    // 13 failed gates and the failed phase: 14 errors, 4 held back.
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8')
    expect(summary).toContain(
      'GitHub shows at most 10 annotations of each kind per step: 4 errors were not annotated and are listed here.',
    )
    const notAnnotated = summary.slice(summary.indexOf('### Not annotated'))
    for (const file of missing.slice(10))
      expect(notAnnotated).toContain(`docs: files exist: ${file.replace(/_/g, '\\_')}`)
    expect(notAnnotated).toContain('wf phase docs failed')
    expect(parseOutputs(readFileSync(join(dir, 'output.txt'), 'utf8')).unannotated).toBe('4')
  })

  it('keeps the job summary under 1 MiB for a plan with 500 failing gates, saying what was left out', {
    timeout: 120_000,
  }, async () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 20; i++)
      files[`src/${'nested-folder/'.repeat(6)}module-${String(i).padStart(2, '0')}-${'long-name-'.repeat(4)}.ts`] =
        'export {}\n'
    const gates = Array.from(
      { length: 500 },
      (_, i) => `      - file-contains: { in: "src/**/*.ts", text: "marker-${i}" }\n`,
    ).join('')
    const cwd = gitRepo({
      ...files,
      'phases/plan.yaml': `version: 1\nphases:\n  - id: governance\n    gates:\n${gates}`,
    })
    const dir = testdir()
    const result = await actions(cwd, ['check'], dir)
    expect(result.code, result.stderr).toBe(1)
    expect(result.stdout.split('\n').filter((l) => l.startsWith('::error'))).toHaveLength(10)
    const summary = readFileSync(join(dir, 'summary.md'))
    expect(summary.length).toBeLessThan(1024 * 1024)
    const text = summary.toString('utf8')
    const shown = (text.match(/^- ❌ \*\*governance › /gm) ?? []).length
    expect(shown).toBeGreaterThan(0)
    expect(shown).toBeLessThan(500)
    expect(text).toContain(`… ${500 - shown} more failing gates not shown (the summary is limited to`)
    expect(text).toMatch(/GitHub shows at most 10 annotations of each kind per step: 9991 errors were not annotated/)
    // `wf report` Markdown, as a fan-out's last job appends it, is held to the same limit (the check's run
    // is asked for: a check is not the phase's result, so the latest state shows the phase never run).
    const report = await runCli(['report', '--run', '1'], { cwd })
    expect(report.code, report.stderr).toBe(0)
    expect(Buffer.byteLength(report.stdout)).toBeLessThan(1024 * 1024)
    expect(report.stdout).toMatch(/… \d+ more failing gates not shown/)
  })

  it('writes no summary outside GitHub Actions, and `--reporter github` alone only changes the output', async () => {
    const cwd = gitRepo({
      'phases/plan.yaml': 'version: 1\nphases:\n  - id: a\n    gates: [{ files-exist: [nope.txt] }]\n',
    })
    const dir = testdir()
    const plain = await runCli(['check'], {
      cwd,
      env: {
        GITHUB_ACTIONS: undefined,
        GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
        GITHUB_OUTPUT: join(dir, 'output.txt'),
      },
    })
    expect(plain.code).toBe(1)
    expect(plain.stdout).not.toContain('::error')
    expect(existsSync(join(dir, 'summary.md'))).toBe(false)
    const github = await runCli(['check', '--reporter', 'github'], {
      cwd,
      env: { GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: undefined, GITHUB_OUTPUT: undefined },
    })
    expect(github.stdout).toContain('::error title=a%3A files exist%3A nope.txt::missing: nope.txt')
  })

  it('warns and keeps the exit code when the summary file cannot be written', async () => {
    const cwd = gitRepo({ 'phases/plan.yaml': 'version: 1\nphases:\n  - id: a\n    tasks: [{ run: "true" }]\n' })
    const dir = testdir()
    writeFileSync(join(dir, 'output.txt'), '')
    const result = await actions(cwd, ['run'], dir, { GITHUB_STEP_SUMMARY: join(dir, 'missing-folder', 'summary.md') })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/warning: could not write the job summary to \$GITHUB_STEP_SUMMARY/)
    expect(parseOutputs(readFileSync(join(dir, 'output.txt'), 'utf8'))).toMatchObject({
      status: 'passed',
      passed: '1',
      failed: '0',
    })
  })
})

describe('a step summary that is already nearly full', () => {
  it('is left alone, with a warning saying why', async () => {
    const cwd = gitRepo({ 'phases/plan.yaml': 'version: 1\nphases:\n  - id: a\n    tasks: [{ run: "true" }]\n' })
    const dir = testdir({ 'summary.md': 'x'.repeat(1024 * 1024 - 2000) })
    const result = await actions(cwd, ['run'], dir)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(
      /warning: the job summary was not written: earlier commands of this step left \d+ bytes of GitHub's 1 MiB limit/,
    )
    expect(readFileSync(join(dir, 'summary.md')).length).toBe(1024 * 1024 - 2000)
    expect(parseOutputs(readFileSync(join(dir, 'output.txt'), 'utf8')).status).toBe('passed')
  })
})
