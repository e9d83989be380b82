import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { WfError } from './errors.js'
import { lazyImport } from './memo.js'

const loadExeca = lazyImport(() => import('execa'))

/** A key to sign with, as git's `user.signingkey` names it: a key file, or a public key whose private half is in ssh-agent. */
export type SigningKey = { file: string } | { literal: string }

/** What a `user.signingkey` value names, read as git reads it (`key::` literals, `~/`, paths relative to `cwd`). */
export function sshSigningKey(value: string, cwd: string): SigningKey {
  const key = value.trim()
  if (key.startsWith('key::')) return { literal: key.slice(5) }
  // git's older literal form: a public key line without the `key::` prefix.
  if (key.startsWith('ssh-')) return { literal: key }
  if (key === '~' || key.startsWith('~/')) return { file: join(homedir(), key.slice(1)) }
  return { file: resolve(cwd, key) }
}

/** What checking a signature against an allowed-signers file found. */
export type SshVerification =
  | { valid: true; principals: string[]; key: string }
  | { valid: false; reason: 'unlisted' | 'invalid'; detail: string }

/**
 * Signs `message` with `ssh-keygen -Y sign` in `namespace`, as git signs a commit, and returns the
 * armored signature. Throws a usage error, with ssh-keygen's own words, when it is missing or fails.
 */
export async function signWithSshKey(message: string, key: SigningKey, namespace: string): Promise<string> {
  return inTempDir('wf-sign-', async (dir) => {
    // The message goes in a file, not on stdin: without a terminal, ssh-keygen reads a key's passphrase from stdin.
    const file = join(dir, 'message')
    await writeFile(file, message)
    const args = ['-Y', 'sign', '-n', namespace]
    if ('literal' in key) {
      const keyFile = join(dir, 'key.pub')
      await writeFile(keyFile, `${key.literal}\n`, { mode: 0o600 })
      args.push('-f', keyFile, '-U')
    } else args.push('-f', key.file)
    const result = await sshKeygen([...args, file])
    if (result.exitCode !== 0)
      throw new WfError('WF_USAGE', `ssh-keygen could not sign: ${said(result.stderr) || `exit ${result.exitCode}`}`, {
        hint:
          'literal' in key
            ? 'a `key::` signing key needs its private half in ssh-agent (ssh-add)'
            : 'check that git config user.signingkey names your SSH key, and that ssh-agent holds it if it has a passphrase',
      })
    return readFile(`${file}.sig`, 'utf8')
  })
}

/**
 * Checks `signature` over `message` in `namespace` against an OpenSSH allowed-signers file, as git
 * checks signed commits: the principals listed for the signing key that the signature verifies for.
 */
export async function verifySshSignature(
  message: string,
  signature: string,
  allowedSigners: string,
  namespace: string,
): Promise<SshVerification> {
  return inTempDir('wf-verify-', async (dir) => {
    const sig = join(dir, 'message.sig')
    await writeFile(sig, signature)
    const found = await sshKeygen(['-Y', 'find-principals', '-s', sig, '-f', allowedSigners])
    if (found.exitCode !== 0) {
      const detail = said(found.stderr)
      return { valid: false, reason: /no principal matched/i.test(found.stderr) ? 'unlisted' : 'invalid', detail }
    }
    const principals: string[] = []
    let key = ''
    let detail = ''
    for (const principal of found.stdout.split('\n').filter(Boolean)) {
      const args = ['-Y', 'verify', '-f', allowedSigners, '-I', principal, '-n', namespace, '-s', sig]
      const result = await sshKeygen(args, message)
      if (result.exitCode === 0) {
        principals.push(principal)
        key ||= /signature for .+ with (.+)$/m.exec(result.stdout + result.stderr)?.[1] ?? ''
      } else detail ||= said(result.stderr)
    }
    return principals.length > 0 ? { valid: true, principals, key } : { valid: false, reason: 'invalid', detail }
  })
}

async function sshKeygen(args: string[], input?: string) {
  const { execa } = await loadExeca()
  const result = await execa('ssh-keygen', args, {
    reject: false,
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
  })
  if (result.exitCode === undefined)
    throw new WfError('WF_USAGE', `ssh-keygen could not be started (${result.code ?? result.shortMessage})`, {
      hint: 'install OpenSSH 8.2 or newer (ssh-keygen on PATH) to sign and verify approvals',
    })
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) }
}

// Lines ssh-keygen prints on every run, which say nothing about what went wrong.
const CHATTER = /^(Signing (data on standard input|file .*)|Write signature to .*|Could not verify signature\.)$/

/** What ssh-keygen said, without its routine lines, on one line. */
function said(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !CHATTER.test(line))
    .join('; ')
}

async function inTempDir<T>(prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  try {
    return await use(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
