import * as Args from '@oclif/core/args'
import { basename } from 'node:path'
import { WfCommand } from '../cli/base-command.js'
import { example } from '../cli/example.js'
import { WfError } from '../lib/errors.js'
import { COMPLETION_SHELLS, completionScript, type CompletionShell } from '../app/completion-script.js'

export default class Completion extends WfCommand {
  static override summary = 'Print the shell completion script for bash, zsh or fish.'
  static override description =
    'The script completes commands, flags, fixed flag values, phase ids from the plan (`wf run-phase`, `explain`, `approve`, `check`, `--only`, `--from`; `--cwd` and `--plan` on the line are honoured) and preset names after `wf presets show`. It asks `wf __complete` for them, so completion follows the plan as it changes. Without SHELL the shell is taken from the SHELL environment variable.'
  static override args = {
    shell: Args.string({ description: 'bash, zsh or fish.', options: [...COMPLETION_SHELLS] }),
  }
  static override examples = [
    { description: 'bash: add to ~/.bashrc', command: 'eval "$(<%= config.bin %> <%= command.id %> bash)"' },
    {
      description: 'zsh: add to ~/.zshrc, after compinit',
      command: 'source <(<%= config.bin %> <%= command.id %> zsh)',
    },
    example('fish', 'fish > ~/.config/fish/completions/<%= config.bin %>.fish'),
  ]

  async run() {
    const { args } = await this.parse(Completion)
    const shell = args.shell ?? basename(process.env.SHELL ?? '')
    if (!(COMPLETION_SHELLS as readonly string[]).includes(shell))
      throw new WfError('WF_USAGE', `no completion for shell \`${shell || 'unknown'}\``, {
        hint: `name one: ${COMPLETION_SHELLS.join(', ')}`,
      })
    const script = completionScript(shell as CompletionShell, this.config.bin)
    if (!this.jsonEnabled()) process.stdout.write(script)
    return { shell, script }
  }
}
