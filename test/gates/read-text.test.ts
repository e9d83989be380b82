import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readText, readTextSync } from '../../src/gates/read-text.js'
import { testdir } from '../helpers.js'

describe('reading a file to scan', () => {
  it('skips a file gone since it was listed, and a binary one', async () => {
    const dir = testdir({ 'bin.dat': Buffer.from([1, 0, 2]), 'a.txt': 'text\n' })
    expect(await readText(join(dir, 'gone.txt'))).toBeUndefined()
    expect(readTextSync(join(dir, 'gone', 'deeper.txt'))).toBeUndefined()
    expect(await readText(join(dir, 'bin.dat'))).toBeUndefined()
    expect(await readText(join(dir, 'a.txt'))).toBe('text\n')
  })

  it('fails when a file is there but cannot be read, so a scan never passes over it unread', async () => {
    // A regular file (for lstat) whose read fails with EIO, even for root.
    await expect(readText('/proc/self/mem')).rejects.toMatchObject({ code: 'EIO' })
    expect(() => readTextSync('/proc/self/mem')).toThrow(/EIO/)
  })
})
