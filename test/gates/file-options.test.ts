import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findFiles } from '../../src/gates/file-options.js'
import { testdir } from '../helpers.js'

const anyCase = { exclude: [] }
const nocase = { nocase: true, exclude: [] }

describe('findFiles in any case', () => {
  const tree = {
    'readme.md': '',
    'README.MD': '',
    'README.md.bak': '',
    'sub/README.md': '',
    'node_modules/README.md': '',
    'docs/Security.md': '',
    'docs/SECURITY.MD': '',
    'DOCS/security.md': '',
    'docs/secure/SECURITY.md': '',
    'docs/deep/License': '',
    Makefile: '',
    'MAKEFILE.d/x': '',
    makefile2: '',
    'license/terms.txt': '',
    'LICENSE/other.txt': '',
  }

  it('matches the last name of a plain path in any case, among files, in the folder it names', async () => {
    const root = testdir(tree)
    expect(await findFiles(root, 'README.md', anyCase)).toEqual(['README.MD', 'readme.md'])
    expect(await findFiles(root, 'docs/security.md', anyCase)).toEqual(['docs/SECURITY.MD', 'docs/Security.md'])
    expect(await findFiles(root, 'docs/deep/LICENSE', anyCase)).toEqual(['docs/deep/License'])
    expect(await findFiles(root, 'makefile', nocase)).toEqual(['Makefile'])
    expect(await findFiles(root, 'missing/README.md', anyCase)).toEqual([])
    expect(await findFiles(root, 'readme.md/x', anyCase)).toEqual([])
  })

  it('takes the folders on the way as spelled, and lists a folder only when spelled exactly', async () => {
    const root = testdir(tree)
    expect(await findFiles(root, 'DOCS/SECURITY.md', anyCase)).toEqual(['DOCS/security.md'])
    expect(await findFiles(root, 'Docs/SECURITY.md', anyCase)).toEqual([])
    expect(await findFiles(root, 'license', nocase)).toEqual(['license/terms.txt'])
    expect(await findFiles(root, 'License', nocase)).toEqual([])
  })

  it('takes a plain path exactly as the repository has it', async () => {
    const root = testdir(tree)
    const exact = { nocase: false, exclude: [] }
    expect(await findFiles(root, 'Makefile', exact)).toEqual(['Makefile'])
    expect(await findFiles(root, 'makefile', exact)).toEqual([])
    expect(await findFiles(root, 'MAKEFILE.d', exact)).toEqual(['MAKEFILE.d/x'])
    expect(await findFiles(root, 'Makefile/x', exact)).toEqual([])
    expect(await findFiles(root, './README.MD', exact)).toEqual(['README.MD'])
    expect(await findFiles(root, './readme.md', anyCase)).toEqual(['README.MD', 'readme.md'])
    expect(await findFiles(root, 'sub/../readme.md', exact)).toEqual(['sub/../readme.md'])
  })

  it('never looks in node_modules, .git or .wf, in any spelling', async () => {
    const root = testdir({ ...tree, '.git/README.md': '', '.wf/readme.md': '', 'Node_Modules/README.md': '' })
    expect(await findFiles(root, 'node_modules/README.md', anyCase)).toEqual(['node_modules/README.md'])
    expect(await findFiles(root, 'NODE_MODULES/README.md', anyCase)).toEqual([])
    expect(await findFiles(root, '.GIT/README.md', anyCase)).toEqual([])
    expect(await findFiles(root, '.wf/README.md', anyCase)).toEqual([])
  })

  it('follows links as the glob does', async () => {
    const root = testdir({ 'real/readme.md': '', 'target.md': '' })
    symlinkSync(join(root, 'real'), join(root, 'Linked'))
    symlinkSync(join(root, 'target.md'), join(root, 'Readme.md'))
    symlinkSync(join(root, 'nowhere'), join(root, 'README.MD'))
    mkdirSync(join(root, 'empty'))
    expect(await findFiles(root, 'Linked/README.md', anyCase)).toEqual(['Linked/readme.md'])
    expect(await findFiles(root, 'linked/README.md', anyCase)).toEqual([])
    expect(await findFiles(root, 'README.md', anyCase)).toEqual(['Readme.md'])
    expect(await findFiles(root, 'empty/README.md', anyCase)).toEqual([])
  })
})
