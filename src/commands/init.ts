import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../cli/base-command.js'
import { initRepo } from '../app/init-repo.js'

export default class Init extends WfCommand {
  static override summary = 'Write a starter governance plan into this repository.'
  static override description =
    `Creates phases/governance.yaml (baseline, governance files, contracts, quality gates), the templates and an example contract it uses, and adds .wf/ to .gitignore. Works in any git repository; \`wf validate\` passes right after it.
Existing files are never overwritten unless --force is given; without it nothing is written when any of them exists.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --cwd ../other-repo',
    '<%= config.bin %> <%= command.id %> --force',
  ]
  static override flags = {
    force: Flags.boolean({ summary: 'Overwrite starter files that already exist.' }),
  }

  async run() {
    const { flags } = await this.parse(Init)
    const result = initRepo({ cwd: this.cwdFrom(flags), force: flags.force })
    for (const file of result.written) this.log(`  wrote ${file}`)
    if (result.gitignore === 'added') this.log('  added .wf/ to .gitignore')
    this.log('\nNext: `wf list` to see the phases, `wf run` to run them.')
    return result
  }
}
