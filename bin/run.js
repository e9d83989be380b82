#!/usr/bin/env node
// `wf --version` is answered here without loading the CLI; everything else runs the bundled CLI.
// This folder is CommonJS (bin/package.json): Node starts a CommonJS entry faster than an ES module.
'use strict'
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { name, version } = require('../package.json')
  process.stdout.write(`${name}/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  require('./load-cli.js')
    .loadCli()
    .catch((error) => {
      process.stderr.write(`internal error: ${error?.message ?? error}\n`)
      process.exitCode = 1
    })
}
