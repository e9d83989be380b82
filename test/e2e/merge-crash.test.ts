import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sha256 } from '../../src/lib/files.js'
import { type Ledger, readJson, reapTasks, startRun, waitingDocsRepo, wf, wfDir } from './crash-kit.js'

const template = (revision: number, middle = 'body') => `title\n\n${middle}\n\nrevision ${revision}\n`

describe('merge bases under SIGKILL', () => {
  it('a kill after a merged file was renamed into place and before its record: the next runs still merge, and the hand edit is never lost', {
    timeout: 60_000,
  }, async () => {
    // docs waits for `go` after its template task, so the kill lands between the rename and the phase's record.
    const cwd = waitingDocsRepo(template(1))
    const mark = randomBytes(6).toString('hex')
    const doc = join(cwd, 'out/doc.md')
    const entry = () =>
      readJson<{ generated?: Record<string, { hash: string; base?: string }> }>(join(wfDir(cwd), 'ledger.json'))
        .generated?.['out/doc.md']
    const first = startRun(cwd, mark)
    expect(await first.closed, first.output().stderr).toBe(0)

    writeFileSync(doc, template(1).replace('title', 'our title'))
    writeFileSync(join(cwd, 'templates/doc.njk'), template(2))
    rmSync(join(cwd, 'go'))
    const killed = await startRun(cwd, mark, ['--concurrency', '1']).killAt('merged    out/doc.md')
    await reapTasks(mark)
    const merged = template(2).replace('title', 'our title')
    expect(readFileSync(doc, 'utf8'), killed.stdout).toBe(merged)
    expect(entry(), 'the ledger still holds what the run before wrote').toEqual(
      expect.objectContaining({ hash: sha256(template(1)) }),
    )
    expect(entry()?.base).toBeUndefined()
    // The new base is on disk before the file: it was written first, under its content's hash.
    expect(readdirSync(join(wfDir(cwd), 'base'))).toContain(sha256(template(2)))

    // The next writer records the merged file as wf's, naming the new base.
    const other = await wf(cwd, ['run-phase', 'other'])
    expect(other.code, other.stderr).toBe(0)
    expect(entry()).toEqual(expect.objectContaining({ hash: sha256(merged), base: sha256(template(2)) }))
    expect(readJson<Ledger>(join(wfDir(cwd), 'ledger.json')).active ?? undefined).toBeUndefined()

    // The next template change merges against that base: the hand edit and both template changes are kept.
    writeFileSync(join(cwd, 'templates/doc.njk'), template(3, 'new body'))
    writeFileSync(join(cwd, 'go'), '')
    const next = await wf(cwd, ['run'])
    expect(next.code, next.stdout).toBe(0)
    expect(next.stdout).toContain('merged    out/doc.md')
    expect(readFileSync(doc, 'utf8')).toBe(template(3, 'new body').replace('title', 'our title'))
    // Only the base the ledger names is left.
    expect(readdirSync(join(wfDir(cwd), 'base'))).toEqual([sha256(template(3, 'new body'))])
    const verify = await wf(cwd, ['ledger', 'verify'])
    expect(verify.code, verify.stderr).toBe(0)
  })

  it('a kill before the record, with the base then lost: the next run refuses the edit instead of overwriting it', {
    timeout: 60_000,
  }, async () => {
    const cwd = waitingDocsRepo(template(1), false)
    const mark = randomBytes(6).toString('hex')
    const doc = join(cwd, 'out/doc.md')
    const first = startRun(cwd, mark)
    expect(await first.closed, first.output().stderr).toBe(0)
    writeFileSync(doc, template(1).replace('title', 'our title'))
    writeFileSync(join(cwd, 'templates/doc.njk'), template(2))
    rmSync(join(cwd, 'go'))
    await startRun(cwd, mark).killAt('merged    out/doc.md')
    await reapTasks(mark)
    rmSync(join(wfDir(cwd), 'base'), { recursive: true })
    writeFileSync(join(cwd, 'templates/doc.njk'), template(3))
    writeFileSync(join(cwd, 'go'), '')
    const next = await wf(cwd, ['run'])
    expect(next.code).toBe(1)
    expect(next.stdout).toContain('out/doc.md was changed by hand and not overwritten')
    expect(readFileSync(doc, 'utf8')).toBe(template(2).replace('title', 'our title'))
  })
})
