import { describe, expect, it } from 'vitest'
import { testdir } from '../helpers.js'
import { expectInvalid, planWith, runGates } from './run-gates.js'

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
