#!/usr/bin/env node
// `wf --version` is answered here without loading the CLI; everything else runs the bundled CLI.
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { readFileSync } = await import('node:fs')
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`wf/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const { loadCli } = await import('./load-cli.js')
  await loadCli(import.meta.url)
}
