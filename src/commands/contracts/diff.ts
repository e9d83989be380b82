import * as Flags from '@oclif/core/flags'
import { WfCommand } from '../../cli/base-command.js'
import { sharedFlags } from '../../cli/shared-flags.js'
import { contractsSpecs } from '../../app/contract-targets.js'
import { diffContracts } from '../../contracts/diff/diff-contracts.js'
import { renderDiffGithub, renderDiffText } from '../../report/contracts-diff.js'
import { findRoot } from '../../lib/paths.js'
import { EXIT } from '../../lib/errors.js'

export default class ContractsDiff extends WfCommand {
  static override summary =
    'Classify every change to the JSON Schemas since a git ref: breaking for consumers, for producers, or compatible.'
  static override description = [
    'Reads the schemas at REF (git show) and in the work tree and classifies each difference with a JSON pointer, the values before and after, and why. Producers write data that must match a schema, consumers read it: narrowing (a new required property, an enum value removed, a bound tightened) breaks producers; widening (a property removed, a type widened, an enum value added) breaks consumers.',
    'A schema whose root says `x-wf-direction: output` (this repository writes the data) counts only changes that break consumers; `input` (it reads the data) only those that break producers.',
    "Exits 1 on a breaking change that counts unless `.wf-allow-breaking.yaml` beside the schemas accepts it (entries with schema, optional pointer and change, and a reason). Without --schemas it looks at the schemas of the plan's contracts tasks and contracts-compatible gates.",
  ].join('\n\n')
  static override examples = [
    '<%= config.bin %> <%= command.id %> --against main',
    '<%= config.bin %> <%= command.id %> --against v1.4.0 --schemas contracts/events --json',
    'GITHUB_ACTIONS=true <%= config.bin %> <%= command.id %> --against origin/main',
  ]
  static override flags = {
    against: Flags.string({ summary: 'The git ref to compare with (default: the default branch).', helpValue: 'REF' }),
    schemas: Flags.string({
      summary: 'A folder or glob of JSON Schemas (default: those of the plan).',
      helpValue: 'DIR|GLOB',
      multiple: true,
    }),
    plan: sharedFlags.plan,
    reporter: Flags.string({
      summary: 'text, or github for workflow annotations (auto: github under GitHub Actions).',
      options: ['auto', 'text', 'github'],
      default: 'auto',
    }),
  }

  async run() {
    const { flags } = await this.parse(ContractsDiff)
    const cwd = this.cwdFrom(flags)
    const { root, specs } = flags.schemas
      ? { root: findRoot(cwd), specs: flags.schemas }
      : await contractsSpecs(cwd, flags.plan)
    const diff = await diffContracts(root, specs, flags.against)
    const github = flags.reporter === 'github' || (flags.reporter === 'auto' && process.env.GITHUB_ACTIONS === 'true')
    if (!this.jsonEnabled()) process.stdout.write(github ? renderDiffGithub(diff) : renderDiffText(diff))
    if (diff.breaking > 0) process.exitCode = EXIT.FAILED
    return diff
  }
}
