// Loads dist/cli.cjs (or dist/quick.cjs) through node:vm with the V8 code cache written at build
// time, which saves most of the parse and compile work of a cold start. A cache made by another
// Node.js version is rejected by V8 and the file simply compiles as usual. The bundle requires its
// vendor files (dist/vendor/*.cjs: packages only some commands need) by relative path on first use;
// they load the same way, through the handler this file gives dist/'s .cjs files.
// dist/quick.cjs has one cache per command (quick.cjs.run.cache, …): a cache holds the functions
// that ran when it was made, V8 reads all of it at startup, and `wf status` needs far fewer than
// `wf check`.
'use strict'
const { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs')
const Module = require('node:module')
const { dirname, join, sep } = require('node:path')
const { Script } = require('node:vm')

const root = dirname(__dirname)
const dist = join(root, 'dist')
const compiled = []
/** The cache of dist/quick.cjs in use: the command's (see above). */
const quickCache = { command: '' }

/** Runs the CLI bundle; oclif reads the package's package.json from the folder above this one. */
async function loadCli() {
  const cli = requireBundle('cli.cjs')
  try {
    await cli.run(root)
  } finally {
    if (process.env.WF_WRITE_CODE_CACHE) writeCodeCaches()
  }
}

/** Runs `argv` with the bundle that has no oclif when it can (dist/quick.cjs); false when the full CLI must. */
async function loadQuick(argv) {
  quickCache.command = argv[0]
  const quick = requireBundle('quick.cjs')
  const done = await quick.runQuick(argv)
  if (done && process.env.WF_WRITE_CODE_CACHE) writeCodeCaches()
  return done
}

/** Loads a bundle in dist/ with its code cache. */
function requireBundle(name) {
  // Node has no loader of its own for .cjs and uses the .js one, which stays in charge outside dist/.
  const plain = Module._extensions['.js']
  if (!Module._extensions['.cjs'])
    Module._extensions['.cjs'] = (module, file) =>
      file.startsWith(dist + sep) ? runCached(module, file) : plain(module, file)
  // Code compiled by node:vm has no import() of its own (Node 20 offers one only as an experimental
  // option that prints a warning), so plugin gates (src/gates/plugin.ts) import user modules through this.
  globalThis.__wfImport = (url) => import(url)
  return require(join(dist, name))
}

/** Compiles a CommonJS file with its code cache (`FILE.cache`) when there is one, and runs it as `module`. */
function runCached(module, file) {
  let cachedData
  try {
    cachedData = readFileSync(cacheOf(file))
  } catch {}
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData })
  script.runInThisContext()(module.exports, Module.createRequire(file), module, file, dirname(file))
  compiled.push({ file, script })
}

/** At build time: loads every vendor package too, then records a code cache beside each file. */
function writeCodeCaches() {
  const vendorDir = join(dist, 'vendor')
  for (const name of existsSync(vendorDir) ? readdirSync(vendorDir) : []) {
    if (!name.endsWith('.cjs')) continue
    for (const get of Object.values(require(join(vendorDir, name)))) {
      try {
        get()
      } catch {}
    }
  }
  for (const { file, script } of compiled) {
    writeFileSync(`${cacheOf(file)}.${process.pid}.tmp`, script.createCachedData())
    renameSync(`${cacheOf(file)}.${process.pid}.tmp`, cacheOf(file))
  }
}

/** Where the code cache of a file in dist/ is. */
function cacheOf(file) {
  return file === join(dist, 'quick.cjs') ? `${file}.${quickCache.command}.cache` : `${file}.cache`
}

module.exports = { loadCli, loadQuick }
