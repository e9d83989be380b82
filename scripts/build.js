#!/usr/bin/env node
// Bundles src/cli.ts into dist/cli.cjs with esbuild, then records a V8 code cache for it
// (dist/cli.cjs.cache) by running `wf run` once on a small plan (which reads, validates and runs
// it), so startup skips most parsing and compiling. Type checking is `npm run typecheck`.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
// Build beside dist/ and swap it in, so a CLI already running (or being started) never sees half a build.
const next = `${root}dist.next-${process.pid}`
rmSync(next, { recursive: true, force: true })
await build({
  entryPoints: [root + 'src/cli.ts'],
  outfile: `${next}/cli.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // oclif reads tsconfig files through typescript only when developing plugins in TypeScript.
  external: ['typescript'],
  define: { 'import.meta.url': '__wfModuleUrl' },
  banner: { js: "var __wfModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'linked',
  // Smaller code parses faster; identifiers stay, for readable stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
})
// oclif loads commands from this file; it hands back the already running bundle.
writeFileSync(`${next}/commands.cjs`, "'use strict'\nmodule.exports = globalThis.__wfCli ?? require('./cli.cjs')\n")
const old = `${root}dist.old-${process.pid}`
if (existsSync(root + 'dist')) renameSync(root + 'dist', old)
renameSync(next, root + 'dist')
rmSync(old, { recursive: true, force: true })

if (!process.argv.includes('--no-cache')) {
  const repo = mkdtempSync(join(tmpdir(), 'wf-build-'))
  try {
    mkdirSync(join(repo, '.git'))
    mkdirSync(join(repo, 'phases'))
    writeFileSync(join(repo, 'phases', 'plan.yaml'), [
      'version: 1', 'phases:',
      '  - id: a', '    tasks: [{ run: "true", timeout: 1m }]', '    gates: [{ files-exist: [phases] }]',
      '  - id: b', '    needs: [a]', '    gates: [{ command: "true", waive: { reason: r, owner: o, until: 2030-01-01 } }]',
      // The gates a pre-commit hook runs, so `wf check --staged` starts warm too.
      '  - id: c', '    gates:', '      - forbid: { patterns: [secrets, "DO[N]OTCOMMIT"] }', '      - file-contains: { in: "phases/*", regex: "version", count: { min: 1 } }', '      - files-absent: ["**/*.pem"]',
    ].join('\n') + '\n')
    const env = { ...process.env, WF_WRITE_CODE_CACHE: root + 'dist/cli.cjs.cache' }
    execFileSync(process.execPath, [root + 'bin/run.js', 'run', '--cwd', repo, '--reporter', 'plain'], { env, stdio: 'ignore' })
  } finally {
    rmSync(repo, { recursive: true, force: true })
  }
}
