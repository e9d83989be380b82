import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { git, hasStackTrace, testdir } from '../helpers.js'
import { allowedSigner, NO_AGENT, signedRepo, sshKeys } from '../gates/ssh-keys.js'

const keys = sshKeys('alice', 'bob', 'mallory')
const signers = allowedSigner('alice@acme.dev', keys.alice!) + allowedSigner('bob@acme.dev', keys.bob!)
const ledger = (cwd: string) => JSON.parse(readFileSync(join(cwd, '.wf', 'ledger.json'), 'utf8'))
const run = async (cwd: string) => {
  const result = await runCli(['run'], { cwd, env: NO_AGENT })
  return { code: result.code, out: result.stdout }
}

describe('wf approve --sign', () => {
  it('signs with user.signingkey; the gate passes until the inputs or the allowed signers change', async () => {
    const cwd = signedRepo({ gate: '{ signed: true }', signers, signingKey: `${keys.alice}.pub` })
    expect(await run(cwd)).toMatchObject({ code: 1, out: expect.stringContaining('run `wf approve release --sign`') })
    expect((await runCli(['status'], { cwd, env: NO_AGENT })).stdout).toContain('pending: wf approve release --sign')
    const unsigned = await runCli(['approve', 'release'], { cwd, env: NO_AGENT })
    expect(unsigned.code).toBe(2)
    expect(unsigned.stderr).toContain('phase `release` takes only signed approvals')

    const approved = await runCli(['approve', 'release', '--sign', '--note', 'read it'], { cwd, env: NO_AGENT })
    expect(approved).toMatchObject({
      code: 0,
      stdout: '✔ release approved by alice@acme.dev (signed); run `wf run` to continue\n',
    })
    expect(ledger(cwd).approvals.release).toEqual({
      by: 'alice@acme.dev',
      at: expect.any(String),
      fingerprint: expect.any(String),
      note: 'read it',
      phase: 'release',
      commit: git(cwd, 'rev-parse', 'HEAD').trim(),
      signature: expect.stringMatching(
        /^-----BEGIN SSH SIGNATURE-----\n[A-Za-z0-9+/=\n]+\n-----END SSH SIGNATURE-----\n$/,
      ),
    })
    expect(await run(cwd)).toMatchObject({
      code: 0,
      out: expect.stringMatching(/gate signed approval: approved by alice@acme\.dev/),
    })

    writeFileSync(join(cwd, 'CHANGELOG.md'), '# 1.1\n')
    expect(await run(cwd)).toMatchObject({
      code: 1,
      out: expect.stringContaining("but the phase's inputs changed since"),
    })
    expect((await runCli(['approve', 'release', '--sign'], { cwd, env: NO_AGENT })).code).toBe(0)
    expect((await run(cwd)).code).toBe(0)

    // Who may sign is an input: removing a key re-opens the phase rather than keeping it up to date.
    writeFileSync(join(cwd, '.github', 'allowed_signers'), allowedSigner('bob@acme.dev', keys.bob!))
    expect(await run(cwd)).toMatchObject({
      code: 1,
      out: expect.stringContaining("but the phase's inputs changed since"),
    })
    const removed = await runCli(['approve', 'release', '--sign'], { cwd, env: NO_AGENT })
    expect(removed.code).toBe(2)
    expect(removed.stderr).toContain('the key in git config user.signingkey is not listed in .github/allowed_signers')
  })

  it('signs with a `key::` literal whose private half is in ssh-agent', async () => {
    const literal = `key::${readFileSync(`${keys.bob}.pub`, 'utf8').trim()}`
    const cwd = signedRepo({ gate: '{ signed: true }', signers, signingKey: literal })
    const refused = await runCli(['approve', 'release', '--sign'], { cwd, env: NO_AGENT })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/ssh-keygen could not sign: .*agent/)
    const socket = join(testdir({}, { git: false }), 'agent.sock')
    const agent = execFileSync('ssh-agent', ['-s', '-a', socket], { encoding: 'utf8' })
    const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(agent)![1])
    try {
      execFileSync('ssh-add', ['-q', keys.bob!], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' })
      const approved = await runCli(['approve', 'release', '--sign'], { cwd, env: { SSH_AUTH_SOCK: socket } })
      expect(approved.stdout).toContain('approved by bob@acme.dev (signed)')
    } finally {
      process.kill(pid)
    }
    expect((await run(cwd)).code).toBe(0)
  })

  it('refuses, with exit 2, a missing key or ssh-keygen, a failed signature, an unlisted or unauthorised signer', async () => {
    const loneKey = join(testdir({}, { git: false }), 'alice.pub')
    copyFileSync(`${keys.alice}.pub`, loneKey)
    const gitOnly = testdir({}, { git: false })
    symlinkSync(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim(), join(gitOnly, 'git'))
    const cases: {
      name: string
      gate?: string
      key?: string
      args?: string[]
      env?: Record<string, string>
      error: string
    }[] = [
      { name: 'no signing key', error: 'no signing key: git config user.signingkey is not set' },
      {
        name: 'a GPG key id',
        key: '3AA5C34371567BD2',
        error: 'user.signingkey `3AA5C34371567BD2` is neither an SSH key file',
      },
      {
        name: 'no ssh-keygen',
        key: keys.alice,
        env: { PATH: gitOnly },
        error: 'ssh-keygen could not be started (ENOENT)',
      },
      {
        name: 'signing fails',
        key: loneKey,
        error: `ssh-keygen could not sign: No private key found for public key "${loneKey}"`,
      },
      {
        name: 'an unlisted key',
        key: keys.mallory,
        error: 'the key in git config user.signingkey is not listed in .github/allowed_signers',
      },
      {
        name: 'a signer not among the approvers',
        gate: '{ signed: true, approvers: [bob@acme.dev] }',
        key: keys.alice,
        error: 'alice@acme.dev may not approve `release`; its approvers are bob@acme.dev',
      },
      {
        name: '--by with --sign',
        key: keys.alice,
        args: ['--by', 'bob@acme.dev'],
        error: 'cannot also be provided when using --by',
      },
    ]
    for (const { name, gate, key, args = [], env = {}, error } of cases) {
      const cwd = signedRepo({ gate: gate ?? '{ signed: true }', signers, signingKey: key })
      const result = await runCli(['approve', 'release', '--sign', ...args], { cwd, env: { ...NO_AGENT, ...env } })
      expect({ name, code: result.code }).toEqual({ name, code: 2 })
      expect(result.stderr, name).toContain(error)
      expect(hasStackTrace(result.stderr), name).toBe(false)
      expect(existsSync(join(cwd, '.wf', 'ledger.json')) && ledger(cwd).approvals, name).toBeFalsy()
    }
  })

  it('signs for a gate without `signed: true` too, which then accepts it as any approval', async () => {
    const cwd = signedRepo({ gate: '{ approvers: [alice@acme.dev] }', signers, signingKey: keys.alice })
    expect((await runCli(['approve', 'release', '--sign'], { cwd, env: NO_AGENT })).code).toBe(0)
    expect(await run(cwd)).toMatchObject({ code: 0, out: expect.stringContaining('approved by alice@acme.dev') })
  })
})
