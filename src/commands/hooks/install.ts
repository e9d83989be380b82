import { WfCommand } from '../../cli/base-command.js'
import { sharedFlags } from '../../cli/shared-flags.js'
import { installHook, type HookName } from '../../app/hooks.js'
import { findRoot } from '../../lib/paths.js'

export default class HooksInstall extends WfCommand {
  static override summary = "Install a git hook that checks the plan's gates."
  static override description =
    `pre-commit runs \`wf check --staged\` (only the staged files, only file-based gates: fast); pre-push runs \`wf check\`. The hook goes where git looks for hooks (core.hooksPath is respected). A hook that is already there is kept and run first; \`wf hooks uninstall\` puts it back. With husky or lefthook nothing is written: wf prints the line to add to their configuration.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --hook pre-push',
  ]
  static override flags = {
    hook: sharedFlags.hook,
  }

  async run() {
    const { flags } = await this.parse(HooksInstall)
    const result = await installHook(findRoot(this.cwdFrom(flags)), flags.hook as HookName)
    if (result.action === 'manager')
      this.log(
        `${result.manager} manages this repository's hooks; nothing was written. To check gates on ${flags.hook}, ${result.line}`,
      )
    else
      this.log(
        `✔ ${result.action === 'unchanged' ? 'already installed' : 'installed'}: ${result.path} runs \`${result.line}\`${result.backup ? ` (the hook that was there runs first; it is kept at ${result.backup})` : ''}`,
      )
    return result
  }
}
