// Loads dist/cli.cjs through node:vm with the V8 code cache written at build time, which
// saves most of the parse and compile work of a cold start. A cache made by another Node.js
// version is rejected by V8 and the bundle simply compiles as usual. Vendor bundles
// (dist/vendor/*.cjs: packages only some commands need) load the same way, on first use.
'use strict'
const { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs')
const Module = require('node:module')
const { dirname, join } = require('node:path')
const { Script } = require('node:vm')

const loaded = []

/** Runs a CommonJS file from its code cache (`FILE.cache`) when there is one; returns its exports. */
function runCached(file) {
  let cachedData
  try {
    cachedData = readFileSync(`${file}.cache`)
  } catch {}
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData })
  const module = { exports: {} }
  script.runInThisContext()(module.exports, Module.createRequire(file), module, file, dirname(file))
  loaded.push({ file, script })
  return module.exports
}

/** Runs the CLI bundle; oclif reads the package's package.json from the folder above this one. */
async function loadCli() {
  const root = dirname(__dirname)
  const file = join(root, 'dist', 'cli.cjs')
  const vendorDir = join(dirname(file), 'vendor')
  const vendors = new Map()
  globalThis.__wfVendorLoad = (name) => {
    if (!vendors.has(name)) vendors.set(name, runCached(join(vendorDir, `${name}.cjs`)))
    return vendors.get(name)
  }
  const cli = runCached(file)
  globalThis.__wfCli = cli
  // Code compiled by node:vm has no import() of its own; plugin gates import user modules through this.
  globalThis.__wfImport = (url) => import(url)
  try {
    await cli.run(root)
  } finally {
    if (process.env.WF_WRITE_CODE_CACHE) writeCodeCaches(vendorDir)
  }
}

/** At build time: loads every vendor package too, then records a code cache beside each file. */
function writeCodeCaches(vendorDir) {
  for (const name of existsSync(vendorDir) ? readdirSync(vendorDir) : []) {
    if (!name.endsWith('.cjs')) continue
    const getters = globalThis.__wfVendorLoad(name.slice(0, -4))
    for (const get of Object.values(getters)) {
      try {
        get()
      } catch {}
    }
  }
  for (const { file, script } of loaded) {
    writeFileSync(`${file}.cache.${process.pid}.tmp`, script.createCachedData())
    renameSync(`${file}.cache.${process.pid}.tmp`, `${file}.cache`)
  }
}

module.exports = { loadCli }
