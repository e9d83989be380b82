import { WfCommand } from '../../cli/base-command.js'
import { checkContracts, type ContractsProblem } from '../../app/check-contracts.js'
import { contractsTargets } from '../../app/contract-targets.js'
import { targetFlags } from '../../cli/contracts-flags.js'
import { EXIT } from '../../lib/errors.js'

export default class ContractsCheck extends WfCommand {
  static override summary = 'Check that generated contract types are current and that examples validate.'
  static override description = [
    'For every `contracts` task of the plan (or --schemas/--out): the generated files must exist and hold exactly what `wf contracts generate` would write now; every `examples` entry in a schema and every NAME.example.json|yaml beside NAME.json must validate; every NAME.counter-example.json|yaml must be rejected.',
    'Exits 1 naming each stale file or failing example with file, line and JSON pointer; exits 2 when a schema is invalid.',
  ].join('\n\n')
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --schemas contracts --out src/generated --json',
  ]
  static override flags = { ...targetFlags }

  async run() {
    const { flags } = await this.parse(ContractsCheck)
    const { root, targets } = await contractsTargets(this.cwdFrom(flags), flags)
    const results = []
    const problems: ContractsProblem[] = []
    for (const target of targets) {
      const result = await checkContracts(root, target)
      results.push({ contracts: target.contracts, out: target.out, ...result })
      problems.push(...result.problems)
      this.log(
        `${result.problems.length === 0 ? '✔' : '✖'} ${target.contracts} → ${target.out}: ${result.schemas} schemas, ${result.outputs} generated files, ${result.examples} examples`,
      )
    }
    for (const p of problems) this.logToStderr(`  ${p.file}:${p.line}:${p.col} ${p.message}`)
    if (problems.length > 0) process.exitCode = EXIT.FAILED
    return { ok: problems.length === 0, targets: results }
  }
}
