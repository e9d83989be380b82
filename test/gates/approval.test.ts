import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { approvalGate } from '../../src/gates/approval.js'
import { APPROVAL_NAMESPACE, approvalMessage } from '../../src/gates/approval-message.js'
import type { ApprovalRecord } from '../../src/ledger/ledger.js'
import { resolveEnv } from '../../src/lib/environment.js'
import { signWithSshKey } from '../../src/lib/ssh-signature.js'
import { Workspace } from '../../src/lib/workspace.js'
import { readPlan } from '../../src/app/read-plan.js'
import type { ApprovalGate } from '../../src/plan/plan.generated.js'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'
import { expectInvalid, planWith } from './run-gates.js'
import { allowedSigner, NO_AGENT, signedRepo, sshKeys } from './ssh-keys.js'

const keys = sshKeys('alice', 'mallory')
const alice = allowedSigner('alice@acme.dev', keys.alice!)
const signed: ApprovalGate = { approval: { signed: true } }

/** A repository where alice@acme.dev has run `wf approve release --sign`, and the approval it recorded. */
async function signedApproval(): Promise<{ cwd: string; record: ApprovalRecord }> {
  const cwd = signedRepo({ gate: '{ signed: true }', signers: alice, signingKey: keys.alice })
  const approved = await runCli(['approve', 'release', '--sign', '--note', 'read the changelog'], {
    cwd,
    env: NO_AGENT,
  })
  expect(approved.stderr).toBe('')
  const record = JSON.parse(readFileSync(join(cwd, '.wf', 'ledger.json'), 'utf8')).approvals.release as ApprovalRecord
  return { cwd, record }
}

/** The gate's verdict on `record` for phase `release` at `fingerprint`, as the engine asks it. */
async function verdict(cwd: string, record: ApprovalRecord | undefined, fingerprint: string, gate = signed) {
  const plan = await readPlan({ cwd })
  return approvalGate.check(gate, {
    root: cwd,
    workspace: new Workspace(cwd),
    phase: plan.phases[0]!,
    env: resolveEnv(process.env),
    signal: new AbortController().signal,
    fingerprint,
    approvals: { release: record },
  })
}

/** Flips one character of the signature's last base64 line (the signature bytes, not the key). */
function tamper(signature: string): string {
  const lines = signature.split('\n')
  const last = lines.length - 3
  lines[last] = (lines[last]![0] === 'A' ? 'B' : 'A') + lines[last]!.slice(1)
  return lines.join('\n')
}

describe('signed approval gate', () => {
  it('accepts a signature by a listed key over this phase and its current fingerprint, and nothing else', async () => {
    const { cwd, record } = await signedApproval()
    const now = record.fingerprint
    const byMallory = await signWithSshKey(
      approvalMessage('release', record),
      { file: keys.mallory! },
      APPROVAL_NAMESPACE,
    )
    const cases: [string, ApprovalRecord | undefined, string, 'passed' | 'awaiting-approval', RegExp][] = [
      [
        'as recorded',
        record,
        now,
        'passed',
        /^approved by alice@acme\.dev at \S+, signed with ED25519 key SHA256:\S+ listed in \.github\/allowed_signers: read the changelog$/,
      ],
      // The approver is the key's principal: the unsigned `by` names no one.
      ['`by` edited', { ...record, by: 'mallory' }, now, 'passed', /^approved by alice@acme\.dev /],
      ['none recorded', undefined, now, 'awaiting-approval', /^no approval recorded: run `wf approve release --sign`$/],
      [
        'unsigned',
        { by: 'alice@acme.dev', at: record.at, fingerprint: now },
        now,
        'awaiting-approval',
        /without a signature, and this gate takes only signed approvals: run `wf approve release --sign`/,
      ],
      [
        'signed by an unlisted key',
        { ...record, signature: byMallory },
        now,
        'awaiting-approval',
        /signed by a key that is not in \.github\/allowed_signers: add the approver's public key to it/,
      ],
      [
        'note edited',
        { ...record, note: 'skipped it' },
        now,
        'awaiting-approval',
        /signature does not verify \(.*incorrect signature\)/,
      ],
      [
        'time edited',
        { ...record, at: '2030-01-01T00:00:00.000Z' },
        now,
        'awaiting-approval',
        /signature does not verify/,
      ],
      [
        'signature edited',
        { ...record, signature: tamper(record.signature!) },
        now,
        'awaiting-approval',
        /signature does not verify/,
      ],
      ['for another phase', { ...record, phase: 'deploy' }, now, 'awaiting-approval', /is for `deploy`/],
      [
        'inputs changed since',
        record,
        'f-newer',
        'awaiting-approval',
        /signed at \S+, but the phase's inputs changed since/,
      ],
      [
        'fingerprint edited to the new inputs',
        { ...record, fingerprint: 'f-newer' },
        'f-newer',
        'awaiting-approval',
        /signature does not verify/,
      ],
    ]
    for (const [name, approval, fingerprint, status, message] of cases) {
      const outcome = await verdict(cwd, approval, fingerprint)
      expect({ name, status: outcome.status }).toEqual({ name, status })
      expect(outcome.message, name).toMatch(message)
    }
  })

  it('reads who may sign when it checks: approvers, a removed key, a key not allowed to sign approvals', async () => {
    const { cwd, record } = await signedApproval()
    const onlyBob: ApprovalGate = { approval: { signed: true, approvers: ['bob@acme.dev'] } }
    expect((await verdict(cwd, record, record.fingerprint, onlyBob)).message).toMatch(
      /^signed by alice@acme\.dev, who is not one of bob@acme\.dev: one of them should run `wf approve release --sign`$/,
    )
    const signers = join(cwd, '.github', 'allowed_signers')
    writeFileSync(signers, alice.replace('namespaces="wf-approval"', 'namespaces="git"'))
    expect((await verdict(cwd, record, record.fingerprint)).message).toMatch(
      /signature does not verify \(.*not permitted for use in signature namespace "wf-approval".*\)/,
    )
    writeFileSync(signers, allowedSigner('mallory@acme.dev', keys.mallory!))
    expect((await verdict(cwd, record, record.fingerprint)).message).toMatch(/signed by a key that is not in/)
  })

  it('leaves unsigned gates as they were: any recorded approval for the current fingerprint', async () => {
    const { cwd, record } = await signedApproval()
    const unsigned = { by: 'alice', at: record.at, fingerprint: record.fingerprint }
    expect(await verdict(cwd, unsigned, record.fingerprint, { approval: true })).toMatchObject({ status: 'passed' })
    expect(await verdict(cwd, record, record.fingerprint, { approval: true })).toMatchObject({ status: 'passed' })
  })

  it('names a missing allowed-signers file, and allowed-signers without signed, as plan errors', async () => {
    await expectInvalid(
      testdir({ 'phases/p.yaml': planWith('      - approval: { signed: true }\n') }),
      'phases/p.yaml:5:29',
      'allowed-signers file `.github/allowed_signers` does not exist',
    )
    await expectInvalid(
      testdir({ 'phases/p.yaml': planWith('      - approval: { signed: true, allowed-signers: keys/signers }\n') }),
      'phases/p.yaml:5:52',
      'allowed-signers file `keys/signers` does not exist',
    )
    await expectInvalid(
      testdir({
        'phases/p.yaml': planWith('      - approval: { allowed-signers: keys/signers }\n'),
        'keys/signers': alice,
      }),
      'phases/p.yaml:5:38',
      '`allowed-signers` is read only by a signed approval gate',
    )
  })
})
