#!/usr/bin/env node
// Development entry: rebuilds dist/ from src/ and then runs the CLI.
'use strict'
const { execFileSync } = require('node:child_process')
const { join } = require('node:path')

execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'build.js'), '--no-cache'], { stdio: 'inherit' })
require('./load-cli.js')
  .loadCli()
  .catch((error) => {
    process.stderr.write(`internal error: ${error?.message ?? error}\n`)
    process.exitCode = 1
  })
