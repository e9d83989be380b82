import { describe, expect, it } from 'vitest'
import { directArgv } from '../../src/lib/exec.js'

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
