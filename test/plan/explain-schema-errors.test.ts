import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { explainSchemaErrors } from '../../src/plan/explain-schema-errors.js'
import validatePlan from '../../src/plan/validate-plan.generated.js'
import { repoRoot } from '../helpers.js'

const schema = JSON.parse(readFileSync(join(repoRoot, 'contracts', 'plan.schema.json'), 'utf8'))
const phase = (extra: object) => ({ version: 1, phases: [{ id: 'build', ...extra }] })

// [case, plan, expected findings as "path: message fragment (hint)"]
const cases: [string, unknown, string[]][] = [
  [
    'misspelt phase key',
    phase({ neds: [] }),
    ['phases/0/neds: unknown key `neds` in phase `build` (did you mean `needs`?)'],
  ],
  [
    'misspelt task option',
    phase({ tasks: [{ run: 'x', timout: '1m' }] }),
    ['phases/0/tasks/0/timout: unknown key `timout` in task #1 of phase `build` (did you mean `timeout`?)'],
  ],
  [
    'misspelt kind key',
    phase({ tasks: [{ rn: 'x' }] }),
    [
      'phases/0/tasks/0/rn: unknown key `rn` in task #1 of phase `build`, which needs one of `run`, `template`, `contracts` (did you mean `run`?)',
    ],
  ],
  ['no kind key', phase({ tasks: [{ name: 'x' }] }), ['phases/0/tasks/0: task #1 of phase `build` has no kind key']],
  [
    'two kind keys',
    phase({ tasks: [{ run: 'x', template: 'y', to: 'z' }] }),
    [
      'phases/0/tasks/0: task #1 of phase `build` has 2 kind keys (`run`, `template`); each takes exactly one (split it into separate entries, one per kind)',
    ],
  ],
  [
    'template without to',
    phase({ tasks: [{ template: 't.njk' }] }),
    ['phases/0/tasks/0: task #1 of phase `build` is missing `to`'],
  ],
  [
    'needs as a string',
    phase({ needs: 'lint' }),
    ['phases/0/needs: `needs` in phase `build` must be a list, not the string "lint"'],
  ],
  [
    'bad id',
    { version: 1, phases: [{ id: 'Build Me' }] },
    ['phases/0/id: `id` in phase `Build Me` has an invalid value "Build Me"'],
  ],
  ['wrong version', { version: 2 }, ['version: `version` must be 1, not 2']],
  ['missing version', { phases: [] }, [': the plan is missing `version`']],
  [
    'bad duration',
    phase({ tasks: [{ run: 'x', timeout: '10 minutes' }] }),
    ['phases/0/tasks/0/timeout: `timeout` in task #1 of phase `build` has an invalid value "10 minutes"'],
  ],
  [
    'too many retries',
    phase({ tasks: [{ run: 'x', retries: 11 }] }),
    ['phases/0/tasks/0/retries: `retries` in task #1 of phase `build` must be at most 10, not 11'],
  ],
  [
    'files-exist as a number',
    phase({ gates: [{ 'files-exist': 3 }] }),
    [
      'phases/0/gates/0/files-exist: `files-exist` in gate #1 of phase `build` must be a string or a list or a mapping, not 3',
    ],
  ],
  [
    'coverage without threshold',
    phase({ gates: [{ coverage: { summary: 'c.json' } }] }),
    [
      'phases/0/gates/0/coverage: `coverage` in gate #1 of phase `build` needs at least one of `lines`, `branches`, `functions`, `statements`',
    ],
  ],
  [
    'coverage with two sources',
    phase({ gates: [{ coverage: { summary: 'c.json', lcov: 'l', lines: 80 } }] }),
    ['phases/0/gates/0/coverage: `coverage` in gate #1 of phase `build` takes only one of `summary`, `lcov`'],
  ],
  [
    'file-contains with text and regex',
    phase({ gates: [{ 'file-contains': { in: 'a', text: 'x', regex: 'y' } }] }),
    ['phases/0/gates/0/file-contains: `file-contains` in gate #1 of phase `build` takes only one of `text`, `regex`'],
  ],
  [
    'waiver without owner',
    phase({ gates: [{ command: 'x', waive: { reason: 'r', until: '2030-01-01' } }] }),
    ['phases/0/gates/0/waive: `waive` in gate #1 of phase `build` is missing `owner`'],
  ],
  [
    'waiver date',
    phase({ gates: [{ command: 'x', waive: { reason: 'r', owner: 'o', until: 'soon' } }] }),
    ['phases/0/gates/0/waive/until: `until` in `waive` in gate #1 of phase `build` has an invalid value "soon"'],
  ],
  [
    'condition with two keys',
    phase({ when: { env: 'CI', branch: 'main' } }),
    [
      'phases/0/when: `when` in phase `build` has 2 keys (`env`, `branch`) but takes 1 (combine conditions with `all:` or `any:`)',
    ],
  ],
  [
    'nested condition typo',
    phase({ when: { all: [{ changed: { paths: 'src', snce: 'main' } }] } }),
    [
      'phases/0/when/all/0/changed/snce: unknown key `snce` in `changed` in item #1 of `all` in `when` in phase `build` (did you mean `since`?)',
    ],
  ],
  [
    'overwrite enum',
    phase({ tasks: [{ template: 't', to: 'x', overwrite: 'alway' }] }),
    [
      'phases/0/tasks/0/overwrite: `overwrite` in task #1 of phase `build` must be one of `if-unchanged`, `always`, `never`, not the string "alway" (did you mean `always`?)',
    ],
  ],
  [
    'env value and from',
    { version: 1, env: { TOKEN: { value: 'a', from: 'B' } } },
    ['env/TOKEN: `TOKEN` in `env` takes only one of `value`, `from`'],
  ],
]

describe('explainSchemaErrors', () => {
  it.each(cases)('%s', (_name, plan, expected) => {
    expect(validatePlan(plan), 'the generated validator must reject it too').toBe(false)
    const found = explainSchemaErrors(schema, plan).map(
      (f) => `${f.path.join('/')}: ${f.message}${f.hint ? ` (${f.hint})` : ''}`,
    )
    expect(found).toHaveLength(expected.length)
    expected.forEach((fragment, i) => {
      expect(found[i]).toContain(fragment)
    })
  })

  it('says what a duration may be, both spellings, when a timeout is neither', () => {
    for (const timeout of ['banana', true, '10 minutes']) {
      const [finding, ...more] = explainSchemaErrors(schema, phase({ tasks: [{ run: 'x', timeout }] }))
      expect(more).toEqual([])
      expect(finding!.path.join('/')).toBe('phases/0/tasks/0/timeout')
      expect(finding!.expected).toMatch(/seconds as a number.*`10m`/)
    }
  })

  it('finds nothing in a plan the validator accepts', () => {
    const plan = phase({
      needs: [],
      when: { any: [{ env: 'CI' }, { not: { branch: 'main' } }] },
      tasks: [{ run: 'x', retries: 2, timeout: '5m' }],
      gates: [{ coverage: { lcov: 'l', lines: 90 } }],
    })
    expect(validatePlan(plan)).toBe(true)
    expect(explainSchemaErrors(schema, plan)).toEqual([])
  })
})
