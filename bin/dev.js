#!/usr/bin/env node
// Development entry: rebuilds dist/ from src/ and then runs the CLI.
import { execFileSync } from 'node:child_process'

execFileSync(process.execPath, [new URL('../scripts/build.js', import.meta.url).pathname, '--no-cache'], { stdio: 'inherit' })
const { loadCli } = await import('./load-cli.js')
await loadCli(import.meta.url)
