// Loads dist/cli.cjs through node:vm with the V8 code cache written at build time, which
// saves most of the parse and compile work of a cold start. A cache made by another Node.js
// version is rejected by V8 and the bundle simply compiles as usual.
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Script } from 'node:vm'

/** Runs the CLI bundle; `binUrl` is the URL of the bin script, from which oclif finds package.json. */
export async function loadCli(binUrl) {
  const file = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url))
  let cachedData
  try {
    cachedData = readFileSync(`${file}.cache`)
  } catch {}
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData })
  const module = { exports: {} }
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file))
  globalThis.__wfCli = module.exports
  // Code compiled by node:vm has no import() of its own; plugin gates import user modules through this.
  globalThis.__wfImport = (url) => import(url)
  try {
    await module.exports.run(binUrl)
  } finally {
    if (process.env.WF_WRITE_CODE_CACHE) {
      const target = process.env.WF_WRITE_CODE_CACHE
      writeFileSync(`${target}.${process.pid}.tmp`, script.createCachedData())
      renameSync(`${target}.${process.pid}.tmp`, target)
    }
  }
}
