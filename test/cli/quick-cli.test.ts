// `wf run`, `wf status` and `wf check` start from a bundle without oclif (src/cli/quick-cli.ts) when
// their argv is in a form the quick parser reads exactly as oclif does; anything else goes to oclif.
import type { Command } from '@oclif/core/command'
import { parse } from '@oclif/core/parser'
import { describe, expect, it } from 'vitest'
import { parseQuickArgv } from '../../src/cli/quick-argv.js'
import { QUICK_COMMANDS } from '../../src/cli/quick-cli.js'
import { COMMANDS } from '../../src/commands/index.js'
import { runCli } from '../cli-in-process.js'
import { gitRepo, runWf } from '../helpers.js'

type OclifFlag = {
  char?: string
  type: 'boolean' | 'option'
  multiple?: boolean
  options?: readonly string[]
  env?: string
  dependsOn?: readonly string[]
  exclusive?: readonly string[]
  default?: unknown
}

/** A command's flags as oclif parses them: its own, the base flags and --json. */
function oclifFlags(id: string): Record<string, OclifFlag> {
  const command = (COMMANDS as unknown as Record<string, typeof Command>)[id]!
  const json = { json: { type: 'boolean', name: 'json', allowNo: false, parse: async (b: boolean) => b } }
  return { ...json, ...command.baseFlags, ...command.flags } as unknown as Record<string, OclifFlag>
}

/** What oclif makes of argv for a command, or undefined when it refuses it. */
async function oclifParse(id: string, argv: string[]) {
  const command = (COMMANDS as unknown as Record<string, typeof Command>)[id]!
  try {
    const result = await parse(argv, { flags: oclifFlags(id) as never, strict: command.strict !== false })
    return { flags: result.flags, args: result.argv as string[] }
  } catch {
    return undefined
  }
}

describe('the quick parser', () => {
  it('knows each of its flags exactly as the oclif command defines it', async () => {
    for (const [id, quick] of Object.entries(QUICK_COMMANDS)) {
      const flags = oclifFlags(id)
      for (const [name, flag] of Object.entries(quick.flags)) {
        const oclif = flags[name]
        expect(oclif, `${id} --${name}`).toBeDefined()
        expect(flag.char, `${id} --${name}`).toBe(oclif!.char)
        expect(flag.type === 'boolean', `${id} --${name}`).toBe(oclif!.type === 'boolean')
        expect(Boolean(flag.multiple), `${id} --${name}`).toBe(Boolean(oclif!.multiple))
        expect(flag.options, `${id} --${name}`).toEqual(oclif!.options)
        expect(flag.env, `${id} --${name}`).toBe(oclif!.env)
        expect(flag.dependsOn, `${id} --${name}`).toEqual(oclif!.dependsOn)
        expect(flag.exclusive, `${id} --${name}`).toEqual(oclif!.exclusive)
        expect(flag.default?.(), `${id} --${name}`).toEqual(oclif!.default)
      }
      // A flag left out is one whose every use goes to oclif (check --fix and its companions).
      const missing = Object.keys(flags).filter((name) => !(name in quick.flags))
      expect(missing, id).toEqual(id === 'check' ? ['fix', 'gate', 'dry-run', 'yes'] : [])
      expect(quick.args, id).toBe((COMMANDS as unknown as Record<string, typeof Command>)[id]!.strict === false)
    }
  })

  it.each([
    ['run', []],
    ['run', ['--force', '-c', '3', '--reporter', 'plain', '--json']],
    ['run', ['--only', 'a', '--only=b', '--lock-timeout', '0', '-n']],
    ['run', ['--affected', '--since', 'origin/main', '--continue-on-error', '--overwrite']],
    ['run', ['--plan', 'phases/x.yaml', '--env=prod', '--cwd', '/tmp', '--from', 'build', '-w']],
    ['status', ['-d', '--json']],
    ['check', ['--staged']],
    ['check', ['lint', 'src/a.ts', '-c', '1']],
    ['check', ['-', 'a']],
  ])('reads %s %j as oclif does', async (id, argv) => {
    const quick = parseQuickArgv(argv, QUICK_COMMANDS[id]!)
    expect(quick).toBeDefined()
    const oclif = await oclifParse(id, argv)
    expect(quick!.flags).toEqual(oclif!.flags)
    expect(quick!.args).toEqual(oclif!.args)
  })

  it.each([
    ['run', ['--help']],
    ['run', ['-h']],
    ['run', ['--bogus']],
    ['run', ['extra']],
    ['run', ['-c', '0']],
    ['run', ['-c', 'two']],
    ['run', ['-c3']],
    ['run', ['--reporter', 'fancy']],
    ['run', ['--since', 'main']],
    ['run', ['--watch', '--dry-run']],
    ['run', ['--force', '--force']],
    ['run', ['--force=true']],
    ['run', ['--only', 'a', 'b']],
    ['run', ['--plan']],
    ['run', ['--', '--force']],
    ['check', ['--fix']],
    ['check', ['--fix', '--gate', 'x']],
    ['status', ['--detailed', '--plan', '--json']],
  ])('leaves %s %j to oclif', (id, argv) => {
    expect(parseQuickArgv(argv, QUICK_COMMANDS[id]!)).toBeUndefined()
  })

  it('takes --env from WF_ENV as oclif does, and leaves a refused value to oclif', async () => {
    const flags = { env: { type: 'string', env: 'WF_ENV_QUICK_TEST' } } as const
    process.env.WF_ENV_QUICK_TEST = 'prod'
    try {
      expect(parseQuickArgv([], { flags, args: false })?.flags).toEqual({ env: 'prod' })
      expect(parseQuickArgv(['--env', 'dev'], { flags, args: false })?.flags).toEqual({ env: 'dev' })
      const limited = { env: { ...flags.env, options: ['dev'] } }
      expect(parseQuickArgv([], { flags: limited, args: false })).toBeUndefined()
    } finally {
      delete process.env.WF_ENV_QUICK_TEST
    }
  })
})

describe('the quick commands, started as a process', () => {
  const plan = [
    'version: 1',
    'phases:',
    '  - id: build',
    '    inputs: [src/**]',
    '    tasks: [{ run: "true" }]',
    '    gates: [{ files-exist: [src/a.ts] }]',
    '  - id: lint',
    '    needs: [build]',
    '    gates: [{ file-contains: { in: src/a.ts, text: "export" } }]',
    '',
  ].join('\n')
  const normalise = (text: string) =>
    text
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME')
      .replace(/^\d\d:\d\d:\d\d /gm, '')
      .replace(/"(runId|id)": "\d+-[0-9a-f]{6}"/g, '"$1": "ID"')
      .replace(/"durationMs": \d+/g, '"durationMs": 0')
      .replace(/ \([\d.]+m?s\)/g, '')
      .replace(/\b\d+s ago\b/g, 'AGO')
      .replace(/\b[0-9a-f]{40}\b/g, 'COMMIT')
      .replace(/\b[0-9a-f]{8}\b/g, 'SHORT')

  it('print and exit exactly as the oclif commands do', async () => {
    // The same commands in two copies of a repository: one through the quick bundle, one through oclif.
    const files = { 'phases/plan.yaml': plan, 'src/a.ts': 'export const a = 1\n', '.gitignore': '.wf/\n' }
    const [quickDir, oclifDir] = [gitRepo(files), gitRepo(files)]
    for (const args of [
      ['run', '--json'],
      ['run', '--json'],
      ['status', '--json'],
      ['status', '--detailed', '--json'],
      ['check', 'lint', '--json'],
      ['check', 'nosuch'],
      ['check', 'nosuch', '--json'],
      ['status', '--cwd', 'missing'],
      ['run', '--only', 'nosuch', '--json'],
    ]) {
      const quick = await runWf(args, { cwd: quickDir })
      const oclif = await runCli(args, { cwd: oclifDir })
      expect(quick.code, args.join(' ')).toBe(oclif.code)
      expect(normalise(quick.stdout), args.join(' ')).toBe(normalise(oclif.stdout))
      expect(normalise(quick.stderr), args.join(' ')).toBe(normalise(oclif.stderr))
    }
  })

  it('hands argv it does not read to oclif, which says what is wrong', async () => {
    const dir = gitRepo({ 'phases/plan.yaml': plan, 'src/a.ts': 'export const a = 1\n' })
    const bogus = await runWf(['run', '--bogus'], { cwd: dir })
    expect(bogus.code).toBe(2)
    expect(bogus.stderr).toContain('Nonexistent flag: --bogus')
    expect(bogus.stderr).toContain('see `wf run --help`')
    const help = await runWf(['status', '--help'], { cwd: dir })
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('USAGE')
    expect(help.stdout).toContain('--detailed')
  })
})
