import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { newBackupId, saveBackup } from '../../src/ledger/save-backup.js'
import { testdir } from '../helpers.js'

describe('saveBackup', () => {
  it('copies the bytes to .wf/backup/<id>/<path> and never replaces an earlier copy', () => {
    const root = testdir({ 'docs/a.md': 'x' })
    const first = Buffer.from([0x66, 0x0d, 0x0a, 0xff, 0x00, 0xc3])
    writeFileSync(join(root, 'docs/a.md'), first)
    expect(saveBackup(root, '7-abc123', 'docs/a.md')).toBe('.wf/backup/7-abc123/docs/a.md')
    writeFileSync(join(root, 'docs/a.md'), 'second')
    expect(saveBackup(root, '7-abc123', 'docs/a.md')).toBe('.wf/backup/7-abc123/docs/a.md.2')
    expect(readFileSync(join(root, '.wf/backup/7-abc123/docs/a.md')).equals(first)).toBe(true)
    expect(readFileSync(join(root, '.wf/backup/7-abc123/docs/a.md.2'), 'utf8')).toBe('second')
  })

  it('names a backup outside a run by its UTC time and a random suffix', () => {
    const at = new Date('2026-01-15T10:15:02.345Z')
    expect(newBackupId(at)).toMatch(/^20260115T101502Z-[0-9a-f]{6}$/)
    expect(newBackupId(at)).not.toBe(newBackupId(at))
  })
})
