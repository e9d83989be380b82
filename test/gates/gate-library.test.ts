import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo, testdir } from '../helpers.js'

interface GateResult {
  name: string
  status: string
  message: string
  locations?: { file: string; line?: number; col?: number; message?: string }[]
}

const planWith = (gates: string, phaseExtra = '') =>
  `version: 1\nphases:\n  - id: check\n${phaseExtra}    gates:\n${gates}`

async function runGates(cwd: string) {
  const result = await runCli(['run', '--json'], { cwd })
  const json = JSON.parse(result.stdout)
  return { code: result.code, gates: json.phases[0].gates as GateResult[] }
}

/** `wf validate` on a plan with bad gate options: exit 2 and the issue at file:line:col. */
async function expectInvalid(cwd: string, at: string, message: string) {
  const result = await runCli(['validate'], { cwd })
  expect(result.code).toBe(2)
  expect(result.stdout + result.stderr).toContain(`${at}: error: ${message}`)
}

function writeFiles(cwd: string, files: Record<string, string>) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, path)), { recursive: true })
    writeFileSync(join(cwd, path), content)
  }
}

describe('json-schema gate', () => {
  const appSchema = JSON.stringify(
    {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      required: ['name', 'port'],
      additionalProperties: false,
      properties: {
        name: { type: 'string' },
        port: { type: 'integer', minimum: 1 },
        admin: { type: 'string', format: 'email' },
      },
    },
    null,
    2,
  )
  const pairSchema = [
    '$schema: https://json-schema.org/draft/2020-12/schema',
    'type: object',
    'properties:',
    '  pair:',
    '    type: array',
    '    prefixItems: [{ type: string }, { type: integer }]',
    '    items: false',
    '',
  ].join('\n')
  const gates = [
    '      - json-schema: { schema: schemas/app.schema.json, files: "config/*.{json,yaml}" }',
    '      - json-schema: { schema: schemas/pair.schema.yaml, files: data/pair.json }',
    '',
  ].join('\n')

  it('passes for valid YAML and JSON files, with formats and a 2020-12 schema', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith(gates),
      'schemas/app.schema.json': appSchema,
      'schemas/pair.schema.yaml': pairSchema,
      'config/app.yaml': '# app settings\nname: shop\nport: 8080\nadmin: ops@example.com\n',
      'config/worker.json': '{\n  "name": "worker",\n  "port": 9000\n}\n',
      'data/pair.json': '{ "pair": ["a", 1] }\n',
    })
    const { code, gates: results } = await runGates(cwd)
    expect(results.map((g) => [g.status, g.message])).toEqual([
      ['passed', '2 files match schemas/app.schema.json'],
      ['passed', 'data/pair.json matches schemas/pair.schema.yaml'],
    ])
    expect(code).toBe(0)
  })

  it('locates every error at file:line:col of the offending value', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith(gates),
      'schemas/app.schema.json': appSchema,
      'schemas/pair.schema.yaml': pairSchema,
      'config/app.yaml': '# app settings\nname: shop\nadmin: not-an-email\nport: "8080"\n',
      'config/broken.yaml': 'name: shop\nname: again\nport: 1\n',
      'config/trailing.json': '{\n  "name": "x",\n  "port": 1,\n}\n',
      'config/worker.json': '{\n  "name": "worker",\n  "port": 9000,\n  "debug": true\n}\n',
      'data/pair.json': '{\n  "pair": ["a", "b"]\n}\n',
    })
    const { code, gates: results } = await runGates(cwd)
    expect(code).toBe(1)
    expect(results[0]!.status).toBe('failed')
    expect(results[0]!.locations).toEqual([
      { file: 'config/app.yaml', line: 4, col: 7, message: '/port must be integer' },
      { file: 'config/app.yaml', line: 3, col: 8, message: '/admin must match format "email"' },
      { file: 'config/broken.yaml', line: 2, col: 1, message: 'does not parse: Map keys must be unique' },
      {
        file: 'config/trailing.json',
        line: 4,
        col: 1,
        message: 'does not parse as JSON: Expected double-quoted property name',
      },
      { file: 'config/worker.json', line: 4, col: 3, message: '/ must NOT have additional properties: `debug`' },
    ])
    expect(results[0]!.message).toMatch(/^config\/app\.yaml:4:7 \/port must be integer; config\/app\.yaml:3:8 /)
    expect(results[1]!.locations).toEqual([
      { file: 'data/pair.json', line: 2, col: 17, message: '/pair/1 must be integer' },
    ])
    expect(results[1]!.message).toBe('data/pair.json:2:17 /pair/1 must be integer')
  })

  it('rejects a schema file that does not parse or is not a JSON Schema at plan time', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith(
        '      - json-schema:\n          schema: schemas/bad.json\n          files: config/app.json\n',
      ),
      'schemas/bad.json': '{\n  "type": "object",\n  "properties": { "port": { "type": "integr" } }\n}\n',
    })
    await expectInvalid(
      cwd,
      'phases/p.yaml:6:19',
      'schema schemas/bad.json is not a valid JSON Schema: /properties/port/type must be equal to one of the allowed values',
    )
    const broken = testdir({
      'phases/p.yaml': planWith('      - json-schema: { schema: schemas/broken.yaml, files: config/app.json }\n'),
      'schemas/broken.yaml': 'type: object\nproperties: [a,\n',
    })
    await expectInvalid(broken, 'phases/p.yaml:5:32', 'schema schemas/broken.yaml is not valid JSON or YAML')
  })
})

describe('coverage gate', () => {
  const summary = JSON.stringify({
    total: {
      lines: { total: 200, covered: 165, skipped: 0, pct: 82.5 },
      statements: { total: 220, covered: 180, skipped: 0, pct: 81.81 },
      functions: { total: 40, covered: 36, skipped: 0, pct: 90 },
      branches: { total: 100, covered: 91, skipped: 0, pct: 91 },
    },
  })
  const lcov = [
    'TN:',
    'SF:src/a.ts',
    'FN:1,a',
    'FNDA:1,a',
    'FNF:1',
    'FNH:1',
    'BRF:4',
    'BRH:3',
    'LF:10',
    'LH:9',
    'end_of_record',
    'TN:',
    'SF:src/b.ts',
    'FNF:1',
    'FNH:0',
    'BRF:0',
    'BRH:0',
    'LF:10',
    'LH:7',
    'end_of_record',
    '',
  ].join('\n')

  it('passes when an istanbul summary and an lcov file reach the thresholds', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith(
        [
          '      - coverage: { summary: coverage/coverage-summary.json, lines: 80, functions: 90 }',
          '      - coverage: { lcov: coverage/lcov.info, lines: 80, branches: 75 }',
          '',
        ].join('\n'),
      ),
      'coverage/coverage-summary.json': summary,
      'coverage/lcov.info': lcov,
    })
    const { code, gates } = await runGates(cwd)
    expect(gates.map((g) => [g.status, g.message])).toEqual([
      ['passed', 'lines 82.5% ≥ 80%; functions 90.0% ≥ 90%'],
      ['passed', 'lines 80.0% ≥ 80%; branches 75.0% ≥ 75%'],
    ])
    expect(code).toBe(0)
  })

  it('says actual vs required for each metric, located at the report', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith(
        [
          '      - coverage: { summary: coverage/coverage-summary.json, lines: 85, branches: 80 }',
          '      - coverage: { lcov: coverage/lcov.info, functions: 60, statements: 80 }',
          '      - coverage: { summary: coverage/missing.json, lines: 1 }',
          '',
        ].join('\n'),
      ),
      'coverage/coverage-summary.json': summary,
      'coverage/lcov.info': lcov,
    })
    const { code, gates } = await runGates(cwd)
    expect(code).toBe(1)
    expect(gates[0]).toMatchObject({
      status: 'failed',
      message: 'lines 82.5% < 85% required; branches 91.0% ≥ 80%',
      locations: [{ file: 'coverage/coverage-summary.json', message: 'lines 82.5% < 85% required' }],
    })
    expect(gates[1]).toMatchObject({
      status: 'failed',
      message: 'functions 50.0% < 60% required; statements 80.0% ≥ 80%',
      locations: [{ file: 'coverage/lcov.info', message: 'functions 50.0% < 60% required' }],
    })
    expect(gates[2]!.status).toBe('failed')
    expect(gates[2]!.message).toContain(
      'coverage report coverage/missing.json does not exist; produce it with `vitest run --coverage --coverage.reporter=json-summary`',
    )
    expect(gates[2]!.locations).toEqual([{ file: 'coverage/missing.json', message: gates[2]!.message }])
  })

  it('rejects a report path outside the repository at plan time', async () => {
    const cwd = testdir({ 'phases/p.yaml': planWith('      - coverage: { lcov: ../lcov.info, lines: 80 }\n') })
    await expectInvalid(cwd, 'phases/p.yaml:5:27', 'coverage report `../lcov.info` leaves the repository')
  })
})

describe('git gate', () => {
  it('passes in a clean repository on a matching branch with small tracked files (.wf/ ignored)', async () => {
    const cwd = gitRepo({
      'phases/p.yaml': planWith(
        '      - git: { clean: true, branch: "{main,release/*}", tracked: [README.md, "docs/*.md"], max_file_size: 1KB }\n',
      ),
      'README.md': '# x\n',
      'docs/a.md': 'a\n',
    })
    const { code, gates } = await runGates(cwd)
    expect(gates[0]).toMatchObject({
      status: 'passed',
      name: 'git: working tree clean, branch matches {main,release/*}, tracked: README.md, docs/*.md, tracked files at most 1KB',
      message:
        'working tree clean; branch main matches {main,release/*}; README.md, docs/*.md tracked; no tracked file larger than 1KB',
    })
    expect(code).toBe(0)
  })

  it('names uncommitted, untracked and large files, and a branch that does not match', async () => {
    const cwd = gitRepo({
      'phases/p.yaml': planWith(
        [
          '      - git: { clean: true }',
          '      - git: { branch: "release/*" }',
          '      - git: { tracked: "docs/*.md" }',
          '      - git: { max_file_size: 1KB }',
          '',
        ].join('\n'),
      ),
      'README.md': '# x\n',
      'docs/a.md': 'a\n',
      'big.bin': 'x'.repeat(1500),
    })
    writeFiles(cwd, { 'README.md': '# changed\n', 'docs/new.md': 'new\n' })
    const { code, gates } = await runGates(cwd)
    expect(code).toBe(1)
    expect(gates.map((g) => g.status)).toEqual(['failed', 'failed', 'failed', 'failed'])
    expect(gates[0]!.message).toBe(
      'the working tree has 2 uncommitted changes: README.md (modified), docs/new.md (untracked); commit or stash them',
    )
    expect(gates[0]!.locations).toEqual([
      { file: 'README.md', message: 'modified' },
      { file: 'docs/new.md', message: 'untracked' },
    ])
    expect(gates[1]!.message).toBe('branch main does not match release/*')
    expect(gates[2]!.message).toBe('not tracked: docs/*.md: 1 untracked file: docs/new.md')
    expect(gates[2]!.locations).toEqual([
      { file: 'docs/new.md', message: 'not tracked by git (`git add docs/new.md`)' },
    ])
    expect(gates[3]!.message).toBe('1 tracked file is larger than 1KB: big.bin (1.5 KB)')
    expect(gates[3]!.locations).toEqual([{ file: 'big.bin', message: '1.5 KB, larger than 1KB' }])
  })

  it('fails outside a git repository', async () => {
    const cwd = testdir({ 'phases/p.yaml': planWith('      - git: { clean: true }\n') })
    const { gates } = await runGates(cwd)
    expect(gates[0]!.status).toBe('failed')
    expect(gates[0]!.message).toMatch(/is not inside a git repository; run `git init` there or remove the git gate$/)
  })

  it('rejects an invalid branch glob at plan time', async () => {
    const cwd = testdir({ 'phases/p.yaml': planWith('      - git: { branch: "release/[" }\n') })
    await expectInvalid(cwd, 'phases/p.yaml:5:24', 'branch glob `release/[` is invalid: Missing closing: "]"')
  })
})

describe('plugin gate', () => {
  const plugins = {
    'checks/pass.mjs': [
      'import { readdirSync } from "node:fs"',
      'export default {',
      '  name: "greeter",',
      '  run(ctx) {',
      '    const phases = readdirSync(ctx.root).includes("phases")',
      '    return { status: "passed", message: `${ctx.options.greeting} ${ctx.env.WHO}; root has phases: ${phases}; signal: ${ctx.signal instanceof AbortSignal}; only: ${ctx.only}` }',
      '  },',
      '}',
    ].join('\n'),
    'checks/fail.mjs': [
      'export const gate = {',
      '  name: "no-todo",',
      '  async run(ctx) {',
      '    return {',
      '      status: "failed",',
      '      message: `2 TODOs (token ${ctx.env.API_TOKEN})`,',
      '      locations: [{ file: "src/a.ts", line: 3, col: 5, message: "TODO left" }, { file: "src/b.ts", line: 1, extra: "dropped" }],',
      '    }',
      '  },',
      '}',
    ].join('\n'),
    'checks/bad-export.mjs': 'export const run = () => ({ status: "passed", message: "" })\n',
    'checks/no-run.mjs': 'export default { name: "lazy" }\n',
    'checks/throws.mjs': 'export default { name: "thrower", run() { throw new Error("database unreachable") } }\n',
    'checks/bad-result.mjs': 'export default { name: "sloppy", run: () => ({ status: "ok", message: "fine" }) }\n',
  }

  it('runs a plugin with options, env, root and signal', async () => {
    const cwd = testdir({
      ...plugins,
      'phases/p.yaml': planWith(
        '      - plugin: ./checks/pass.mjs\n        options: { greeting: hello }\n',
        '    env: { WHO: world }\n',
      ),
    })
    const { code, gates } = await runGates(cwd)
    expect(gates[0]).toMatchObject({
      status: 'passed',
      message: 'hello world; root has phases: true; signal: true; only: undefined',
    })
    expect(code).toBe(0)
  })

  it('reports failures with locations, bad exports, throws and bad results', async () => {
    const cwd = testdir({
      ...plugins,
      'phases/p.yaml': planWith(
        [
          '      - plugin: ./checks/fail.mjs',
          '      - plugin: checks/bad-export.mjs',
          '      - plugin: checks/no-run.mjs',
          '      - plugin: ./checks/throws.mjs',
          '      - plugin: ./checks/bad-result.mjs',
          '',
        ].join('\n'),
        '    env: { API_TOKEN: { value: s3cr3t-value, secret: true } }\n',
      ),
    })
    const { code, gates } = await runGates(cwd)
    expect(code).toBe(1)
    expect(gates.map((g) => g.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed'])
    expect(gates[0]).toMatchObject({
      message: '2 TODOs (token ***)',
      locations: [
        { file: 'src/a.ts', line: 3, col: 5, message: 'TODO left' },
        { file: 'src/b.ts', line: 1 },
      ],
    })
    expect(gates[0]!.locations![1]).toEqual({ file: 'src/b.ts', line: 1 })
    expect(gates[1]!.message).toMatch(
      /^plugin checks\/bad-export\.mjs exports neither a default export nor `gate`; export `\{ name: string, run\(ctx\) \}` as the default export or as `gate`, e\.g\. export default \{ name: /,
    )
    expect(gates[2]!.message).toMatch(
      /^plugin checks\/no-run\.mjs exports gate `lazy` without a `run` function; export /,
    )
    expect(gates[3]!.message).toBe(
      "plugin `thrower` (./checks/throws.mjs) threw: database unreachable; fix the plugin so that run(ctx) returns { status: 'failed', message } instead of throwing",
    )
    expect(gates[4]!.message).toMatch(
      /^plugin `sloppy` \(\.\/checks\/bad-result\.mjs\) returned status "ok", not 'passed' or 'failed'; run\(ctx\) must return /,
    )
  })

  it('rejects a plugin module that does not exist at plan time', async () => {
    const cwd = testdir({ 'phases/p.yaml': planWith('      - plugin: ./checks/missing.mjs\n') })
    await expectInvalid(cwd, 'phases/p.yaml:5:17', 'plugin module `./checks/missing.mjs` does not exist')
  })
})
