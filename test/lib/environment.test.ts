import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isSecretName, mergeEnv, redact, resolveEnv } from '../../src/lib/environment.js'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'

const SHORT = 'hunter2'
const LONG = 'hunter2Xq9TailPart'

describe('redact', () => {
  it.each([
    ['shorter secret first', [SHORT, LONG]],
    ['longer secret first', [LONG, SHORT]],
    ['repeated secrets', [SHORT, LONG, SHORT]],
  ])('leaves no part of a longer secret that contains a shorter one (%s)', (_, secrets) => {
    expect(redact(`a=${SHORT} b=${LONG} c=Xq9${SHORT}`, secrets)).toBe('a=*** b=*** c=Xq9***')
  })
})

describe('mergeEnv', () => {
  it('lets the extra variables win and keeps each secret once, longest first', () => {
    const base = resolveEnv({}, { A: '1', S: { value: SHORT, secret: true } })
    const extra = resolveEnv(base.vars, {
      A: '2',
      L: { value: LONG, secret: true },
      S2: { value: SHORT, secret: true },
    })
    expect(mergeEnv(base, extra)).toEqual({ vars: { A: '2', S: SHORT, L: LONG, S2: SHORT }, secrets: [LONG, SHORT] })
  })
})

describe('a command gate with secrets in its env', () => {
  it('fails printing both secrets, and neither the output nor .wf/ shows any part of them', async () => {
    const cwd = testdir({
      'phases/p.yaml': [
        'version: 1',
        'phases:',
        '  - id: leak',
        '    env: { SHORT: { value: hunter2, secret: true } }',
        '    gates:',
        '      - command: echo "short=$SHORT long=$LONG"; exit 1',
        '        env: { LONG: { value: hunter2Xq9TailPart, secret: true } }',
        '',
      ].join('\n'),
    })
    const result = await runCli(['run', '--json'], { cwd })
    expect(result.code).toBe(1)
    const gate = JSON.parse(result.stdout).phases[0].gates[0]
    expect(gate).toMatchObject({ status: 'failed' })
    expect(gate.message).toContain('short=*** long=***')
    const ledger = readdirSync(join(cwd, '.wf'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    for (const text of [result.stdout, result.stderr, ...ledger]) {
      expect(text).not.toContain('hunter2')
      expect(text).not.toContain('Xq9TailPart')
    }
  })
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

describe('the working directories', () => {
  it('PWD and OLDPWD are paths, not secrets: a task that echoes them keeps them in its output and run record', async () => {
    const cwd = testdir({
      'phases/p.yaml': [
        'version: 1',
        'phases:',
        '  - id: where',
        '    tasks:',
        '      - run: echo "here=$PWD before=$OLDPWD pass=$DB_PWD"',
        '    gates:',
        '      - command: echo "here=$PWD before=$OLDPWD pass=$DB_PWD"; exit 1',
        '',
      ].join('\n'),
    })
    const before = join(cwd, 'phases')
    const env = { PWD: cwd, OLDPWD: before, DB_PWD: 'hunter2pwd' }
    const plain = await runCli(['run'], { cwd, env })
    const result = await runCli(['run', '--json', '--force'], { cwd, env })
    expect([plain.code, result.code]).toEqual([1, 1])
    const records = readdirSync(join(cwd, '.wf', 'runs')).map((n) => readFileSync(join(cwd, '.wf', 'runs', n), 'utf8'))
    expect(records.length).toBeGreaterThan(0)
    for (const text of [plain.stdout, result.stdout, ...records]) {
      expect(text).toContain(
        `here=${JSON.stringify(cwd).slice(1, -1)} before=${JSON.stringify(before).slice(1, -1)} pass=***`,
      )
      expect(text).not.toContain('hunter2pwd')
    }
  })

  it('a name is secret by its words, whatever the case, except the shell’s own PWD and OLDPWD', () => {
    const env = resolveEnv({ PWD: '/repo', OLDPWD: '/home', DB_PWD: 'pw-value', GITHUB_TOKEN: 'tok-value' })
    expect(env.secrets).toEqual(['tok-value', 'pw-value'])
    expect(isSecretName('pwd')).toBe(false)
    expect(isSecretName('REDIS_PWD')).toBe(true)
  })

  it('`auth` names a credential, but an author or XAUTHORITY names none', () => {
    for (const name of ['AUTH', 'NPM_AUTH', 'OAUTH_TOKEN', 'PROXY_AUTHORIZATION', 'HTTP_AUTHORISATION'])
      expect(isSecretName(name), name).toBe(true)
    for (const name of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'XAUTHORITY', 'AUTHORS_FILE'])
      expect(isSecretName(name), name).toBe(false)
  })
})
