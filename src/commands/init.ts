import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../cli/base-command.js'
import { initRepo } from '../app/init-repo.js'
import { packageName } from '../lib/package-name.js'

export default class Init extends WfCommand {
  static override summary = 'Write a governance plan that fits this repository.'
  static override description =
    `Creates phases/governance.yaml for what the repository holds: a baseline, its security policy and code owners, the built-in preset of each ecosystem found (Node, Python, Go, Rust, Java), typed contracts only when contracts/ holds JSON Schemas, and quality gates; adds .wf/ to .gitignore. \`wf run\` passes right after it.
No contact or owner is made up: SECURITY.md and CODEOWNERS are generated only from --security-contact and --owner; without them, and without the repository's own files, their gates are warnings whose hint says what to do. Existing files are kept: nothing is written when the plan exists, and --force replaces only what \`wf init\` wrote.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --security-contact security@acme.dev --owner @acme/maintainers',
    '<%= config.bin %> <%= command.id %> --cwd ../other-repo',
  ]
  static override flags = {
    force: Flags.boolean({ summary: 'Replace a plan that an earlier `wf init` wrote.' }),
    'security-contact': Flags.string({
      summary: 'Where vulnerability reports go (email or URL): SECURITY.md is generated with it.',
      helpValue: 'EMAIL|URL',
    }),
    owner: Flags.string({
      summary:
        'A default code owner (@user or @org/team; repeat for several): .github/CODEOWNERS is generated with them.',
      helpValue: '@user|@org/team',
      multiple: true,
    }),
  }

  async run() {
    const { flags } = await this.parse(Init)
    const result = await initRepo({
      cwd: this.cwdFrom(flags),
      force: flags.force,
      ...(flags['security-contact'] ? { securityContact: flags['security-contact'] } : {}),
      ...(flags.owner ? { owners: flags.owner } : {}),
    })
    for (const file of result.written) this.log(`  wrote ${file}`)
    if (result.gitignore === 'added') this.log('  added .wf/ to .gitignore')
    if (result.presets.length > 0) this.log(`  extends ${result.presets.map((p) => `builtin:${p}`).join(', ')}`)
    for (const note of result.missing) this.log(`  missing ${note}`)
    // Started through npx without a local install, `npx wf` would fetch an unrelated package: name ours.
    const wf = process.env.npm_command === 'exec' ? `npx ${packageName()}` : 'wf'
    this.log(`\nNext: \`${wf} list\` to see the phases, \`${wf} run\` to run them.`)
    return result
  }
}
