#!/usr/bin/env node
// `wf --version` is answered here without loading the CLI; `wf run`, `wf status` and `wf check` try
// the CLI bundle without oclif first (src/cli/quick-cli.ts); everything else runs the full CLI.
// This folder is CommonJS (bin/package.json): Node starts a CommonJS entry faster than an ES module.
'use strict'
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { name, version } = require('../package.json')
  process.stdout.write(`${name}/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const { loadCli, loadQuick } = require('./load-cli.js')
  const quick = argv[0] === 'run' || argv[0] === 'status' || argv[0] === 'check'
  ;(quick ? loadQuick(argv) : Promise.resolve(false))
    .then((done) => done || loadCli())
    .catch((error) => {
      process.stderr.write(`internal error: ${error?.message ?? error}\n`)
      process.exitCode = 1
    })
}
