import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { git, gitRepo, testdir } from '../helpers.js'

/** Ed25519 key pairs made by ssh-keygen (no passphrase) in a temp folder outside any repository: name → private key file (`.pub` beside it). */
export function sshKeys(...names: string[]): Record<string, string> {
  const dir = testdir({}, { git: false })
  const keys: Record<string, string> = {}
  for (const name of names) {
    keys[name] = join(dir, name)
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', keys[name]])
  }
  return keys
}

/** An allowed_signers line giving `principal` the key whose private half is in `keyFile`, for approvals only. */
export const allowedSigner = (principal: string, keyFile: string) =>
  `${principal} namespaces="wf-approval" ${readFileSync(`${keyFile}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`

/**
 * A git repository whose phase `release` (inputs: CHANGELOG.md) has an approval gate with `gate`
 * options, `.github/allowed_signers` holding `signers`, and git's user.signingkey set to `signingKey`.
 */
export function signedRepo(options: { gate: string; signers: string; signingKey?: string }): string {
  const cwd = gitRepo({
    'phases/p.yaml': `version: 1
phases:
  - id: release
    inputs: [CHANGELOG.md]
    gates:
      - approval: ${options.gate}
`,
    'CHANGELOG.md': '# 1.0\n',
    '.github/allowed_signers': options.signers,
  })
  if (options.signingKey) git(cwd, 'config', 'user.signingkey', options.signingKey)
  return cwd
}

/** No ssh-agent: signing uses key files only, whatever the machine's environment holds. */
export const NO_AGENT = { SSH_AUTH_SOCK: undefined }
