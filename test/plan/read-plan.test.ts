import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { hasStackTrace, repoRoot, testdir } from '../helpers.js'

// Every folder under test/fixtures/invalid/ is one malformed plan: its phases/ (and whatever else
// the case needs) plus expect.json, which says where the error must be reported and what it says.

interface Expectation {
  /** `file:line:col`, or just `file` for problems with the whole file. */
  location: string
  /** A distinctive part of the error message. */
  message: string
  /** A distinctive part of the hint of the same issue. */
  hint?: string
  /** How many issues the plan must report. */
  count?: number
  /** `huge`: the test writes phases/ci.yaml larger than the plan size limit. */
  generate?: 'huge'
}

interface JsonIssue {
  code: string
  message: string
  location?: { file: string; line?: number; col?: number }
  hint?: string
}

const fixturesDir = join(repoRoot, 'test', 'fixtures', 'invalid')
const fixtures = readdirSync(fixturesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

function readExpectation(name: string): Expectation {
  return JSON.parse(readFileSync(join(fixturesDir, name, 'expect.json'), 'utf8')) as Expectation
}

function parseLocation(location: string): { file: string; line?: number; col?: number } {
  const match = /^(.+?):(\d+):(\d+)$/.exec(location)
  return match ? { file: match[1]!, line: Number(match[2]), col: Number(match[3]) } : { file: location }
}

/** A plan of realistic phases that is larger than the 1 MiB limit on plan files. */
function hugePlan(): string {
  const phase = (i: number) =>
    [
      `  - id: check-${i}`,
      `    description: Generated check number ${i} of a very large plan.`,
      '    tasks:',
      `      - run: npm run check -- --shard ${i}`,
      '        timeout: 5m',
      '',
    ].join('\n')
  const parts = ['version: 1', 'phases:']
  let size = 0
  for (let i = 0; size <= 1.2 * 1024 * 1024; i++) {
    const text = phase(i)
    parts.push(text)
    size += text.length
  }
  return parts.join('\n')
}

/** A fresh repository (temp dir with .git) holding a copy of the fixture. */
function repositoryFor(name: string, expectation: Expectation): string {
  const dir = testdir()
  cpSync(join(fixturesDir, name), dir, { recursive: true, filter: (src) => basename(src) !== 'expect.json' })
  if (expectation.generate === 'huge') {
    mkdirSync(join(dir, 'phases'), { recursive: true })
    writeFileSync(join(dir, 'phases', 'ci.yaml'), hugePlan())
  }
  return dir
}

describe('invalid plans', () => {
  it('has a corpus of at least 45 fixtures, each with a well-formed expect.json', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(45)
    for (const name of fixtures) {
      expect(name, 'fixture names are kebab-case').toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
      const expectation = readExpectation(name)
      expect(typeof expectation.location, `${name}: location`).toBe('string')
      expect(typeof expectation.message, `${name}: message`).toBe('string')
      if (expectation.generate === undefined)
        expect(readdirSync(join(fixturesDir, name, 'phases')).length, `${name}: phases/`).toBeGreaterThan(0)
    }
  })

  it.each(fixtures)('%s', async (name) => {
    const expectation = readExpectation(name)
    const where = parseLocation(expectation.location)
    const cwd = repositoryFor(name, expectation)

    const human = await runCli(['validate'], { cwd })
    const json = await runCli(['validate', '--json'], { cwd })

    expect(human.code, human.stderr).toBe(2)
    expect(human.stdout).toBe('')
    expect(hasStackTrace(human.stderr), human.stderr).toBe(false)
    const header = `${expectation.location}: error: `
    const headerLines = human.stderr.split('\n').filter((line) => line.startsWith(header))
    expect(headerLines.length, `stderr has no line starting with "${header}":\n${human.stderr}`).toBeGreaterThan(0)
    expect(
      headerLines.some((line) => line.includes(expectation.message)),
      human.stderr,
    ).toBe(true)
    if (expectation.hint !== undefined) {
      const hints = human.stderr.split('\n').filter((line) => line.trimStart().startsWith('hint: '))
      expect(
        hints.some((line) => line.includes(expectation.hint!)),
        human.stderr,
      ).toBe(true)
    }
    if (expectation.count !== undefined) {
      expect(human.stderr).toContain(`✖ ${expectation.count} ${expectation.count === 1 ? 'error' : 'errors'}`)
    }

    expect(json.code, json.stdout + json.stderr).toBe(2)
    expect(hasStackTrace(json.stderr), json.stderr).toBe(false)
    const output = JSON.parse(json.stdout) as { error: { code: string; message: string; issues: JsonIssue[] } }
    expect(output.error.code).toBe('WF_PLAN_INVALID')
    expect(Array.isArray(output.error.issues)).toBe(true)
    const matching = output.error.issues.filter(
      (issue) =>
        issue.location?.file === where.file &&
        issue.location.line === where.line &&
        issue.location.col === where.col &&
        issue.message.includes(expectation.message),
    )
    expect(matching.length, JSON.stringify(output.error.issues, null, 2)).toBeGreaterThan(0)
    if (expectation.hint !== undefined)
      expect(matching.some((issue) => issue.hint?.includes(expectation.hint!))).toBe(true)
    if (expectation.count !== undefined) expect(output.error.issues).toHaveLength(expectation.count)
  })
})
