import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findTemplate, renderTemplate, templateFacts } from '../../src/generate/templates.js'
import { renderSandboxed } from '../../src/generate/sandboxed-render.js'
import { Workspace } from '../../src/lib/workspace.js'
import { testdir } from '../helpers.js'

const code = (body: string) => `{{ range.constructor(${JSON.stringify(body)})() }}`

describe('renderSandboxed', () => {
  const cwd = testdir({ 'secret.txt': 'inside\n' })
  const workspace = new Workspace(cwd)
  afterAll(() => workspace.close())

  it('renders with the context, like nunjucks in process', async () => {
    const text = '{% for x in items %}{{ x | upper }} {% endfor %}{{ name }}\n'
    expect(await renderSandboxed(workspace, text, { items: ['a', 'b'], name: 'n' }, 't.njk')).toBe('A B n\n')
  })

  it.each([
    ['start a process', `process.getBuiltinModule('child_process').execSync('touch ${join(cwd, 'spawned')}')`],
    ['write a file', `process.getBuiltinModule('fs').writeFileSync('${join(cwd, 'written')}', 'x')`],
    ['read a file', `return process.getBuiltinModule('fs').readFileSync('${join(cwd, 'secret.txt')}', 'utf8')`],
  ])('refuses template code that tries to %s', async (_what, body) => {
    await expect(renderSandboxed(workspace, code(body), {}, 't.njk')).rejects.toThrow(
      /tried to start a process, write a file or read/,
    )
    expect(existsSync(join(cwd, 'spawned'))).toBe(false)
    expect(existsSync(join(cwd, 'written'))).toBe(false)
  })

  it('gives template code no environment variables', async () => {
    expect(await renderSandboxed(workspace, code('return JSON.stringify(Object.keys(process.env))'), {}, 't.njk')).toBe(
      '[]',
    )
  })

  it('keeps template errors with their place and the undefined variable named', async () => {
    const dir = testdir({ 'templates/bad.njk': 'a\n{{ missing }}\n', 'templates/syntax.njk': '{% if %}\n' })
    const repo = new Workspace(dir)
    try {
      const facts = await templateFacts(repo)
      const render = (ref: string, sandbox: boolean) =>
        renderTemplate(repo, findTemplate(repo, ref), facts, {}, {}, { sandbox }).then(
          () => 'rendered',
          (error: Error) => error.message,
        )
      expect(await render('templates/bad.njk', true)).toBe('templates/bad.njk:2:1: `missing` is undefined')
      expect(await render('templates/bad.njk', true)).toBe(await render('templates/bad.njk', false))
      expect(await render('templates/syntax.njk', true)).toMatch(/^templates\/syntax\.njk:1:\d+: /)
      expect(await render('templates/syntax.njk', true)).toBe(await render('templates/syntax.njk', false))
    } finally {
      repo.close()
    }
  })
})

describe('renderSandboxed, when template code ends the sandbox', () => {
  const workspace = new Workspace(testdir())
  afterAll(() => workspace.close())

  it('fails that template, and the next one renders in a new sandbox', async () => {
    await expect(renderSandboxed(workspace, code('process.exit(0)'), {}, 'exit.njk')).rejects.toThrow(
      /rendering stopped: the sandbox exited/,
    )
    await expect(
      renderSandboxed(workspace, code('process.kill(process.pid, "SIGKILL")'), {}, 'kill.njk'),
    ).rejects.toThrow(/rendering stopped/)
    expect(await renderSandboxed(workspace, 'still {{ x }}', { x: 'here' }, 'ok.njk')).toBe('still here')
  })
})
