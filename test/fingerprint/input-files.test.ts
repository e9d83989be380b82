import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inputFiles } from '../../src/fingerprint/input-files.js'
import { matchFiles } from '../../src/lib/files.js'
import { Workspace } from '../../src/lib/workspace.js'
import { testdir } from '../helpers.js'

/** A tree with what walks must skip or keep: dotfiles, node_modules, .wf, links, nested folders, a file named like a folder. */
function tree(): string {
  const root = testdir({
    'src/a.ts': 'a',
    'src/b.js': 'b',
    'src/.hidden.ts': 'h',
    'src/deep/c.ts': 'c',
    'src/deep/deeper/d.md': 'd',
    'src/node_modules/dep/index.js': 'x',
    'src/.wf/ledger.json': '{}',
    'lib/e.ts': 'e',
    'lib/f.ts.bak': 'f',
    'notes.txt': 'n',
    '.env': 'A=1',
    'outside/g.ts': 'g',
  })
  mkdirSync(join(root, 'src/empty'))
  symlinkSync(join(root, 'outside'), join(root, 'src/linked-folder'))
  symlinkSync(join(root, 'outside/g.ts'), join(root, 'src/linked.ts'))
  return root
}

describe('inputFiles', () => {
  it.each([
    [['src/**']],
    [['src/**/*']],
    [['src/**/*.ts']],
    [['./src/**/*.ts']],
    [['src/deep/**']],
    [['lib/../src/deep/**']],
    [['./notes.txt', 'lib/', 'src/deep', 'src/linked-folder', '.env']],
    [['src/**/*.ts', 'src/**/*.md', 'src/**/*.ts']],
    [['src/**', 'lib/**/*.ts', 'notes.txt', '.env']],
    [['src', 'missing/**', 'notes.txt/**', 'missing.txt']],
    [['lib/*.ts', 'src/**/*.{ts,js}', 'src/deep/**']],
    [['src/linked-folder/**', 'src/linked.ts']],
    [[]],
  ])('finds what matchFiles finds for %j', async (patterns) => {
    const root = tree()
    const expected = await matchFiles(root, patterns, new Workspace(root).hasher)
    const found = await inputFiles(new Workspace(root), patterns)
    expect(found).toEqual(expected)
  })

  it('lists every file under a folder, sorted, and none that a walk skips', async () => {
    expect(await inputFiles(new Workspace(tree()), ['src/**'])).toEqual([
      'src/.hidden.ts',
      'src/a.ts',
      'src/b.js',
      'src/deep/c.ts',
      'src/deep/deeper/d.md',
    ])
  })
})
