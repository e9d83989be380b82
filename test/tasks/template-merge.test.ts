import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { filesPlan, read, templateRepo } from '../template-repo.js'

const LINES = ['# Notes', '', 'one', 'two', 'three', 'four', 'five', 'six', '', 'Footer: {{ footer }}']

/** A repository whose phase `files` renders templates/notes.njk to NOTES.md, with task options and a gate on it. */
function notesRepo(options = '') {
  return templateRepo({
    'templates/notes.njk': `${LINES.join('\n')}\n`,
    'phases/p.yaml': filesPlan(
      `      - { template: templates/notes.njk, to: NOTES.md, vars: { footer: first }${options} }\n`,
      '      - generated: true\n',
    ),
  })
}

/** Changes the template's output at the bottom (the footer variable). */
function changeFooter(cwd: string, options = '') {
  writeFileSync(
    join(cwd, 'phases/p.yaml'),
    filesPlan(
      `      - { template: templates/notes.njk, to: NOTES.md, vars: { footer: second }${options} }\n`,
      '      - generated: true\n',
    ),
  )
}

const ledgerEntry = (cwd: string) => JSON.parse(read(cwd, '.wf/ledger.json')).generated['NOTES.md']

describe('template tasks merge hand edits three ways', () => {
  it('merges a hand edit at the top with a template change at the bottom, keeps both, and reports "merged"', async () => {
    const cwd = notesRepo()
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    writeFileSync(join(cwd, 'NOTES.md'), read(cwd, 'NOTES.md').replace('# Notes', '# Our notes'))
    changeFooter(cwd)
    const edited = read(cwd, 'NOTES.md')
    const dry = await runCli(['run', '--dry-run', '--reporter', 'plain'], { cwd })
    expect(dry.stdout).toContain('would merge your edit into NOTES.md (your edit merged with the new output)')
    expect(dry.stdout).toMatch(/\+Footer: second/)
    expect(read(cwd, 'NOTES.md')).toBe(edited)
    const run = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toMatch(/merged +NOTES\.md \(your edit merged with the new output\)/)
    const merged = read(cwd, 'NOTES.md')
    expect(merged).toContain('# Our notes\n')
    expect(merged).toContain('Footer: second\n')
    const json = JSON.parse(read(cwd, '.wf/ledger.json'))
    const task = json.phases.files.tasks[0]
    expect(task.generated[0]).toMatchObject({ path: 'NOTES.md', action: 'merged' })
    // The record vouches for the merged file, and names what the template rendered as the next base.
    const entry = ledgerEntry(cwd)
    expect(entry.base).toBe(task.generated[0].base)
    expect(entry.base).not.toBe(entry.hash)
    expect(readdirSync(join(cwd, '.wf/base'))).toEqual([entry.base])

    // The merged file counts as current; a further template change merges again.
    const check = await runCli(['check', '--json'], { cwd })
    expect(check.code, check.stdout).toBe(0)
    writeFileSync(join(cwd, 'templates/notes.njk'), `${LINES.join('\n').replace('six', 'six and a half')}\n`)
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    expect(read(cwd, 'NOTES.md')).toContain('# Our notes\n')
    expect(read(cwd, 'NOTES.md')).toContain('six and a half\n')
  })

  it('fails on overlapping changes, shows the conflict, and leaves the file as it was', async () => {
    const cwd = notesRepo()
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    writeFileSync(join(cwd, 'NOTES.md'), read(cwd, 'NOTES.md').replace('Footer: first', 'Footer: ours'))
    const edited = read(cwd, 'NOTES.md')
    const before = ledgerEntry(cwd)
    changeFooter(cwd)
    const run = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('conflict in NOTES.md at line 10:')
    expect(run.stdout).toMatch(
      /your edit:\n.* Footer: ours\n.*last generated:\n.* Footer: first\n.*generated now:\n.* Footer: second/,
    )
    expect(run.stdout).toContain('NOTES.md: your edit conflicts with the new output')
    expect(read(cwd, 'NOTES.md')).toBe(edited)
    expect(ledgerEntry(cwd)).toEqual(before)
  })

  it('with `conflicts: markers`, writes git-style markers, fails, and merges the resolution next time', async () => {
    const cwd = notesRepo(', conflicts: markers')
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    writeFileSync(join(cwd, 'NOTES.md'), read(cwd, 'NOTES.md').replace('Footer: first', 'Footer: ours'))
    changeFooter(cwd, ', conflicts: markers')
    const run = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(run.code).toBe(1)
    expect(read(cwd, 'NOTES.md')).toContain(
      '<<<<<<< NOTES.md (your edit)\nFooter: ours\n||||||| base\nFooter: first\n=======\nFooter: second\n>>>>>>> NOTES.md (generated)\n',
    )
    // Still unresolved: still failing.
    const again = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(again.code).toBe(1)
    expect(again.stdout).toContain('still holds conflict markers')
    // Resolved by hand: the resolution is kept, and the task passes.
    writeFileSync(join(cwd, 'NOTES.md'), `${LINES.slice(0, -1).join('\n')}\nFooter: ours and second\n`)
    const resolved = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(resolved.code, resolved.stdout).toBe(0)
    expect(read(cwd, 'NOTES.md')).toContain('Footer: ours and second\n')
  })

  it('without a base (a file generated before bases were kept), refuses the hand edit as before', async () => {
    const cwd = notesRepo()
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    for (const name of readdirSync(join(cwd, '.wf/base'))) writeFileSync(join(cwd, '.wf/base', name), 'tampered\n')
    writeFileSync(join(cwd, 'NOTES.md'), read(cwd, 'NOTES.md').replace('# Notes', '# Our notes'))
    const edited = read(cwd, 'NOTES.md')
    changeFooter(cwd)
    const run = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('NOTES.md was changed by hand and not overwritten')
    expect(read(cwd, 'NOTES.md')).toBe(edited)
  })

  it('keeps a hand edit when the output did not change, and counts the file as current from then on', async () => {
    const cwd = notesRepo()
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    writeFileSync(join(cwd, 'NOTES.md'), read(cwd, 'NOTES.md').replace('one', 'one, ours'))
    const edited = read(cwd, 'NOTES.md')
    expect((await runCli(['check'], { cwd })).code, 'before a run the edit is drift').toBe(1)
    const run = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).toMatch(/merged +NOTES\.md \(your edit kept; the output did not change\)/)
    expect(read(cwd, 'NOTES.md')).toBe(edited)
    expect((await runCli(['check'], { cwd })).code).toBe(0)
  })

  it('a batch keeps its bases in one pack: an edit to any of its files merges, and a pack is removed once no record names a base in it', async () => {
    const tasks = (footer: string, names: string[]) =>
      names
        .map(
          (name) => `      - { template: templates/notes.njk, to: ${name}.md, vars: { footer: ${footer}-${name} } }\n`,
        )
        .join('')
    const plan = (footer: string, names = ['A', 'B', 'C']) =>
      writeFileSync(join(cwd, 'phases/p.yaml'), filesPlan(tasks(footer, names)))
    const cwd = templateRepo({ 'templates/notes.njk': `${LINES.join('\n')}\n`, 'phases/p.yaml': '' })
    plan('first')
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    const packs = () => readdirSync(join(cwd, '.wf/base'))
    expect(packs()).toHaveLength(1)
    expect(packs()[0]).toMatch(/^[0-9a-f]{64}\.pack$/)

    // The base of B is in the pack: a hand edit at the top merges with a template change at the bottom.
    writeFileSync(join(cwd, 'B.md'), read(cwd, 'B.md').replace('# Notes', '# Our notes'))
    plan('second', ['B'])
    const run = await runCli(['run', '--reporter', 'plain'], { cwd })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toMatch(/merged +B\.md \(your edit merged with the new output\)/)
    expect(read(cwd, 'B.md')).toContain('# Our notes\n')
    expect(read(cwd, 'B.md')).toContain('Footer: second-B\n')
    // A and C are still recorded with bases from the first pack: it stays, beside B's new base.
    expect(packs()).toHaveLength(2)

    // Once every output's base is a newer one, the first pack goes.
    const [first] = packs()
    plan('third', ['A', 'C'])
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    const generated = JSON.parse(read(cwd, '.wf/ledger.json')).generated
    expect(packs()).not.toContain(first)
    expect(packs()).toContain(generated['B.md'].base)
    expect(packs().filter((name) => name.endsWith('.pack'))).toHaveLength(1)
    expect(packs()).toHaveLength(2)
  })

  it('keeps only the latest base of each output', async () => {
    const cwd = notesRepo()
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    changeFooter(cwd)
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    expect(readdirSync(join(cwd, '.wf/base'))).toEqual([ledgerEntry(cwd).hash])
  })
})
