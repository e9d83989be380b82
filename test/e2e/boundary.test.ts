// The repository boundary: a link in the repository that leads out of it is never followed by a
// read or a write that a plan or the repository's own content names. Each case puts a marker
// folder outside the repository and checks that nothing there is read (its text never printed),
// created or changed.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { gitRepo, testdir } from '../helpers.js'
import { call, connectMcp } from '../mcp/mcp-client.js'

const SECRET = 'OUTSIDE-SECRET-7f3a'
const SIMPLE = 'version: 1\nphases:\n  - id: a\n    gates: [{ files-exist: [README.md] }]\n'

/** A folder outside the repository holding `tree`; `untouched()` says it still holds exactly that. */
function outside(tree: Record<string, string> = {}) {
  const dir = testdir(tree, { git: false })
  const listing = () => listAll(dir)
  const before = listing()
  return { dir, untouched: () => expect(listing()).toEqual(before) }
}

function listAll(dir: string, rel = ''): Record<string, string> {
  const found: Record<string, string> = {}
  for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name
    if (entry.isDirectory()) Object.assign(found, listAll(dir, path))
    else found[path] = readFileSync(join(dir, path), 'utf8')
  }
  return found
}

const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr

describe('reads never follow a link out of the repository', () => {
  it('a plan file linked outside is refused by validate without printing a line of it', async () => {
    const out = outside({ 'passwd.yml': `${SECRET}: [unclosed\nroot:x:0:0\n` })
    const cwd = testdir({ 'phases/a.yml': SIMPLE, 'README.md': '' })
    symlinkSync(join(out.dir, 'passwd.yml'), join(cwd, 'phases', 'x.yml'))
    for (const args of [['validate'], ['validate', '--json']]) {
      const result = await runCli(args, { cwd })
      expect(result.code).toBe(2)
      expect(output(result)).toContain('phases/x.yml is a link to')
      expect(output(result)).toMatch(/leads outside the repository/)
      expect(output(result)).not.toContain(SECRET)
      expect(output(result)).not.toContain('root:x')
    }
    out.untouched()
  })

  it('MCP validate_plan does not return an outside file linked as a plan file', async () => {
    const out = outside({ 'passwd.yml': `${SECRET}: [unclosed\n` })
    const cwd = testdir({ 'phases/a.yml': SIMPLE, 'README.md': '' })
    symlinkSync(join(out.dir, 'passwd.yml'), join(cwd, 'phases', 'x.yml'))
    const mcp = await connectMcp(cwd)
    try {
      const result = await call(mcp, 'validate_plan')
      const text = JSON.stringify(result)
      expect(text).toContain('leads outside the repository')
      expect(text).not.toContain(SECRET)
    } finally {
      await mcp.close()
    }
  })

  it('a linked phases/ folder is refused, and nothing in it runs', async () => {
    const out = outside({
      'phases/plan.yml': `version: 1\nphases:\n  - id: a\n    tasks: [{ run: "touch ${'$'}{OUT}/ran" }]\n`,
    })
    const cwd = testdir({ 'README.md': '' })
    symlinkSync(join(out.dir, 'phases'), join(cwd, 'phases'))
    for (const args of [['validate'], ['run']]) {
      const result = await runCli(args, { cwd, env: { OUT: out.dir } })
      expect(result.code).toBe(2)
      expect(output(result)).toContain('phases is a link to')
    }
    out.untouched()
  })

  it('an include that leads out through a linked folder is refused without printing a line of it', async () => {
    const out = outside({ 'more.yml': `${SECRET}: [unclosed\n` })
    const cwd = testdir({ 'phases/a.yml': `include: [../shared/more.yml]\n${SIMPLE}`, 'README.md': '' })
    symlinkSync(out.dir, join(cwd, 'shared'))
    const result = await runCli(['validate'], { cwd })
    expect(result.code).toBe(2)
    expect(output(result)).toContain('shared is a link to')
    expect(output(result)).not.toContain(SECRET)
  })

  it('contract schemas are not read through a folder linked outside', async () => {
    const out = outside({ 'Order.json': `{"title": "${SECRET}", "type": "object", ` })
    const cwd = testdir({
      'phases/a.yml': 'version: 1\nphases:\n  - id: a\n    tasks: [{ contracts: contracts/events, out: src/gen }]\n',
    })
    mkdirSync(join(cwd, 'contracts'))
    symlinkSync(out.dir, join(cwd, 'contracts', 'events'))
    const result = await runCli(['run'], { cwd })
    expect(result.code).not.toBe(0)
    expect(output(result)).toContain('events is a link to')
    expect(output(result)).not.toContain(SECRET)
    out.untouched()
  })

  it('file-contains fails, naming the link, instead of reading an outside file', async () => {
    const out = outside({ 'secret.txt': `${SECRET}\n` })
    const cwd = testdir({
      'phases/a.yml': `version: 1\nphases:\n  - id: a\n    gates: [{ file-contains: { in: docs/notes.md, text: "${SECRET.slice(0, 7)}" } }]\n`,
    })
    mkdirSync(join(cwd, 'docs'))
    symlinkSync(join(out.dir, 'secret.txt'), join(cwd, 'docs', 'notes.md'))
    const result = await runCli(['run'], { cwd })
    expect(result.code).toBe(1)
    expect(output(result)).toContain('docs/notes.md is a link to')
    expect(output(result)).not.toContain(SECRET)
  })

  it('json-schema: neither a data file nor the schema is read through a link out, and validate prints no excerpt of it', async () => {
    const out = outside({ 'schema.yml': `${SECRET}: [unclosed\n`, 'data.json': `{"${SECRET}": 1}` })
    const cwd = testdir({
      'phases/a.yml':
        'version: 1\nphases:\n  - id: a\n    gates: [{ json-schema: { files: data.json, schema: schema.yml } }]\n',
    })
    symlinkSync(join(out.dir, 'schema.yml'), join(cwd, 'schema.yml'))
    symlinkSync(join(out.dir, 'data.json'), join(cwd, 'data.json'))
    const validated = await runCli(['validate'], { cwd })
    expect(validated.code).toBe(2)
    expect(output(validated)).toContain('schema.yml is a link to')
    expect(output(validated)).not.toContain(SECRET)
    rmSync(join(cwd, 'schema.yml'))
    writeFileSync(join(cwd, 'schema.yml'), 'type: object\n')
    const ran = await runCli(['run'], { cwd })
    expect(ran.code).toBe(1)
    expect(output(ran)).toContain('data.json is a link to')
    expect(output(ran)).not.toContain(SECRET)
  })

  it('forbid fails instead of scanning files in a folder linked outside', async () => {
    const out = outside({ 'keys/id.txt': `${SECRET} debugger\n` })
    const cwd = testdir({
      'phases/a.yml':
        'version: 1\nphases:\n  - id: a\n    gates: [{ forbid: { patterns: ["debugger"], in: ["**/*.txt"] } }]\n',
      'src/ok.txt': 'fine\n',
    })
    symlinkSync(join(out.dir, 'keys'), join(cwd, 'keys'))
    const result = await runCli(['run'], { cwd })
    expect(result.code).toBe(1)
    expect(output(result)).toContain('keys is a link to')
    expect(output(result)).not.toContain(SECRET)
  })

  it('files-exist does not count a file named outright that is a link out', async () => {
    const out = outside({ LICENSE: 'MIT\n' })
    const cwd = testdir({ 'phases/a.yml': 'version: 1\nphases:\n  - id: a\n    gates: [{ files-exist: [LICENSE] }]\n' })
    symlinkSync(join(out.dir, 'LICENSE'), join(cwd, 'LICENSE'))
    const result = await runCli(['run'], { cwd })
    expect(result.code).toBe(1)
    expect(output(result)).toContain('LICENSE is a link to')
  })

  it('coverage fails, naming the link, instead of reading an outside report', async () => {
    const out = outside({ 'summary.json': JSON.stringify({ total: { lines: { pct: 100 } } }) })
    const cwd = testdir({
      'phases/a.yml':
        'version: 1\nphases:\n  - id: a\n    gates: [{ coverage: { summary: coverage/summary.json, lines: 50 } }]\n',
    })
    symlinkSync(out.dir, join(cwd, 'coverage'))
    const result = await runCli(['run'], { cwd })
    expect(result.code).toBe(1)
    expect(output(result)).toContain('coverage is a link to')
  })
})

describe('code from a folder linked outside is not run', () => {
  it('a run task whose cwd is a link out is refused and runs nothing', async () => {
    const out = outside()
    const cwd = testdir({
      'phases/a.yml': 'version: 1\nphases:\n  - id: a\n    tasks: [{ run: "touch here-i-was", cwd: tools }]\n',
    })
    symlinkSync(out.dir, join(cwd, 'tools'))
    const validated = await runCli(['validate'], { cwd })
    expect(validated.code).toBe(2)
    expect(output(validated)).toContain('tools is a link to')
    expect((await runCli(['run'], { cwd })).code).not.toBe(0)
    out.untouched()
    expect(existsSync(join(out.dir, 'here-i-was'))).toBe(false)
  })

  it('a plugin in a folder linked outside is refused and never imported', async () => {
    const marker = join(testdir({}, { git: false }), 'imported')
    const out = outside({
      'check.mjs': `import { writeFileSync } from 'node:fs'\nwriteFileSync(${JSON.stringify(marker)}, 'x')\nexport default { name: 'x', run: () => ({ status: 'passed', message: 'ok' }) }\n`,
    })
    const cwd = testdir({
      'phases/a.yml': 'version: 1\nphases:\n  - id: a\n    gates: [{ plugin: plugins/check.mjs }]\n',
    })
    symlinkSync(out.dir, join(cwd, 'plugins'))
    const validated = await runCli(['validate'], { cwd })
    expect(validated.code).toBe(2)
    expect(output(validated)).toContain('plugins is a link to')
    expect((await runCli(['run'], { cwd })).code).not.toBe(0)
    expect(existsSync(marker)).toBe(false)
  })
})

describe('fingerprints never read through a link out of the repository', () => {
  it('a phase whose inputs hold a link out does not see the outside file change', async () => {
    const out = outside({ 'secret.txt': SECRET })
    const cwd = testdir({
      'phases/a.yml': 'version: 1\nphases:\n  - id: a\n    inputs: [data/*.txt]\n    tasks: [{ run: "true" }]\n',
      'data/inside.txt': 'one\n',
    })
    symlinkSync(join(out.dir, 'secret.txt'), join(cwd, 'data', 'link.txt'))
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    writeFileSync(join(out.dir, 'secret.txt'), `${SECRET} changed`)
    expect((await runCli(['run'], { cwd })).stdout).toMatch(/a up to date/)
    writeFileSync(join(cwd, 'data', 'inside.txt'), 'two\n')
    expect((await runCli(['run'], { cwd })).stdout).not.toMatch(/a up to date/)
  })
})

describe('writes never follow a link out of the repository', () => {
  for (const link of ['.wf', '.wf/runs']) {
    it(`wf run refuses to write its ledger through a linked ${link}`, async () => {
      const out = outside()
      const cwd = testdir({ 'phases/a.yml': SIMPLE, 'README.md': '' })
      mkdirSync(join(cwd, '.wf'), { recursive: true })
      if (link === '.wf') rmSync(join(cwd, '.wf'), { recursive: true })
      symlinkSync(out.dir, join(cwd, link))
      const result = await runCli(['run'], { cwd })
      expect(result.code).toBe(2)
      expect(output(result)).toContain(`${link} is a link to`)
      out.untouched()
    })
  }

  it('the plan cache is not written through a linked .wf/cache (the run still passes)', async () => {
    const out = outside()
    const cwd = testdir({ 'phases/a.yml': SIMPLE, 'README.md': '' })
    mkdirSync(join(cwd, '.wf'))
    symlinkSync(out.dir, join(cwd, '.wf', 'cache'))
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    expect((await runCli(['validate'], { cwd })).code).toBe(0)
    out.untouched()
  })

  it('the task journal is not written through a linked .wf/tasks (the run still passes)', async () => {
    const out = outside()
    // The journal lives only while its task runs: the task itself looks for it outside.
    const cwd = testdir({
      'phases/a.yml': `version: 1\nphases:\n  - id: a\n    tasks: [{ run: "ls -A '${out.dir}' > seen.txt" }]\n`,
    })
    mkdirSync(join(cwd, '.wf'))
    symlinkSync(out.dir, join(cwd, '.wf', 'tasks'))
    expect((await runCli(['run'], { cwd })).code).toBe(0)
    expect(readFileSync(join(cwd, 'seen.txt'), 'utf8')).toBe('')
    out.untouched()
  })

  it('generated files are not written through a folder linked outside', async () => {
    const out = outside()
    const cwd = testdir({
      'phases/a.yml': 'version: 1\nphases:\n  - id: a\n    tasks: [{ template: templates/t.njk, to: gen/out.txt }]\n',
      'templates/t.njk': 'hello\n',
    })
    symlinkSync(out.dir, join(cwd, 'gen'))
    expect((await runCli(['run'], { cwd })).code).not.toBe(0)
    out.untouched()
  })

  for (const folder of ['phases', 'templates']) {
    it(`wf init refuses to write through a linked ${folder}/`, async () => {
      const out = outside()
      const cwd = gitRepo({ 'README.md': '' })
      symlinkSync(out.dir, join(cwd, folder))
      // With a contact, init writes a SECURITY.md template into templates/.
      const result = await runCli(['init', '--security-contact', 'security@acme.dev'], { cwd })
      expect(result.code).toBe(2)
      expect(output(result)).toContain(`${folder} is a link to`)
      out.untouched()
    })
  }

  it('wf ci github refuses to write through a linked .github (--output may go anywhere)', async () => {
    const out = outside()
    const cwd = testdir({ 'phases/a.yml': SIMPLE, 'README.md': '' })
    symlinkSync(out.dir, join(cwd, '.github'))
    const result = await runCli(['ci', 'github'], { cwd })
    expect(result.code).toBe(2)
    expect(output(result)).toContain('.github is a link to')
    out.untouched()
    const named = join(testdir({}, { git: false }), 'wf.yml')
    expect((await runCli(['ci', 'github', '--output', named], { cwd })).code).toBe(0)
    expect(readFileSync(named, 'utf8')).toContain('jobs:')
  })

  it('wf hooks install refuses to write through a linked .git/hooks', async () => {
    const out = outside()
    const cwd = gitRepo({ 'phases/a.yml': SIMPLE, 'README.md': '' })
    rmSync(join(cwd, '.git', 'hooks'), { recursive: true, force: true })
    symlinkSync(out.dir, join(cwd, '.git', 'hooks'))
    const result = await runCli(['hooks', 'install'], { cwd })
    expect(result.code).toBe(2)
    expect(output(result)).toContain('.git/hooks is a link to')
    out.untouched()
  })

  it('links that stay inside the repository still work', async () => {
    const cwd = testdir({
      'phases/a.yml':
        'version: 1\nphases:\n  - id: a\n    tasks: [{ template: templates/t.njk, to: gen/out.txt }]\n    gates: [{ file-contains: { in: notes.md, text: hello } }]\n',
      'shared/t.njk': 'hello\n',
      'real-gen/.keep': '',
      'docs/notes.md': 'hello\n',
    })
    symlinkSync(join(cwd, 'shared'), join(cwd, 'templates'))
    symlinkSync(join(cwd, 'real-gen'), join(cwd, 'gen'))
    symlinkSync(join(cwd, 'docs', 'notes.md'), join(cwd, 'notes.md'))
    const result = await runCli(['run'], { cwd })
    expect(result.code).toBe(0)
    expect(readFileSync(join(cwd, 'real-gen', 'out.txt'), 'utf8')).toBe('hello\n')
  })
})
