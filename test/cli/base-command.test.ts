import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { hasStackTrace, testdir } from '../helpers.js'

describe('--cwd', () => {
  it.each([
    ['a directory that does not exist', (dir: string) => join(dir, 'missing')],
    ['a file', (dir: string) => join(dir, 'file.txt')],
  ])('naming %s is a usage error (exit 2) that says so, for every command', async (_, pick) => {
    const dir = testdir({ 'file.txt': 'x' })
    for (const args of [['status'], ['run'], ['validate']]) {
      const result = await runCli([...args, '--cwd', pick(dir)], { cwd: dir })
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toContain(`--cwd ${pick(dir)}: no such directory`)
      expect(result.stderr).not.toContain('internal error')
      expect(hasStackTrace(result.stderr)).toBe(false)
    }
  })
})

describe('a usage error oclif reports', () => {
  it('points at the help of the command as it is typed, topic and command separated by a space', async () => {
    const dir = testdir()
    for (const [args, help] of [
      [['presets', 'show', '--bogus'], 'wf presets show --help'],
      [['ledger', 'verify', '--bogus'], 'wf ledger verify --help'],
      [['validate', '--bogus'], 'wf validate --help'],
    ] as const) {
      const result = await runCli([...args], { cwd: dir })
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toContain('Nonexistent flag: --bogus')
      expect(result.stderr).toContain(`hint: see \`${help}\``)
    }
  })
})
