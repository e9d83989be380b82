// Every command, for oclif's explicit command discovery (lets the CLI be bundled).
import Graph from './graph.js'
import Init from './init.js'
import List from './list.js'
import Validate from './validate.js'

export const COMMANDS = {
  graph: Graph,
  init: Init,
  list: List,
  validate: Validate,
}
