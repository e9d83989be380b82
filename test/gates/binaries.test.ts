import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { testdir } from '../helpers.js'
import { binaryKind } from '../../src/gates/binary-kind.js'
import { elfBytes, peBytes, zipBytes } from './binary-bytes.js'
import { planWith, runGates } from './run-gates.js'

const classBytes = Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 65, 0, 0x10])
const fatMachO = Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0, 3])

describe('binaryKind', () => {
  it.each([
    ['bin/tool.txt', 'ELF executable', elfBytes()],
    ['setup.exe', 'Windows PE executable', peBytes()],
    ['x.dll', 'Windows DLL', peBytes(true)],
    ['lib/app.jar', 'Java archive', zipBytes('META-INF/MANIFEST.MF')],
    ['dist/app.bin', 'Java archive', zipBytes('META-INF/')],
    ['a.apk', 'Android package', zipBytes('AndroidManifest.xml')],
    ['w.zip', 'Python wheel', zipBytes('pkg-1.0.dist-info/METADATA')],
    ['web.war', 'Java web archive', zipBytes('index.html')],
    ['A.class', 'Java class file', classBytes],
    ['tool', 'Mach-O universal binary', fatMachO],
    ['tool-mac', 'Mach-O binary', Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1])],
    ['m.wasm', 'WebAssembly module', Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])],
    ['m.pyc', 'Python bytecode', Buffer.from([0xa7, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8])],
    [
      'libz.a',
      'static library (ar archive)',
      Buffer.from('!<arch>\n/               0           0     0     0       4         `\n'),
    ],
    [
      'p.deb',
      'Debian package',
      Buffer.from('!<arch>\ndebian-binary   1700000000  0     0     100644  4         `\n2.0\n'),
    ],
    ['p.rpm', 'RPM package', Buffer.from([0xed, 0xab, 0xee, 0xdb, 3, 0])],
    ['lib.so', 'binary .so file', Buffer.from([1, 2, 3, 0, 0, 0, 9, 9])],
  ])('%s: %s', (path, kind, bytes) => {
    expect(binaryKind(path, bytes)).toBe(kind)
  })

  it.each([
    ['notes.exe', Buffer.from('not really a program\n')],
    ['README.md', Buffer.from('MZ is how this readme starts\n')],
    ['fixtures/data.zip', zipBytes('data/a.json', '{}')],
    ['logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])],
    ['doc.doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0])],
    ['empty.exe', Buffer.alloc(0)],
  ])('%s is not a binary artifact', (path, bytes) => {
    expect(binaryKind(path, bytes)).toBeUndefined()
  })
})

describe('binaries gate', () => {
  it('finds a committed .exe, .jar and an ELF binary renamed .txt, naming what each is; `allow` and `exclude` leave files out', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith(
        '      - binaries: { allow: gradle/wrapper/gradle-wrapper.jar, exclude: "test/fixtures/**" }\n',
      ),
      'tools/setup.exe': peBytes(),
      'lib/app.jar': zipBytes('META-INF/MANIFEST.MF'),
      'bin/tool.txt': elfBytes(),
      'gradle/wrapper/gradle-wrapper.jar': zipBytes('META-INF/MANIFEST.MF'),
      'test/fixtures/hello': elfBytes(),
      'notes.exe': 'a text file with a misleading name\n',
      'src/index.ts': 'export {}\n',
    })
    const [gate] = (await runGates(cwd)).gates
    expect(gate!.status).toBe('failed')
    expect(gate!.locations).toEqual([
      { file: 'bin/tool.txt', message: 'ELF executable' },
      { file: 'lib/app.jar', message: 'Java archive' },
      { file: 'tools/setup.exe', message: 'Windows PE executable' },
    ])
    expect(gate!.message).toBe(
      '3 binary artifacts: bin/tool.txt (ELF executable), lib/app.jar (Java archive), tools/setup.exe (Windows PE executable)',
    )
  })

  it('judges what git does not ignore: an ignored build output is not a committed binary', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith('      - binaries: true\n'),
      '.gitignore': 'build/\n',
      'build/app': elfBytes(),
      'src/main.c': 'int main(void) { return 0; }\n',
    })
    execFileSync('git', ['init', '-q'], { cwd })
    const [gate] = (await runGates(cwd)).gates
    expect(gate).toMatchObject({ status: 'passed', message: 'no binary artifact among 3 files' })
  })
  it('does not read through a link: a link to a binary is not one', async () => {
    const cwd = testdir({ 'phases/p.yaml': planWith('      - binaries: true\n'), 'outside/tool': elfBytes() })
    symlinkSync(join(cwd, 'outside', 'tool'), join(cwd, 'tool-link'))
    const [gate] = (await runGates(cwd, ['--plan', 'phases/p.yaml'])).gates
    expect(gate!.locations).toEqual([{ file: 'outside/tool', message: 'ELF executable' }])
  })
})
