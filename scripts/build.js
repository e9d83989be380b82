#!/usr/bin/env node
// Bundles src/commands/index.ts into dist/cli.cjs, and src/cli/quick-cli.ts (run, status and check
// without oclif) into dist/quick.cjs, with esbuild; then records V8 code caches for them
// (dist/cli.cjs.cache, and one per quick command: dist/quick.cjs.run.cache, …) by running commands
// on a small plan, so startup skips most parsing and compiling. Type checking is `npm run typecheck`.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { applyPatch, parsePatch } from 'diff'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
// Build beside dist/ and swap it in, so a CLI already running (or being started) never sees half a build.
const next = `${root}dist.next-${process.pid}`
rmSync(next, { recursive: true, force: true })

// Third-party packages only some commands need are bundled apart, one file per group in
// dist/vendor/, and loaded on first use, so every other command starts without parsing them.
// (A group holds packages that must share one instance, like the MCP SDK and zod.)
const VENDOR_GROUPS = [
  ['mcp', (p) => p.startsWith('@modelcontextprotocol/sdk') || p === 'zod' || p.startsWith('zod/')],
  ['codegen', (p) => p === 'json-schema-to-typescript'],
  ['nunjucks', (p) => p === 'nunjucks'],
  ['diff', (p) => p === 'diff'],
  // ajv's small runtime helpers are what precompiled validators require at startup; they stay in the main bundle.
  ['ajv', (p) => (p === 'ajv' || p.startsWith('ajv/') || p === 'ajv-formats') && !p.startsWith('ajv/dist/runtime/')],
  ['secretlint', (p) => p.startsWith('@secretlint/')],
  ['re2js', (p) => p === 're2js'],
  ['execa', (p) => p === 'execa'],
  ['log-update', (p) => p === 'log-update'],
  // The positioned YAML parser (error messages, wf ci github) and git. (Not tinyglobby: oclif
  // itself loads it at startup, so it stays in the main bundle.)
  ['yaml', (p) => p === 'yaml' || p.startsWith('yaml/')],
  ['git', (p) => p === 'simple-git'],
  // The file watcher, for `wf run --watch` only.
  ['chokidar', (p) => p === 'chokidar'],
  // Manifest parsers and SPDX expressions, for the `manifest` gate.
  ['manifest', (p) => p === 'smol-toml' || p === 'fast-xml-parser' || p === 'spdx-expression-parse'],
  // SPDX license ids (plans with a `license` condition or `allow` list); the texts are dist/spdx-licenses.json.
  ['spdx-ids', (p) => p === 'spdx-license-list/simple.js'],
  // The Markdown parser of the `markdown-links` gate.
  ['markdown', (p) => p === 'mdast-util-from-markdown' || p === 'github-slugger'],
  // wf's own largest module, the plan schema's validator (compiled by ajv, a third of dist/quick.cjs):
  // only a plan file missing from the plan cache needs it (see PLAN_SCHEMA_VALIDATOR below).
  ['plan-schema', () => false],
]
const PLAN_SCHEMA_VALIDATOR = /^\.\/validate-plan\.generated\.js$/
const vendorSpecs = new Map(VENDOR_GROUPS.map(([name]) => [name, new Set()]))
const vendorPlugin = {
  name: 'wf-vendor',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.namespace === 'wf-vendor') return
      const group = VENDOR_GROUPS.find(([, match]) => match(args.path))
      if (!group) return
      vendorSpecs.get(group[0]).add(args.path)
      return { path: args.path, namespace: 'wf-vendor', pluginData: group[0] }
    })
    b.onResolve({ filter: PLAN_SCHEMA_VALIDATOR }, (args) => {
      if (args.namespace === 'wf-vendor') return
      const spec = `./${relative(root, join(args.resolveDir, args.path)).split(sep).join('/')}`
      vendorSpecs.get('plan-schema').add(spec)
      return { path: spec, namespace: 'wf-vendor', pluginData: 'plan-schema' }
    })
    // Required at run time, relative to dist/cli.cjs.
    b.onResolve({ filter: /^\.\/vendor\//, namespace: 'wf-vendor' }, (args) => ({ path: args.path, external: true }))
    b.onLoad({ filter: /.*/, namespace: 'wf-vendor' }, (args) => {
      const load = `require(${JSON.stringify(`./vendor/${args.pluginData}.cjs`)})[${JSON.stringify(args.path)}]()`
      // wf's own module is an ES module: its importers read its default export, not the module object.
      if (args.pluginData === 'plan-schema')
        return {
          contents: `const loaded = ${load}\nexport default loaded.default\nexport const validate = loaded.validate\n`,
          loader: 'js',
        }
      return { contents: `module.exports = ${load}`, loader: 'js' }
    })
  },
}

// oclif logs through the debug package, whose loggers print only when DEBUG is set; without it
// the package (and its terminal colour detection) is not even loaded.
const requireHere = createRequire(import.meta.url)
const lazyDebug = {
  name: 'wf-lazy-debug',
  setup(b) {
    b.onResolve({ filter: /^debug$/ }, (args) => {
      if (!args.importer.includes(`${sep}@oclif${sep}core${sep}`)) return
      return { path: requireHere.resolve('debug', { paths: [args.resolveDir] }), namespace: 'wf-lazy-debug' }
    })
    b.onLoad({ filter: /.*/, namespace: 'wf-lazy-debug' }, (args) => ({
      contents: [
        `module.exports = process.env.DEBUG ? require(${JSON.stringify(args.path)}) : function createDebug(namespace) {`,
        '  const log = () => {}',
        "  return Object.assign(log, { enabled: false, namespace, extend: (sub, delimiter = ':') => createDebug(namespace + delimiter + sub) })",
        '}',
      ].join('\n'),
      resolveDir: dirname(args.path),
      loader: 'js',
    }))
  },
}

// Changes to third-party files, for startup time: one unified diff per package in patches/
// (`<package>+<version>.patch`, against the file in node_modules), applied to the source being
// bundled; node_modules stays as installed. The text above a patch's diff says why it is there.
// The build fails when a patch no longer applies or its file is no longer bundled.
const patches = readdirSync(`${root}patches`)
  .filter((name) => name.endsWith('.patch'))
  .sort()
  .flatMap((name) =>
    parsePatch(readFileSync(`${root}patches/${name}`, 'utf8')).map((patch) => {
      const path = patch.newFileName?.replace(/^b\//, '')
      if (!path || patch.hunks.length === 0) fail(`patches/${name} holds no unified diff of a file`)
      if (!existsSync(join(root, path))) fail(`patches/${name}: ${path} is not installed; update or remove the patch`)
      return { name, patch, file: realpathSync(join(root, path)), used: false }
    }),
  )
const patchDependencies = {
  name: 'wf-patch-dependencies',
  setup(b) {
    for (const entry of patches) {
      b.onLoad({ filter: new RegExp(`^${entry.file.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`) }, async (args) => {
        const contents = applyPatch(await readFile(args.path, 'utf8'), entry.patch)
        if (contents === false)
          return { errors: [{ text: `${patchProblem(entry)} no longer applies to ${args.path}` }] }
        entry.used = true
        return { contents, loader: 'js' }
      })
    }
  },
}

/** Names a patch and the version of the package it now meets, for an error message. */
function patchProblem({ name, file }) {
  const at = file.lastIndexOf(`${sep}node_modules${sep}`) + `${sep}node_modules${sep}`.length
  const parts = file.slice(at).split(sep)
  const pkg = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]
  const { version } = JSON.parse(readFileSync(`${file.slice(0, at)}${pkg}/package.json`, 'utf8'))
  return `patches/${name} (installed: ${pkg}@${version}; update or remove the patch)`
}

// oclif requires tinyglobby (its CommonJS build) and wf imports it (which would pick the ES module
// build): both get the CommonJS build, so the bundle holds one copy of tinyglobby and fdir.
const ONE_COPY = new Set(['tinyglobby', 'fdir'])
const oneCopy = {
  name: 'wf-one-copy',
  setup(b) {
    b.onResolve({ filter: /^(tinyglobby|fdir)$/ }, (args) => {
      if (args.kind === 'require-call' || !ONE_COPY.has(args.path)) return
      return b.resolve(args.path, { kind: 'require-call', resolveDir: args.resolveDir, importer: args.importer })
    })
  },
}

/** Runs one esbuild build; when it fails esbuild has printed why, and the build stops. */
async function bundle(options) {
  try {
    return await build(options)
  } catch {
    fail()
  }
}

/** Stops the build, leaving dist/ as it was. */
function fail(message) {
  if (message) process.stderr.write(`build failed: ${message}\n`)
  rmSync(next, { recursive: true, force: true })
  process.exit(1)
}

// A CommonJS bundle has no import.meta: each dist/ file defines this variable (for its own scope) in its place.
const moduleUrl = "var __wfModuleUrl = require('node:url').pathToFileURL(__filename).href;"
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // oclif reads tsconfig files through typescript only when developing plugins in TypeScript.
  external: ['typescript'],
  define: {
    'import.meta.url': '__wfModuleUrl',
    // Parsed plan files are cached per plan format: the schema they were validated against, and the YAML parser.
    __WF_PLAN_FORMAT__: JSON.stringify(
      createHash('sha256')
        .update(readFileSync(`${root}contracts/plan.schema.json`))
        .update(requireHere('js-yaml/package.json').version)
        .digest('hex')
        .slice(0, 16),
    ),
  },
  legalComments: 'linked',
  // Smaller code parses faster; identifiers stay, for readable stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
}
await bundle({
  ...common,
  entryPoints: [`${root}src/commands/index.ts`],
  outfile: `${next}/cli.cjs`,
  plugins: [vendorPlugin, lazyDebug, patchDependencies, oneCopy],
  banner: { js: moduleUrl },
})
// `wf run`, `wf status` and `wf check` in their common forms start from a bundle without oclif (src/cli/quick-cli.ts).
const quick = await bundle({
  ...common,
  entryPoints: [`${root}src/cli/quick-cli.ts`],
  outfile: `${next}/quick.cjs`,
  metafile: true,
  plugins: [vendorPlugin, lazyDebug, patchDependencies, oneCopy],
  banner: { js: moduleUrl },
})
const oclifInQuick = Object.keys(quick.metafile.inputs).find((file) => file.includes('node_modules/@oclif/'))
if (oclifInQuick) fail(`dist/quick.cjs is the CLI without oclif, yet src/cli/quick-cli.ts imports ${oclifInQuick}`)
// The quick bundle loads at every start: a file with one character beyond ASCII is read as a two-byte string, twice the size: slower to
// decode and to compile at every start. esbuild escapes strings; regular expressions it leaves as written.
for (const name of ['quick.cjs']) {
  const at = readFileSync(`${next}/${name}`, 'latin1').search(/[^\x00-\x7f]/)
  if (at >= 0) fail(`dist/${name} has a character beyond ASCII at offset ${at}: write it as \\u.... in the source`)
}
// The secret scan's worker thread entry, loaded by path beside cli.cjs; it requires vendor files as the bundle does.
await bundle({
  ...common,
  entryPoints: [`${root}src/gates/secret-worker.ts`],
  outfile: `${next}/secret-worker.cjs`,
  plugins: [vendorPlugin, patchDependencies],
  banner: { js: moduleUrl },
})
// json-schema-to-typescript loads prettier at startup but calls it only with `format: true`;
// wf formats generated code itself, so prettier (5 MB) is left out.
const noPrettier = {
  name: 'wf-no-prettier',
  setup(b) {
    b.onResolve({ filter: /^prettier(\/.*)?$/ }, (args) => ({ path: args.path, namespace: 'wf-no-prettier' }))
    b.onLoad({ filter: /.*/, namespace: 'wf-no-prettier' }, () => ({
      contents:
        "module.exports = { format() { throw new Error('prettier is not bundled with wf: generate with format: false') } }",
      loader: 'js',
    }))
  },
}
// nunjucks requires chokidar only for its own template watching, which wf never turns on.
const noNunjucksWatch = {
  name: 'wf-no-nunjucks-watch',
  setup(b) {
    b.onResolve({ filter: /^chokidar$/ }, (args) => ({ path: args.path, namespace: 'wf-no-nunjucks-watch' }))
    b.onLoad({ filter: /.*/, namespace: 'wf-no-nunjucks-watch' }, () => ({
      contents: "throw new Error('nunjucks template watching is not bundled with wf')",
      loader: 'js',
    }))
  },
}
for (const [name, specs] of vendorSpecs) {
  if (specs.size === 0) continue
  const getters = [...specs].sort().map((spec) => `  ${JSON.stringify(spec)}: () => require(${JSON.stringify(spec)}),`)
  await bundle({
    ...common,
    stdin: {
      contents: `module.exports = {\n${getters.join('\n')}\n}\n`,
      resolveDir: root,
      sourcefile: `vendor-${name}.js`,
    },
    outfile: `${next}/vendor/${name}.cjs`,
    plugins:
      name === 'codegen'
        ? [noPrettier, patchDependencies]
        : name === 'nunjucks'
          ? [noNunjucksWatch, patchDependencies]
          : [patchDependencies],
    banner: { js: moduleUrl },
  })
}
// The bundles run in node:vm (bin/load-cli.js), where import() of a Node module has no loader: src/
// loads a Node module lazily through createRequire instead, and the build refuses wf's own bundles with one.
for (const file of ['cli.cjs', 'quick.cjs', 'secret-worker.cjs']) {
  const found = /\bimport\(["']node:[\w/]+["']\)/.exec(readFileSync(`${next}/${file}`, 'utf8'))
  if (found) fail(`dist/${file} holds ${found[0]}, which fails in node:vm: load the module through createRequire`)
}
for (const entry of patches) if (!entry.used) fail(`${patchProblem(entry)}: ${entry.file} is no longer bundled`)
// The SPDX license texts the `license` gate compares with, read as data when it first runs (5 MB of text, 1 MB gzipped: not code to parse or cache).
const spdxTexts = JSON.parse(readFileSync(requireHere.resolve('spdx-license-list/spdx-full.json'), 'utf8'))
writeFileSync(
  `${next}/spdx-licenses.json.gz`,
  gzipSync(
    JSON.stringify(Object.fromEntries(Object.entries(spdxTexts).map(([id, { licenseText }]) => [id, licenseText]))),
    { level: 9 },
  ),
)
// oclif loads commands from this file; it hands back the already running bundle.
writeFileSync(`${next}/commands.cjs`, "'use strict'\nmodule.exports = require('./cli.cjs')\n")
const old = `${root}dist.old-${process.pid}`
if (existsSync(`${root}dist`)) renameSync(`${root}dist`, old)
renameSync(next, `${root}dist`)
rmSync(old, { recursive: true, force: true })

// oclif's command manifest (the flags, arguments and descriptions of every command), so oclif reads
// one JSON file at startup instead of inspecting every command class.
rmSync(`${root}oclif.manifest.json`, { force: true })
execFileSync(
  process.execPath,
  [
    '-e',
    `
  const { Plugin } = require('@oclif/core')
  const plugin = new Plugin({ root: ${JSON.stringify(root)}, isRoot: true, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true })
  plugin.load().then(() => require('node:fs').writeFileSync(${JSON.stringify(`${root}oclif.manifest.json`)}, JSON.stringify(plugin.manifest, null, 1) + '\\n'))
`,
  ],
  { cwd: root, stdio: 'inherit' },
)

if (!process.argv.includes('--no-cache')) {
  const repo = mkdtempSync(join(tmpdir(), 'wf-build-'))
  try {
    mkdirSync(join(repo, '.git'))
    mkdirSync(join(repo, 'phases'))
    mkdirSync(join(repo, 'src'))
    for (const name of ['a', 'b', 'c']) writeFileSync(join(repo, 'src', `${name}.txt`), `${name}\n`)
    writeFileSync(
      join(repo, 'phases', 'plan.yaml'),
      `${[
        'version: 1',
        'phases:',
        '  - id: a',
        '    inputs: [src/a.txt]',
        '    tasks: [{ run: "true", timeout: 1m }]',
        '    gates: [{ files-exist: [phases] }]',
        '  - id: b',
        '    needs: [a]',
        '    inputs: [src/b.txt]',
        '    tasks: [{ run: "true" }]',
        '    gates: [{ command: "true", waive: { reason: r, owner: o, until: 2030-01-01 } }]',
        // The gates a pre-commit hook runs, so `wf check --staged` starts warm too.
        '  - id: c',
        '    inputs: [src/c.txt]',
        '    gates:',
        '      - forbid: { patterns: [secrets, "DO[N]OTCOMMIT"] }',
        '      - file-contains: { in: "phases/*", regex: "version", count: { min: 1 } }',
        '      - files-absent: ["**/*.pem"]',
      ].join('\n')}\n`,
    )
    const wf = (command, cache = true) =>
      execFileSync(process.execPath, [`${root}bin/run.js`, ...command, '--cwd', repo], {
        env: cache ? { ...process.env, WF_WRITE_CODE_CACHE: '1' } : process.env,
        stdio: 'ignore',
      })
    // A first run reads the plan anew (later ones find it in the plan cache) and records every phase.
    wf(['run', '--reporter', 'plain'], false)
    // The full CLI (dist/cli.cjs) runs a phase; each quick command (dist/quick.cjs) is recorded as
    // it most often runs: a run where one phase changed and the others are up to date, the status
    // after it, a check of every gate.
    wf(['run-phase', 'c', '--force', '--reporter', 'plain'])
    writeFileSync(join(repo, 'src', 'b.txt'), 'b, changed\n')
    wf(['run', '--reporter', 'plain'])
    wf(['status'])
    wf(['check', '--reporter', 'plain'])
  } finally {
    rmSync(repo, { recursive: true, force: true })
  }
}
