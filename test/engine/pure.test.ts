import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { redact, resolveEnv } from '../../src/lib/environment.js'
import { directArgv } from '../../src/lib/exec.js'
import { mapLimit } from '../../src/lib/files.js'
import { applyPolicy } from '../../src/engine/check-gate.js'
import { formatDuration, parseDuration, parseSize } from '../../src/lib/units.js'
import { GATE_KINDS, TASK_KINDS } from '../../src/plan/kinds.js'
import { repoRoot } from '../helpers.js'

describe('units', () => {
  it.each([
    [1, 1000],
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5m', 90_000],
    ['2h', 7_200_000],
  ] as const)('duration %s = %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms)
  })
  it.each([
    [10, 10],
    ['5MB', 5_000_000],
    ['1 KiB', 1024],
    ['2GiB', 2 * 1024 ** 3],
  ] as const)('size %s = %d bytes', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes)
  })
  it.each([
    [850, '850ms'],
    [4200, '4.2s'],
    [185_000, '3m 05s'],
  ])('formats %d ms as %s', (ms, text) => expect(formatDuration(ms)).toBe(text))
})

describe('environment', () => {
  it('layers plan env over the process env and collects secret values', () => {
    const env = resolveEnv(
      { PATH: '/bin', GITHUB_TOKEN: 'ghp_from_process', SHORT_TOKEN: 'abc', FROM_ME: 'source-value' },
      {
        PLAIN: 'x',
        DEPLOY_KEY: { value: 'k3y-value', secret: true },
        COPY: { from: 'FROM_ME', secret: true },
        DB_PASSWORD: 'hunter22',
        MISSING: { from: 'NOPE' },
      },
    )
    expect(env.vars).toMatchObject({
      PATH: '/bin',
      PLAIN: 'x',
      DEPLOY_KEY: 'k3y-value',
      COPY: 'source-value',
      DB_PASSWORD: 'hunter22',
    })
    expect(env.vars).not.toHaveProperty('MISSING')
    expect(env.secrets.sort()).toEqual(['ghp_from_process', 'hunter22', 'k3y-value', 'source-value'])
    expect(redact('token ghp_from_process and k3y-value; PLAIN x', env.secrets)).toBe('token *** and ***; PLAIN x')
  })
})

describe('directArgv', () => {
  it.each([
    ['true', ['true']],
    ['node --version', ['node', '--version']],
    ['./bin/run.js validate --cwd=x', ['./bin/run.js', 'validate', '--cwd=x']],
  ])('starts %s without a shell', (command, argv) => expect(directArgv(command)).toEqual(argv))
  it.each([
    'echo $HOME',
    'ls *.ts',
    'a && b',
    'cd src',
    'exit 3',
    'FOO=1 node x',
    "echo 'quoted'",
    'no-such-program-wf --x',
    'echo a > f',
  ])('leaves %s to the shell', (command) => {
    expect(directArgv(command)).toBeUndefined()
  })
})

describe('applyPolicy', () => {
  const failed = { name: 'g', kind: 'command', status: 'failed' as const, message: 'broken' }
  it('waives a failure until the waiver expires', () => {
    const waive = { reason: 'flaky', owner: '@ops', until: '2026-12-31' }
    expect(applyPolicy({ command: 'x', waive }, failed, '2026-12-31')).toMatchObject({
      status: 'waived',
      waiver: { expired: false },
    })
    const expired = applyPolicy({ command: 'x', waive }, failed, '2027-01-01')
    expect(expired).toMatchObject({ status: 'failed', waiver: { expired: true } })
    expect(expired.message).toContain('expired on 2026-12-31')
  })
  it('turns a failure into a warning with severity warning, and leaves passes alone', () => {
    expect(applyPolicy({ command: 'x', severity: 'warning' }, failed).status).toBe('warned')
    expect(applyPolicy({ command: 'x', severity: 'warning' }, { ...failed, status: 'passed' }).status).toBe('passed')
  })
})

describe('kind keys', () => {
  it('match the plan schema', () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'contracts', 'plan.schema.json'), 'utf8'))
    const keys = (union: string) =>
      schema.definitions[union].oneOf.map(
        (r: { $ref: string }) => schema.definitions[r.$ref.split('/').pop()!].required[0],
      )
    expect(keys('task')).toEqual([...TASK_KINDS])
    expect(keys('gate')).toEqual([...GATE_KINDS])
  })
})

describe('mapLimit', () => {
  it('keeps the order of the items and never runs more than the limit at once', async () => {
    let running = 0
    let most = 0
    const delays = [30, 5, 20, 1, 15, 8, 2, 25, 3, 12]
    const out = await mapLimit(delays, 3, async (ms) => {
      most = Math.max(most, ++running)
      await new Promise((resolve) => setTimeout(resolve, ms))
      running--
      return ms * 2
    })
    expect(out).toEqual(delays.map((ms) => ms * 2))
    expect(most).toBe(3)
    expect(await mapLimit([], 4, async () => 1)).toEqual([])
  })

  it('passes a failure on', async () => {
    await expect(
      mapLimit([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error('two')
        return n
      }),
    ).rejects.toThrow('two')
  })
})
