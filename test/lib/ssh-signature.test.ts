import { homedir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sshSigningKey } from '../../src/lib/ssh-signature.js'

describe('sshSigningKey', () => {
  it('reads user.signingkey as git does', () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB9IV alice@x'
    const cases: [string, ReturnType<typeof sshSigningKey>][] = [
      [`key::${key}`, { literal: key }],
      [key, { literal: key }],
      ['~/.ssh/id_ed25519.pub', { file: join(homedir(), '.ssh/id_ed25519.pub') }],
      ['/keys/id_ed25519', { file: '/keys/id_ed25519' }],
      ['keys/id_ed25519 ', { file: '/repo/keys/id_ed25519' }],
    ]
    for (const [value, expected] of cases) expect(sshSigningKey(value, '/repo'), value).toEqual(expected)
  })
})
