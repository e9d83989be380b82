// Every command, for oclif's explicit command discovery (lets the CLI be bundled).
import Approve from './approve.js'
import Check from './check.js'
import Explain from './explain.js'
import Graph from './graph.js'
import HooksInstall from './hooks/install.js'
import HooksUninstall from './hooks/uninstall.js'
import Init from './init.js'
import LedgerVerify from './ledger/verify.js'
import List from './list.js'
import Run from './run.js'
import RunPhase from './run-phase.js'
import Status from './status.js'
import Validate from './validate.js'

export const COMMANDS = {
  approve: Approve,
  check: Check,
  explain: Explain,
  graph: Graph,
  'hooks:install': HooksInstall,
  'hooks:uninstall': HooksUninstall,
  init: Init,
  'ledger:verify': LedgerVerify,
  list: List,
  run: Run,
  'run-phase': RunPhase,
  status: Status,
  validate: Validate,
}
