// The bundle's entry: every command, for oclif's explicit command discovery (lets the CLI be bundled), and the runner.
export { run } from '../cli/cli.js'
import Approve from './approve.js'
import Check from './check.js'
import Complete from './complete.js'
import Completion from './completion.js'
import ContractsCheck from './contracts/check.js'
import ContractsDiff from './contracts/diff.js'
import ContractsGenerate from './contracts/generate.js'
import CiGithub from './ci/github.js'
import Explain from './explain.js'
import Fix from './fix.js'
import GenerateTemplate from './generate/template.js'
import Graph from './graph.js'
import HooksInstall from './hooks/install.js'
import HooksUninstall from './hooks/uninstall.js'
import ImportRepolinter from './import/repolinter.js'
import Init from './init.js'
import LedgerMerge from './ledger/merge.js'
import LedgerVerify from './ledger/verify.js'
import List from './list.js'
import Mcp from './mcp.js'
import Presets from './presets/index.js'
import PresetsShow from './presets/show.js'
import Report from './report.js'
import Run from './run.js'
import RunPhase from './run-phase.js'
import Status from './status.js'
import TemplatesList from './templates/list.js'
import Validate from './validate.js'

export const COMMANDS = {
  approve: Approve,
  check: Check,
  __complete: Complete,
  completion: Completion,
  'contracts:check': ContractsCheck,
  'contracts:diff': ContractsDiff,
  'contracts:generate': ContractsGenerate,
  'ci:github': CiGithub,
  explain: Explain,
  fix: Fix,
  'generate:template': GenerateTemplate,
  graph: Graph,
  'hooks:install': HooksInstall,
  'hooks:uninstall': HooksUninstall,
  'import:repolinter': ImportRepolinter,
  init: Init,
  'ledger:merge': LedgerMerge,
  'ledger:verify': LedgerVerify,
  list: List,
  mcp: Mcp,
  presets: Presets,
  'presets:show': PresetsShow,
  report: Report,
  run: Run,
  'run-phase': RunPhase,
  status: Status,
  'templates:list': TemplatesList,
  validate: Validate,
}
