import { execFileSync } from 'node:child_process'
import { chmodSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { completeWords, type CompletionCommand } from '../../src/app/complete-words.js'
import { runCli } from '../cli-in-process.js'
import { binPath, testdir } from '../helpers.js'

const PLAN = `version: 1
include: [more/extra.yaml]
phases:
  - id: lint
    name: Lint the code
    tasks: [{ run: "true" }]
  - id: test
    needs: [lint]
    tasks: [{ run: "true" }]
`
const EXTRA = `version: 1
phases:
  - id: docs
    tasks: [{ run: "true" }]
`

/** A repository with a plan, and a folder holding a `wf` that runs the built CLI (as an installed one would). */
function setup(): { cwd: string; env: NodeJS.ProcessEnv } {
  const cwd = testdir({ 'phases/plan.yaml': PLAN, 'phases/more/extra.yaml': EXTRA, 'other/only.yaml': EXTRA })
  const bin = testdir({}, { git: false })
  writeFileSync(join(bin, 'wf'), `#!/bin/sh\nexec "${process.execPath}" "${binPath}" "$@"\n`)
  chmodSync(join(bin, 'wf'), 0o755)
  return { cwd, env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}`, NO_COLOR: '1' } }
}

const has = (shell: string) => {
  try {
    execFileSync(shell, ['-c', 'true'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** What bash offers for a command line: the script is loaded as the README says, and `complete -p` names its function. */
function bashComplete(at: { cwd: string; env: NodeJS.ProcessEnv }, words: string[]): string[] {
  const script = `eval "$(wf completion bash)"
spec=$(complete -p wf) || exit 9
fn=\${spec##*-F }; fn=\${fn%% *}
COMP_WORDS=(wf "$@"); COMP_CWORD=$#
COMP_LINE="\${COMP_WORDS[*]}"; COMP_POINT=\${#COMP_LINE}
"$fn" wf "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"`
  const out = execFileSync('bash', ['-c', script, 'bash', ...words], { cwd: at.cwd, env: at.env, encoding: 'utf8' })
  return out.split('\n').filter(Boolean)
}

describe('wf completion', () => {
  it('bash completes commands, phase ids from the plan (with includes), flags, flag values and presets', () => {
    const at = setup()
    expect(bashComplete(at, ['run-p'])).toEqual(['run-phase'])
    expect(bashComplete(at, ['run-phase', ''])).toEqual(['lint', 'test', 'docs'])
    expect(bashComplete(at, ['run-phase', 'lint', ''])).toEqual(['test', 'docs'])
    expect(bashComplete(at, ['run', '--only', 't'])).toEqual(['test'])
    expect(bashComplete(at, ['explain', '--plan', 'other/only.yaml', ''])).toEqual(['docs'])
    expect(bashComplete(at, ['report', '--format', 'open'])).toEqual(['openmetrics'])
    expect(bashComplete(at, ['run', '--conc'])).toEqual(['--concurrency'])
    expect(bashComplete(at, ['ledger', ''])).toEqual(['merge', 'verify'])
    expect(bashComplete(at, ['report', '--format', '=', 'j'])).toEqual(['json', 'junit'])
    expect(bashComplete(at, ['presets', 'show', 'security-p'])).toEqual(['security-policy'])
  })

  it.skipIf(!has('fish') && !process.env.CI)('fish completes phase ids with their names', () => {
    const at = setup()
    const out = execFileSync('fish', ['-c', 'wf completion fish | source; complete -C"wf approve "'], {
      cwd: at.cwd,
      env: at.env,
      encoding: 'utf8',
    })
    expect(out.split('\n').filter(Boolean)).toEqual(['docs', 'lint\tLint the code', 'test'])
  })

  it.skipIf(!has('zsh') && !process.env.CI)('zsh registers the function and hands phase ids to _describe', () => {
    const at = setup()
    const registered = execFileSync(
      'zsh',
      [
        '-f',
        '-c',
        'autoload -U compinit; compinit -u -d "$PWD/.zcompdump"; source <(wf completion zsh); print -r -- $_comps[wf]',
      ],
      { cwd: at.cwd, env: at.env, encoding: 'utf8' },
    )
    expect(registered.trim()).toBe('_wf')
    // _describe and _files need zle; stand-ins print what the script hands them.
    const offered = execFileSync(
      'zsh',
      [
        '-f',
        '-c',
        `compdef() { :; }; source <(wf completion zsh)
_describe() { print -rl -- "\${(@P)4}"; }; _files() { print FILES; }
words=(wf check ""); CURRENT=3; _wf; words=(wf run --cwd ""); CURRENT=4; _wf`,
      ],
      { cwd: at.cwd, env: at.env, encoding: 'utf8' },
    )
    expect(offered.split('\n').filter(Boolean)).toEqual(['lint:Lint the code', 'test', 'docs', 'FILES'])
  })

  it('names the shells it knows and refuses another', async () => {
    const cwd = testdir()
    for (const shell of ['bash', 'zsh', 'fish']) {
      const result = await runCli(['completion', shell], { cwd })
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toContain(' __complete -- ')
      expect(result.stdout).toContain('_wf')
    }
    const bad = await runCli(['completion'], { cwd, env: { SHELL: '/bin/tcsh' } })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('no completion for shell `tcsh`')
  })

  it('offers nothing, and no error, where the plan cannot be read', async () => {
    const cwd = testdir({ 'phases/plan.yaml': 'phases: [: broken' })
    const result = await runCli(['__complete', '--', 'explain', ''], { cwd })
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' })
  })
})

describe('completeWords', () => {
  const commands: CompletionCommand[] = [
    { id: 'presets', summary: 'List presets', flags: [] },
    { id: 'presets show', summary: 'Show a preset', flags: [] },
    {
      id: 'run',
      flags: [
        { name: 'cwd', takesValue: true, helpValue: 'DIR' },
        { name: 'only', takesValue: true },
      ],
    },
  ]
  const values = {
    phases: (at: { cwd?: string; plan?: string }) => [{ id: `in-${at.cwd ?? '.'}` }],
    presets: () => [{ id: 'licence', name: 'A licence' }],
  }
  it.each([
    [[''], ['presets\tList presets', 'run']],
    [['presets', ''], ['show\tShow a preset']],
    [['presets', 'show', ''], ['licence\tA licence']],
    [['run', '--cwd', ''], [':files']],
    [['run', '--cwd', 'there', '--only', ''], ['in-there']],
    [['nope', ''], []],
    [['run', '--cwd', '=', ''], [':files']],
    [['run', '--only', '=', 'i'], ['in-.']],
    [['run', '--only=i'], ['--only=in-.']],
  ])('%j → %j', (words, expected) => {
    expect(completeWords(words, commands, values)).toEqual(expected)
  })
})
