#!/usr/bin/env node
// Development entry: rebuilds dist/ from src/ and then runs the CLI.
import { execFileSync } from 'node:child_process'

execFileSync(process.execPath, [new URL('../scripts/build.js', import.meta.url).pathname], { stdio: 'inherit' })
const { execute } = await import('@oclif/core')
await execute({ dir: import.meta.url })
