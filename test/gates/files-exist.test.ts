import { describe, expect, it } from 'vitest'
import { testdir } from '../helpers.js'
import { planWith, runGates } from './run-gates.js'

const plan = (gates: string) => planWith(gates, '    inputs: [README.md]\n')

async function gateResults(files: Record<string, string>) {
  const cwd = testdir(files)
  return { cwd, ...(await runGates(cwd)) }
}

describe('files-exist gate', () => {
  it('passes when every pattern matches, names what is missing', async () => {
    const { code, gates } = await gateResults({
      'phases/p.yaml': plan(
        '      - files-exist: [README.md, "docs/*.md"]\n      - files-exist: [LICENSE, README.md, SECURITY.md]\n',
      ),
      'README.md': '# x\n',
      'docs/a.md': 'a',
    })
    expect(code).toBe(1)
    expect(gates[0]!.status).toBe('passed')
    expect(gates[1]).toMatchObject({ status: 'failed', message: 'missing: LICENSE, SECURITY.md' })
  })

  it('finds well-known governance files in any case by default; `nocase: false` keeps exact matching', async () => {
    const { gates } = await gateResults({
      'phases/p.yaml': plan(
        [
          '      - files-exist: [LICENSE, README.md, .github/SECURITY.md, "docs/CONTRIBUTING.md"]',
          '      - files-exist: { paths: [LICENSE, README.md], nocase: false }',
          '      - files-exist: [Makefile]',
          '      - files-exist: { paths: [Makefile], nocase: true }',
          '',
        ].join('\n'),
      ),
      license: 'MIT',
      'readme.md': '# x\n',
      'README.md': '# x\n',
      '.github/security.md': '# s\n',
      'docs/contributing.md': '# c\n',
      makefile: 'all:\n',
    })
    expect(gates.map((g) => g.status)).toEqual(['passed', 'failed', 'failed', 'passed'])
    expect(gates[1]!.message).toBe('missing: LICENSE')
    expect(gates[2]!.message).toBe('missing: Makefile')
  })

  it('counts no file matching `exclude`', async () => {
    const { gates } = await gateResults({
      'phases/p.yaml': plan(
        '      - files-exist: { paths: "**/*.test.ts", exclude: "**/fixtures/**" }\n      - files-exist: "**/*.test.ts"\n',
      ),
      'README.md': '',
      'test/fixtures/a.test.ts': '',
    })
    expect(gates.map((g) => g.status)).toEqual(['failed', 'passed'])
    expect(gates[0]!.message).toBe('missing: **/*.test.ts')
  })
})
