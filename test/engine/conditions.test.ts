import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { evaluateCondition } from '../../src/engine/conditions.js'
import type { Condition } from '../../src/plan/plan.generated.js'
import { resolveEnv } from '../../src/lib/environment.js'
import { LANGUAGES, TOOLS } from '../../src/lib/repository-facts.js'
import { Workspace } from '../../src/lib/workspace.js'
import { repoRoot, testdir } from '../helpers.js'

const cwd = testdir()
const workspace = new Workspace(cwd)
afterAll(() => workspace.close())
const env = resolveEnv({ PATH: process.env.PATH, SET: 'yes' })
const marker = join(cwd, 'ran')
const run = { run: `touch ${marker}` }

describe('evaluateCondition on a read-only path', () => {
  // [condition, value]: undefined when only the command could tell.
  const cases: [string, Condition, boolean | undefined][] = [
    ['run', run, undefined],
    ['not run', { not: run }, undefined],
    ['all: a false part settles it', { all: [run, { env: 'UNSET' }] }, false],
    ['all: true parts and a command', { all: [{ env: 'SET' }, run] }, undefined],
    ['any: a true part settles it', { any: [run, { env: 'SET' }] }, true],
    ['any: false parts and a command', { any: [{ env: 'UNSET' }, run] }, undefined],
    ['no command at all', { all: [{ env: 'SET' }, { not: { env: 'UNSET' } }] }, true],
  ]
  it.each(cases)('%s', async (_name, condition, value) => {
    const result = await evaluateCondition(condition, { workspace, env, readOnly: 'not evaluated in a dry run' })
    expect(result.value).toBe(value)
    if (value === undefined) expect(result.reason).toBe(`\`touch ${marker}\` not evaluated in a dry run`)
    expect(existsSync(marker)).toBe(false)
  })

  it('runs the command when the path may run code', async () => {
    expect((await evaluateCondition({ not: run }, { workspace, env })).value).toBe(false)
    expect(existsSync(marker)).toBe(true)
  })
})

describe('evaluateCondition on language and tool facts', () => {
  it('reads the root once per files epoch, and again once files may have changed', async () => {
    const root = testdir({ 'requirements-dev.txt': '' })
    const here = new Workspace(root)
    try {
      const node = { language: 'node' } as const
      expect(await evaluateCondition({ uses: 'pip' }, { workspace: here, env })).toEqual({
        value: true,
        reason: 'uses pip: requirements-dev.txt found',
      })
      writeFileSync(join(root, 'package.json'), '{}')
      expect((await evaluateCondition(node, { workspace: here, env })).value).toBe(false)
      here.filesChanged()
      expect(await evaluateCondition(node, { workspace: here, env })).toEqual({
        value: true,
        reason: 'language node: package.json found',
      })
      expect((await evaluateCondition({ language: 'typescript' }, { workspace: here, env })).value).toBe(false)
    } finally {
      here.close()
    }
  })
})

describe('the names language and uses conditions accept', () => {
  it('are the ones detection knows, so validate refuses what could never hold', () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'contracts', 'plan.schema.json'), 'utf8'))
    const names = (key: string) => schema.definitions.condition.properties[key].oneOf[0].enum
    expect(names('language')).toEqual(Object.keys(LANGUAGES))
    expect(names('uses')).toEqual(Object.keys(TOOLS))
  })
})
