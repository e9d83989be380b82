#!/usr/bin/env node
// Compiles src/ to dist/ with tsc (a clean build each time).
import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
rmSync(root + 'dist', { recursive: true, force: true })
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
execFileSync(process.execPath, [tsc, '-p', root + 'tsconfig.json'], { stdio: 'inherit' })
