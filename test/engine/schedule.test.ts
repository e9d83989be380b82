import { describe, expect, it } from 'vitest'
import { Schedule, type PhaseStatus, type ScheduleOptions, type ScheduleStep } from '../../src/engine/schedule.js'

/** A step as text: phases settled without running (`c blocked: a failed`, `d cancelled`), then `start a b`. */
function render(step: ScheduleStep): string {
  return [
    ...step.settled.map((s) =>
      s.status === 'blocked' ? `${s.id} blocked: ${s.need} ${s.needStatus}` : `${s.id} cancelled`,
    ),
    ...(step.start.length ? [`start ${step.start.join(' ')}`] : []),
  ].join('; ')
}

/** Applies `a=passed b=failed` (phases that ended) or `stop`, in order. */
function apply(schedule: Schedule, events: string): void {
  for (const event of events.split(' ').filter(Boolean)) {
    if (event === 'stop') schedule.stop()
    else {
      const [id, status] = event.split('=')
      schedule.end(id!, status as PhaseStatus)
    }
  }
}

type Options = Omit<ScheduleOptions, 'phases' | 'concurrency'> & { concurrency?: number }
/** A row: phases (id → needs, in plan order), options, then steps: what ends before the step, and what the step says. */
type Row = [
  name: string,
  phases: Record<string, string[]>,
  options: Options,
  steps: Array<[events: string, step: string]>,
]

const rows: Row[] = [
  ['one phase', { a: [] }, {}, [['', 'start a']]],
  [
    'a chain, one phase after another',
    { a: [], b: ['a'], c: ['b'] },
    {},
    [
      ['', 'start a'],
      ['a=passed', 'start b'],
      ['b=passed', 'start c'],
      ['c=passed', ''],
    ],
  ],
  [
    'a diamond: both sides at once, the join after both',
    { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] },
    {},
    [
      ['', 'start a'],
      ['a=passed', 'start b c'],
      ['b=passed', ''],
      ['c=passed', 'start d'],
    ],
  ],
  [
    'a diamond with concurrency 1 runs in plan order',
    { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] },
    { concurrency: 1 },
    [
      ['', 'start a'],
      ['a=passed', 'start b'],
      ['b=passed', 'start c'],
      ['c=passed', 'start d'],
    ],
  ],
  [
    'independent phases up to the concurrency',
    { a: [], b: [], c: [], d: [] },
    { concurrency: 2 },
    [
      ['', 'start a b'],
      ['b=passed', 'start c'],
      ['a=passed', 'start d'],
      ['c=passed d=passed', ''],
    ],
  ],
  [
    'a phase that becomes ready starts before later ready phases (plan order)',
    { x: [], y: [], a: ['x'], b: [] },
    { concurrency: 1 },
    [
      ['', 'start x'],
      ['x=passed', 'start y'],
      ['y=passed', 'start a'],
      ['a=passed', 'start b'],
    ],
  ],
  [
    'two needs ending together release the join',
    { a: [], b: [], c: ['a', 'b'] },
    {},
    [
      ['', 'start a b'],
      ['a=passed b=passed', 'start c'],
    ],
  ],
  [
    'skipped and up-to-date needs let dependants run',
    { a: [], b: [], c: ['a', 'b'] },
    {},
    [
      ['', 'start a b'],
      ['a=skipped b=up-to-date', 'start c'],
    ],
  ],
  [
    'a failure blocks its dependants and cancels the rest',
    { a: [], b: ['a'], c: [] },
    { concurrency: 1 },
    [
      ['', 'start a'],
      ['a=failed', 'b blocked: a failed; c cancelled'],
    ],
  ],
  [
    'with continueOnError a failure blocks its dependants only',
    { a: [], b: ['a'], c: [] },
    { concurrency: 1, continueOnError: true },
    [
      ['', 'start a'],
      ['a=failed', 'b blocked: a failed; start c'],
      ['c=passed', ''],
    ],
  ],
  [
    'blocking reaches dependants of dependants at once, each naming its own blocker',
    { a: [], b: ['a'], c: ['b'], d: [], e: ['c', 'd'] },
    { concurrency: 1, continueOnError: true },
    [
      ['', 'start a'],
      ['a=failed', 'b blocked: a failed; c blocked: b blocked; e blocked: c blocked; start d'],
      ['d=passed', ''],
    ],
  ],
  [
    'a phase is blocked by the first of its needs that did not pass',
    { a: [], b: [], c: ['a', 'b'] },
    { continueOnError: true },
    [
      ['', 'start a b'],
      ['a=passed', ''],
      ['b=failed', 'c blocked: b failed'],
    ],
  ],
  [
    'a failure while a need of a phase still runs cancels that phase (nothing blocks it yet)',
    { a: [], b: [], c: ['b'] },
    { concurrency: 2 },
    [
      ['', 'start a b'],
      ['a=failed', 'c cancelled'],
      ['b=cancelled', ''],
    ],
  ],
  [
    'awaiting approval blocks dependants but does not stop the run',
    { a: [], b: ['a'], c: [] },
    { concurrency: 1 },
    [
      ['', 'start a'],
      ['a=awaiting-approval', 'b blocked: a awaiting-approval; start c'],
    ],
  ],
  [
    'a cancelled need blocks its dependants',
    { a: [], b: ['a'] },
    { continueOnError: true },
    [
      ['', 'start a'],
      ['a=cancelled', 'b blocked: a cancelled'],
    ],
  ],
  [
    'stopping cancels every phase not started, and nothing starts after',
    { a: [], b: [], c: ['a'] },
    { concurrency: 1 },
    [
      ['', 'start a'],
      ['stop', 'b cancelled; c cancelled'],
      ['a=cancelled', ''],
    ],
  ],
  ['stopping before the first step starts nothing', { a: [], b: ['a'] }, {}, [['stop', 'a cancelled; b cancelled']]],
  [
    'a phase that ends twice counts once',
    { a: [], b: ['a'] },
    {},
    [
      ['', 'start a'],
      ['a=passed a=failed', 'start b'],
    ],
  ],
  [
    'needs outside the run count when given as done',
    { b: ['x'], c: ['y'] },
    { done: { x: 'passed', y: 'failed' }, continueOnError: true },
    [['', 'c blocked: y failed; start b']],
  ],
  [
    'phases already done and running are taken into account',
    { a: [], b: ['a'], c: [], d: [] },
    { concurrency: 2, done: { a: 'passed' }, running: ['c'] },
    [
      ['', 'start b'],
      ['c=passed', 'start d'],
    ],
  ],
  [
    'a phase done as failed stops the run from the start',
    { a: [], b: ['a'], c: [] },
    { done: { a: 'failed' } },
    [['', 'b blocked: a failed; c cancelled']],
  ],
  [
    'ignoring needs (wf check): everything starts, nothing is blocked',
    { a: [], b: ['a'], c: ['b'] },
    { ignoreNeeds: true, continueOnError: true },
    [
      ['', 'start a b c'],
      ['a=failed b=passed c=passed', ''],
    ],
  ],
  [
    'ignoring needs still honours the concurrency',
    { a: [], b: ['a'], c: ['b'] },
    { ignoreNeeds: true, continueOnError: true, concurrency: 1 },
    [
      ['', 'start a'],
      ['a=failed', 'start b'],
      ['b=passed', 'start c'],
    ],
  ],
]

describe('Schedule', () => {
  it.each(rows)('%s', (_name, phases, options, steps) => {
    const schedule = new Schedule({
      concurrency: 8,
      ...options,
      phases: Object.entries(phases).map(([id, needs]) => ({ id, needs })),
    })
    const seen = steps.map(([events]) => {
      apply(schedule, events)
      return render(schedule.next())
    })
    expect(seen).toEqual(steps.map(([, step]) => step))
  })

  it.each([
    ['a failure without continueOnError', {}, 'a=failed', true],
    ['a failure with continueOnError', { continueOnError: true }, 'a=failed', false],
    ['a pass', {}, 'a=passed', false],
    ['stop()', { continueOnError: true }, 'stop', true],
  ] as const)('says whether the run stopped after %s', (_name, options, events, stopped) => {
    const schedule = new Schedule({ phases: [{ id: 'a', needs: [] }], concurrency: 1, ...options })
    schedule.next()
    apply(schedule, events)
    expect(schedule.stopped).toBe(stopped)
  })

  it('leaves a phase waiting when a need is neither in the run nor done', () => {
    const schedule = new Schedule({
      phases: [
        { id: 'a', needs: [] },
        { id: 'b', needs: ['missing'] },
      ],
      concurrency: 2,
    })
    expect(render(schedule.next())).toBe('start a')
    schedule.end('a', 'passed')
    expect(render(schedule.next())).toBe('')
    expect(schedule.waiting).toEqual(['b'])
  })

  it('releases a long chain one phase per step', () => {
    const phases = Array.from({ length: 2000 }, (_, i) => ({ id: `p${i}`, needs: i ? [`p${i - 1}`] : [] }))
    const schedule = new Schedule({ phases, concurrency: 4 })
    const started: string[] = []
    for (let step = schedule.next(); step.start.length > 0; step = schedule.next()) {
      started.push(...step.start)
      for (const id of step.start) schedule.end(id, 'passed')
    }
    expect(started).toEqual(phases.map((p) => p.id))
    expect(schedule.waiting).toEqual([])
  })
})
