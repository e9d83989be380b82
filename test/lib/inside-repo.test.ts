import { execFileSync } from 'node:child_process'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WfError } from '../../src/lib/errors.js'
import { RepoBoundary } from '../../src/lib/inside-repo.js'
import { testdir } from '../helpers.js'

/** A repository with a file inside, an outside folder with a file, and links of each kind. */
function fixture() {
  const out = testdir({ 'secret.txt': 'outside\n' }, { git: false })
  const root = testdir({ 'docs/a.txt': 'inside\n', 'real/.keep': '' })
  symlinkSync(join(out, 'secret.txt'), join(root, 'leak.txt'))
  symlinkSync(out, join(root, 'away'))
  symlinkSync(join(root, 'docs', 'a.txt'), join(root, 'alias.txt'))
  symlinkSync(join(root, 'real'), join(root, 'here'))
  return { root, out, boundary: new RepoBoundary(root) }
}

const refusal = async (work: () => Promise<unknown> | unknown) => {
  try {
    await work()
  } catch (error) {
    return error as WfError
  }
  throw new Error('expected a refusal')
}

describe('RepoBoundary', () => {
  it('reads files inside, also through links that stay inside', async () => {
    const { boundary } = fixture()
    expect(await boundary.readFile('docs/a.txt', 'utf8')).toBe('inside\n')
    expect(await boundary.readFile('alias.txt', 'utf8')).toBe('inside\n')
  })

  it('reads a large file whole, and a FIFO without stopping the process while it waits for a writer', async () => {
    const { root, boundary } = fixture()
    const large = 'x'.repeat(600 * 1024)
    writeFileSync(join(root, 'large.txt'), large)
    expect(await boundary.readFile('large.txt', 'utf8')).toBe(large)
    expect((await boundary.readFile('docs/a.txt')).toString()).toBe('inside\n')
    if (process.platform !== 'linux') return
    execFileSync('mkfifo', [join(root, 'pipe')])
    let read = false
    const reading = boundary.readFile('pipe', 'utf8').finally(() => {
      read = true
    })
    // The process goes on while the FIFO has no writer (a timer fires), then reads what one writes.
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(read).toBe(false)
    const fd = openSync(join(root, 'pipe'), 'w')
    writeSync(fd, 'piped')
    closeSync(fd)
    expect(await reading).toBe('piped')
  })

  it.each([['leak.txt'], ['away/secret.txt']])(
    'refuses to read %s (a link out), naming the link and its target',
    async (path) => {
      const { boundary, out } = fixture()
      const error = await refusal(() => boundary.readFile(path, 'utf8'))
      expect(error).toBeInstanceOf(WfError)
      expect(error.code).toBe('WF_OUTSIDE_REPO')
      expect(error.message).toContain(`${path.split('/')[0]} is a link to ${out}`)
      expect(error.hint).toMatch(/replace the link/)
    },
  )

  it('refuses paths that are outside by themselves', async () => {
    const { boundary } = fixture()
    expect((await refusal(() => boundary.readFile('../x'))).code).toBe('WF_OUTSIDE_REPO')
    expect((await refusal(() => boundary.writeFile('/tmp/x', 'x'))).code).toBe('WF_OUTSIDE_REPO')
  })

  it('writes whole files, creating folders, also into a folder linked inside', async () => {
    const { boundary, root } = fixture()
    await boundary.writeFile('new/deep/f.txt', 'one')
    boundary.writeFileSync('here/g.txt', 'two')
    await boundary.writeFile('hook', '#!/bin/sh\n', { mode: 0o755 })
    expect(readFileSync(join(root, 'new/deep/f.txt'), 'utf8')).toBe('one')
    expect(readFileSync(join(root, 'real/g.txt'), 'utf8')).toBe('two')
    expect(statSync(join(root, 'hook')).mode & 0o777).toBe(0o755)
    expect(readdirSync(join(root, 'real')).sort()).toEqual(['.keep', 'g.txt'])
  })

  it('refuses to write or make folders through a link out, and leaves the outside folder as it was', async () => {
    const { boundary, out } = fixture()
    expect((await refusal(() => boundary.writeFile('away/x.txt', 'x'))).code).toBe('WF_OUTSIDE_REPO')
    expect((await refusal(() => boundary.writeFileSync('away/sub/x.txt', 'x'))).code).toBe('WF_OUTSIDE_REPO')
    expect((await refusal(() => boundary.mkdirSync('away/sub'))).code).toBe('WF_OUTSIDE_REPO')
    expect((await refusal(() => boundary.inFolderSync('away/x.txt', () => 0))).code).toBe('WF_OUTSIDE_REPO')
    expect(readdirSync(out)).toEqual(['secret.txt'])
  })

  it('replaces a link at the file itself rather than writing through it', async () => {
    const { boundary, root, out } = fixture()
    await boundary.writeFile('leak.txt', 'mine')
    expect(readFileSync(join(root, 'leak.txt'), 'utf8')).toBe('mine')
    expect(readFileSync(join(out, 'secret.txt'), 'utf8')).toBe('outside\n')
  })

  it('resolves real paths and says whether they stay inside', async () => {
    const { boundary, root } = fixture()
    expect(await boundary.resolve('here')).toBe(join(boundary.realRoot, 'real'))
    expect(await boundary.staysInside('away')).toBe(false)
    expect(await boundary.staysInside('alias.txt')).toBe(true)
    expect(() => boundary.resolveSync('away')).toThrow(/away is a link to/)
    mkdirSync(join(root, 'made'))
    writeFileSync(join(root, 'made', 'x'), '')
    expect(existsSync(boundary.mkdirSync('made'))).toBe(true)
  })

  it('holding folders open for many writes, never writes into a folder moved out of the repository meanwhile', async () => {
    const { root, out } = fixture()
    const held = new RepoBoundary(root).holding()
    try {
      held.writeFileSync('gen/one.txt', 'one\n')
      held.writeFileSync('gen/two.txt', 'two\n')
      expect(readFileSync(join(root, 'gen/two.txt'), 'utf8')).toBe('two\n')
      // The folder whose handle is held goes outside, and a link to it takes its place.
      renameSync(join(root, 'gen'), join(out, 'gen'))
      symlinkSync(join(out, 'gen'), join(root, 'gen'))
      const error = await refusal(() => held.writeFileSync('gen/three.txt', 'three\n'))
      expect(error).toBeInstanceOf(WfError)
      expect(error.code).toBe('WF_OUTSIDE_REPO')
      expect(readdirSync(join(out, 'gen')).sort()).toEqual(['one.txt', 'two.txt'])
      // A folder that is removed and made again is written into anew.
      unlinkSync(join(root, 'gen'))
      held.writeFileSync('gen/four.txt', 'four\n')
      expect(readdirSync(join(root, 'gen'))).toEqual(['four.txt'])
    } finally {
      held.close()
    }
  })

  it.skipIf(!existsSync('/proc/self/fd'))(
    'holding folders open for many writes, keeps a bounded number of handles and closes them all',
    () => {
      const { root } = fixture()
      const open = () => readdirSync('/proc/self/fd').length
      const before = open()
      const held = new RepoBoundary(root).holding()
      let most = 0
      for (let i = 0; i < 200; i++) {
        held.writeFileSync(`many/d${i}/f.txt`, `${i}\n`)
        most = Math.max(most, open() - before)
      }
      held.writeFileSync('many/d0/g.txt', 'again\n')
      held.close()
      expect(most).toBeLessThanOrEqual(70)
      expect(open()).toBe(before)
      expect(readFileSync(join(root, 'many/d199/f.txt'), 'utf8')).toBe('199\n')
      expect(readdirSync(join(root, 'many/d0')).sort()).toEqual(['f.txt', 'g.txt'])
    },
  )
})
