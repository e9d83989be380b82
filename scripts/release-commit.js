#!/usr/bin/env node
// Makes a release commit on top of HEAD, the revision users install from git (the pre-commit
// framework's `rev:`): it adds the built dist/ and oclif.manifest.json, which main does not track,
// and leaves out of package.json the scripts npm runs when it installs or packs a package from
// git (prepare, build, prepack, install…). Those scripts need the devDependencies, which
// `npm install -g git+…` (pre-commit 4.6.1 and later) does not install where they would be
// found, and npm prints their banner on the stdout of `npm pack`, where pre-commit 4.6.0 and
// earlier read the tarball's name. The working tree, the index and the branch are not touched.
//
//   node scripts/release-commit.js [--no-build] [--tag v1.2.3]   prints the commit's hash
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const tag = args.includes('--tag') ? args[args.indexOf('--tag') + 1] : undefined
// Scripts pacote (npm's fetcher) takes as a reason to install and prepare a git dependency.
const INSTALL_TIME = ['preinstall', 'install', 'postinstall', 'build', 'prepack', 'prepare', 'postpack']

if (!args.includes('--no-build'))
  execFileSync(process.execPath, [join(root, 'scripts', 'build.js')], { stdio: 'inherit' })

const scratch = mkdtempSync(join(tmpdir(), 'wf-release-'))
const env = { ...process.env, GIT_INDEX_FILE: join(scratch, 'index') }
const git = (gitArgs, input) =>
  execFileSync('git', gitArgs, { cwd: root, env, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'] }).trim()
try {
  git(['read-tree', 'HEAD'])
  git(['add', '--force', '--', 'dist', 'oclif.manifest.json'])
  const pkg = JSON.parse(git(['show', 'HEAD:package.json']))
  for (const name of INSTALL_TIME) delete pkg.scripts?.[name]
  const blob = git(['hash-object', '-w', '--stdin'], `${JSON.stringify(pkg, null, 2)}\n`)
  git(['update-index', '--cacheinfo', `100644,${blob},package.json`])
  const tree = git(['write-tree'])
  const version = pkg.version
  const commit = git(['commit-tree', tree, '-p', 'HEAD', '-m', `Release ${version}: built dist/ for installs from git`])
  if (tag) git(['tag', tag, commit])
  process.stdout.write(`${commit}\n`)
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
