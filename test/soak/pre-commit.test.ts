// wf as a hook of the pre-commit framework (.pre-commit-hooks.yaml), installed the two ways
// pre-commit installs a node hook: Debian's pre-commit 3.0.4 (`npm install` in a clone, then
// `npm pack` and `npm install -g TARBALL`, reading the tarball's name from npm's stdout), and
// pre-commit 4.6.1 and later (`npm install -g git+file://…`, simulated here with npm itself).
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { git, gitRepo, repoRoot, testdir } from '../helpers.js'

const INSTALL = 600_000
// A GitHub token's shape; split so that this file holds none.
const FAKE_TOKEN = ['ghp', 'FAKEwfHookTokenNotReal00000000000000'].join('_')
const PLAN = 'version: 1\nphases:\n  - id: secrets\n    extends: builtin:secrets\n'

// The suite may run under `npm test`: npm's own settings for that run must not reach the installs.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')))
const author = {
  GIT_AUTHOR_NAME: 'Tess',
  GIT_AUTHOR_EMAIL: 't@t',
  GIT_COMMITTER_NAME: 'Tess',
  GIT_COMMITTER_EMAIL: 't@t',
}

let clone: string
let release: string
let home: string

/** A clone of this repository with a release commit on top, as users' `rev:` names it. */
function releaseClone(): { clone: string; release: string } {
  const dir = join(testdir({}, { git: false }), 'wf')
  execFileSync('git', ['clone', '-q', '--no-hardlinks', repoRoot, dir], { env })
  // dist/ was built from these sources by the suite's global setup; a release builds the same.
  cpSync(join(repoRoot, 'dist'), join(dir, 'dist'), { recursive: true })
  copyFileSync(join(repoRoot, 'oclif.manifest.json'), join(dir, 'oclif.manifest.json'))
  // Tagged, as a release is: a clone of the clone (npm's, pre-commit's) fetches only what refs reach.
  const hash = execFileSync(process.execPath, ['scripts/release-commit.js', '--no-build', '--tag', 'v0.0.0-test'], {
    cwd: dir,
    env: { ...env, ...author },
    encoding: 'utf8',
  }).trim()
  return { clone: dir, release: hash }
}

function tryRepo(repo: string) {
  const result = spawnSync('pre-commit', ['try-repo', clone, 'wf-check', '--ref', release], {
    cwd: repo,
    env: { ...env, PRE_COMMIT_HOME: home, npm_config_audit: 'false', npm_config_fund: 'false' },
    encoding: 'utf8',
  })
  return { code: result.status, output: `${result.stdout}${result.stderr}` }
}

describe('pre-commit framework', () => {
  beforeAll(() => {
    const found = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' })
    if (found.status !== 0)
      throw new Error('pre-commit is not installed: run `sh scripts/install-test-deps.sh` (apt-get install pre-commit)')
    ;({ clone, release } = releaseClone())
    home = testdir({}, { git: false })
  })

  it('the release commit carries dist/ and no script npm runs when it installs or packs from git', () => {
    const files = git(clone, 'ls-tree', '-r', '--name-only', release).split('\n')
    expect(files).toEqual(expect.arrayContaining(['dist/cli.cjs', 'dist/commands.cjs', 'oclif.manifest.json']))
    const pkg = JSON.parse(git(clone, 'show', `${release}:package.json`))
    expect(pkg.name).toBe('wf-phases')
    expect(Object.keys(pkg.scripts)).not.toEqual(expect.arrayContaining(['prepare']))
    for (const name of ['preinstall', 'install', 'postinstall', 'build', 'prepack', 'prepare', 'postpack'])
      expect(pkg.scripts[name], name).toBeUndefined()
  })

  it(
    'try-repo: a staged fake token fails naming its file and line; a clean staged change passes',
    () => {
      const repo = gitRepo({ 'README.md': '# project\n', 'phases/wf.yaml': PLAN })
      writeFileSync(join(repo, 'leak.js'), `export const token = '${FAKE_TOKEN}'\n`)
      git(repo, 'add', 'leak.js')
      const leak = tryRepo(repo)
      expect(leak.output).toMatch(/wf check\.+Failed/)
      expect(leak.output).toContain('leak.js:1')
      expect(leak.output).not.toContain(FAKE_TOKEN)
      expect(leak.code).toBe(1)

      git(repo, 'rm', '-q', '--cached', 'leak.js')
      writeFileSync(join(repo, 'clean.js'), 'export const greeting = "hello"\n')
      git(repo, 'add', 'clean.js')
      const clean = tryRepo(repo)
      expect(clean.output).toMatch(/wf check\.+Passed/)
      expect(clean.code).toBe(0)
    },
    INSTALL,
  )

  it(
    'installs as pre-commit 4.6.1+ does, `npm install -g git+file://` with no devDependencies, and the hook runs',
    () => {
      const prefix = testdir({}, { git: false })
      execFileSync('npm', ['install', '-g', '--prefix', prefix, `git+file://${clone}#${release}`], {
        env: { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_loglevel: 'error' },
        encoding: 'utf8',
      })
      const wf = join(prefix, 'bin', 'wf')
      expect(execFileSync(wf, ['--version'], { encoding: 'utf8' })).toMatch(/^wf-phases\/\d+\.\d+\.\d+ /)

      const repo = gitRepo({ 'README.md': '# project\n', 'phases/wf.yaml': PLAN })
      writeFileSync(join(repo, 'leak.js'), `export const token = '${FAKE_TOKEN}'\n`)
      git(repo, 'add', 'leak.js')
      const check = spawnSync(wf, ['check', '--staged', 'leak.js'], { cwd: repo, encoding: 'utf8' })
      expect(check.stdout).toContain('leak.js:1')
      expect(check.status).toBe(1)
    },
    INSTALL,
  )
})
