import { describe, expect, it } from 'vitest'
import type { ResolvedEnv } from '../../src/lib/environment.js'
import { directArgv, LINE_CHARS, outputCollector } from '../../src/lib/exec.js'

describe('directArgv', () => {
  it.each([
    ['true', ['true']],
    ['node --version', ['node', '--version']],
    ['./bin/run.js validate --cwd=x', ['./bin/run.js', 'validate', '--cwd=x']],
  ])('starts %s without a shell', (command, argv) => expect(directArgv(command)).toEqual(argv))
  it.each([
    'echo $HOME',
    'ls *.ts',
    'a && b',
    'cd src',
    'exit 3',
    'FOO=1 node x',
    "echo 'quoted'",
    'no-such-program-wf --x',
    'echo a > f',
  ])('leaves %s to the shell', (command) => {
    expect(directArgv(command)).toBeUndefined()
  })
})

describe('outputCollector', () => {
  const collect = () => {
    const lines: string[] = []
    const env = { vars: {}, secrets: ['hunter2-secret'] } as unknown as ResolvedEnv
    return { lines, output: outputCollector({ env, onLine: (line) => lines.push(line) }) }
  }

  it('keeps the start of a line longer than LINE_CHARS and says how many bytes it cut, across chunks', () => {
    const { lines, output } = collect()
    output.add('hunter2-secret ', 'stdout')
    for (let i = 0; i < 80; i++) output.add('é'.repeat(32 * 1024), 'stdout')
    output.add('\r\nnext\r\n', 'stdout')
    output.add('last without newline', 'stderr')
    const { tail } = output.finish()
    const cut = 15 + 80 * 32 * 1024 - LINE_CHARS
    expect(lines).toHaveLength(3)
    expect(lines[0]).toBe(`*** ${'é'.repeat(LINE_CHARS - 15)}… (${cut * 2} bytes cut)`)
    expect(lines.slice(1)).toEqual(['next', 'last without newline'])
    expect(tail.endsWith(`… (${cut * 2} bytes cut)\nnext\nlast without newline`)).toBe(true)
  })
})
