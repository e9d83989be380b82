import { WfCommand } from '../../cli/base-command.js'
import { sharedFlags } from '../../cli/shared-flags.js'
import { uninstallHook, type HookName } from '../../app/hooks.js'
import { findRoot } from '../../lib/paths.js'

export default class HooksUninstall extends WfCommand {
  static override summary = 'Remove the git hook wf installed and restore the one it replaced.'
  static override description = 'Only a hook written by `wf hooks install` is removed; any other hook is left alone.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --hook pre-push',
  ]
  static override flags = {
    hook: sharedFlags.hook,
  }

  async run() {
    const { flags } = await this.parse(HooksUninstall)
    const result = await uninstallHook(findRoot(this.cwdFrom(flags)), flags.hook as HookName)
    this.log(`${result.action === 'removed' ? '✔' : '•'} ${flags.hook}: ${result.line}`)
    return result
  }
}
