import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { filesPlan, read, templateRepo } from '../template-repo.js'

// A phase's consecutive template tasks run as one batch; what it writes, records and prints must be
// what running them one at a time does. A `run` task between two template tasks ends a batch, so
// the same tasks with one after each run one at a time: the reference.
const task = (name: string, to: string, template = 'templates/line.njk') =>
  `      - { name: ${name}, template: ${template}, to: ${to}, vars: { word: ${name} } }\n`
const alone = (tasks: string[]) => tasks.map((t) => `${t}      - { name: sep, run: "true" }\n`).join('')

interface TaskRecord {
  name: string
  status: string
  message?: string
  output?: string
  generated?: Array<{ path: string; action: string; hash: string }>
}

/** What a run left: the files under out/, the template tasks' records, the generated-file records, and the lines it printed for them. */
async function runAndRead(cwd: string) {
  const result = await runCli(['run', '--reporter', 'plain'], { cwd })
  const ledger = JSON.parse(read(cwd, '.wf/ledger.json'))
  const tasks = (ledger.phases.files.tasks as TaskRecord[])
    .filter((t) => t.name !== 'sep')
    .map(({ name, status, message, output, generated }) => ({ name, status, message, output, generated }))
  const out = existsSync(join(cwd, 'out'))
    ? Object.fromEntries(readdirSync(join(cwd, 'out')).map((f) => [f, read(cwd, `out/${f}`)]))
    : {}
  const generated = Object.fromEntries(
    Object.entries(ledger.generated as Record<string, { hash: string; source: string }>).map(([path, g]) => [
      path,
      { hash: g.hash, source: g.source },
    ]),
  )
  const lines = result.stdout
    .split('\n')
    .filter((l) => /\bout\//.test(l))
    .map((l) =>
      l
        .replace(/^.*│ /, '')
        .replace(/^\d\d:\d\d:\d\d /, '')
        .replace(/\([\d.]+m?s\)/g, '(time)'),
    )
  return { code: result.code, tasks, out, generated, lines, journals: readdirSync(join(cwd, '.wf/intents')) }
}

describe('template tasks in one batch', () => {
  const cases = [
    {
      name: 'a template that does not render',
      broken: task('third', 'out/c.md', 'templates/broken.njk'),
      setup: () => {},
      failure: /templates\/broken\.njk:1:\d+: `missing` is undefined/,
    },
    {
      name: 'an output edited by hand',
      broken: task('third', 'out/c.md'),
      setup: (cwd: string) => writeFileSync(join(cwd, 'out/c.md'), 'ours\n'),
      failure: /out\/c\.md was changed by hand and not overwritten/,
    },
  ]
  for (const { name, broken, setup, failure } of cases) {
    it(`stops at ${name} half-way, writing and recording what running the tasks one at a time does`, async () => {
      const tasks = [task('first', 'out/a.md'), task('second', 'out/b.md'), broken, task('fourth', 'out/d.md')]
      const results = []
      for (const plan of [tasks.join(''), alone(tasks)]) {
        const cwd = templateRepo({
          'templates/line.njk': 'line {{ word }}\n',
          'templates/broken.njk': 'line {{ missing }}\n',
          'phases/p.yaml': filesPlan(plan),
          'out/.keep': '',
        })
        setup(cwd)
        results.push(await runAndRead(cwd))
      }
      const [batch, oneByOne] = results
      expect(batch!.code).toBe(1)
      expect(batch!.tasks.map((t) => [t.name, t.status])).toEqual([
        ['first', 'passed'],
        ['second', 'passed'],
        ['third', 'failed'],
      ])
      expect(batch!.tasks[2]!.message).toMatch(failure)
      expect(batch!.out['a.md']).toBe('line first\n')
      expect(batch!.out['b.md']).toBe('line second\n')
      expect(batch!.out['d.md']).toBeUndefined()
      expect(Object.keys(batch!.generated).sort()).toEqual(['out/a.md', 'out/b.md'])
      // Every intent is settled in the ledger: no journal is left behind.
      expect(batch!.journals).toEqual([])
      expect(batch).toEqual(oneByOne)
    })
  }

  it('starts a new batch at a task that reads or writes a file an earlier task of the batch writes', async () => {
    const tasks = [
      // The first writes a template the second renders; the third and fourth write the same file.
      '      - { name: gen, template: templates/meta.njk, to: templates/gen.njk }\n',
      task('use', 'out/gen.md', 'templates/gen.njk'),
      task('one', 'out/same.md'),
      task('two', 'out/same.md'),
    ]
    const results = []
    for (const plan of [tasks.join(''), alone(tasks)]) {
      // A first run writes the generated template as it was; then its source changes.
      const cwd = templateRepo({
        'templates/line.njk': 'line {{ word }}\n',
        'templates/meta.njk': 'stale {% raw %}{{ word }}{% endraw %}\n',
        'phases/p.yaml': filesPlan(tasks[0]!),
      })
      expect((await runCli(['run'], { cwd })).code).toBe(0)
      writeFileSync(join(cwd, 'templates/meta.njk'), 'generated {% raw %}{{ word }}{% endraw %}\n')
      writeFileSync(join(cwd, 'phases/p.yaml'), filesPlan(plan))
      results.push(await runAndRead(cwd))
    }
    const [batch, oneByOne] = results
    expect(batch!.code).toBe(0)
    expect(batch!.out).toEqual({ 'gen.md': 'generated use\n', 'same.md': 'line two\n' })
    expect(batch!.tasks.map((t) => t.generated?.map((g) => `${g.action} ${g.path}`))).toEqual([
      ['updated templates/gen.njk'],
      ['created out/gen.md'],
      ['created out/same.md'],
      ['updated out/same.md'],
    ])
    expect(batch).toEqual(oneByOne)
  })
})
