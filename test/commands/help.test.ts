import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { repoRoot } from '../helpers.js'

describe('help and version', () => {
  it('answers --version', async () => {
    const result = await runCli(['--version'], { cwd: repoRoot })
    const { name, version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
    expect(name).toBe('wf-phases')
    expect(result.stdout).toMatch(new RegExp(`^${name}/${version.replace(/\./g, '\\.')} `))
  })

  it('has --help with examples for every command', async () => {
    const root = await runCli(['--help'], { cwd: repoRoot })
    const commands = [...root.stdout.split('COMMANDS')[1]!.matchAll(/^ {2}(\S+(?: \S+)?)\s{2,}/gm)].map((m) => m[1]!)
    expect(commands).toEqual(
      expect.arrayContaining(['explain', 'graph', 'init', 'list', 'run', 'run-phase', 'status', 'validate']),
    )
    expect(root.stdout).toMatch(/TOPICS[\s\S]*\bhooks\b[\s\S]*\bledger\b[\s\S]*COMMANDS/)
    for (const command of [...commands, 'ledger verify', 'hooks install', 'hooks uninstall', 'presets show']) {
      const help = await runCli([...command.split(' '), '--help'], { cwd: repoRoot })
      expect(help.code, command).toBe(0)
      expect(help.stdout, command).toContain('EXAMPLES')
      expect(help.stdout, command).toContain('--cwd')
      expect(help.stdout, command).toContain('--json')
    }
  })

  it('says on every command that writes generated files: --force leaves a hand edit alone, --overwrite replaces it with a backup', async () => {
    for (const command of ['run', 'run-phase', 'generate template', 'contracts generate']) {
      const help = (await runCli([...command.split(' '), '--help'], { cwd: repoRoot })).stdout.replace(/\s+/g, ' ')
      expect(help, command).toMatch(/--force [^-]*file edited by hand is still left alone\./)
      expect(help, command).toMatch(
        /--overwrite Replace (generated )?files edited by hand, first saving each to \.wf\/backup\//,
      )
    }
  })
})
