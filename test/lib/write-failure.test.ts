import { describe, expect, it } from 'vitest'
import { exitCodeFor, WfError } from '../../src/lib/errors.js'
import { writeFailure } from '../../src/lib/write-failure.js'

const errno = (code: string, path = '/repo/out.md.123-abc.tmp') =>
  Object.assign(new Error(`${code}: something, open '${path}'`), { code, path })

describe('writeFailure', () => {
  it.each([
    ['ENOSPC', 'no space left on device writing out.md', 'free space, then run the command again'],
    ['EDQUOT', 'disk quota exceeded writing out.md', 'free space or raise the quota, then run the command again'],
    ['EROFS', 'read-only file system writing out.md', 'make the folder of out.md writable, then run the command again'],
    [
      'EACCES',
      'permission denied writing out.md',
      'give this user write access to the folder of out.md, then run the command again',
    ],
    ['EIO', 'input/output error writing out.md', 'check the disk, then run the command again'],
  ])('says %s in words, naming the file', (code, message, hint) => {
    const failure = writeFailure(errno(code), { file: 'out.md' })
    expect(failure).toBeInstanceOf(WfError)
    expect(failure).toMatchObject({ code: 'WF_WRITE_FAILED', message, hint })
    expect(exitCodeFor(failure)).toBe(1)
  })

  it('leaves other errors alone', () => {
    expect(writeFailure(errno('ENOENT'))).toBeUndefined()
    expect(writeFailure(new Error('boom'))).toBeUndefined()
    expect(writeFailure(new WfError('WF_LEDGER_BUSY', 'busy'))).toBeUndefined()
    expect(writeFailure('text')).toBeUndefined()
  })

  it('restates a failed write for the file’s owner: code, what was left, the command to run again', () => {
    const lower = writeFailure(errno('ENOSPC', '/repo/.wf/ledger.json.1-a.tmp'), { file: '/repo/.wf/ledger.json' })
    const ledger = writeFailure(lower, {
      code: 'WF_LEDGER_WRITE',
      file: '.wf/ledger.json',
      state: 'the ledger was left as it was before this write',
      command: 'wf run --force',
    })
    expect(ledger).toMatchObject({
      code: 'WF_LEDGER_WRITE',
      message: 'no space left on device writing .wf/ledger.json; the ledger was left as it was before this write',
      hint: 'free space, then run `wf run --force` again',
    })
    expect(exitCodeFor(ledger)).toBe(3)
    expect((ledger!.cause as { code: string }).code).toBe('ENOSPC')
  })

  it('names the file the error names when none is given', () => {
    expect(writeFailure(errno('EROFS', '/repo/x'))?.message).toBe('read-only file system writing /repo/x')
  })
})
