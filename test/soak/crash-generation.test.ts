// Soak (npm run test:soak): 150 SIGKILLs of a 10-phase `wf run --concurrency 4` whose run, template
// and contracts tasks end close together, killed right after each line it prints and at random
// instants. After each kill: the ledger and run records validate, `wf ledger verify` exits 0, every
// phase printed as passed is recorded as passed by the killed run, and the next `wf run` exits 0 (no
// file wf wrote is taken for a hand edit). The inputs change before every run, so each run rewrites
// its files. WF_SOAK_SEED=N replays the random instants of a failed soak.
import { randomBytes } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { testdir } from '../helpers.js'
import {
  expectRecovered,
  type KillOutcome,
  type Ledger,
  readJson,
  reapTasks,
  startRun,
  visiblyPassed,
  wf,
  wfDir,
} from '../e2e/crash-kit.js'

const KILLS = 150
const PHASES = ['setup', 'doc-a', 'doc-b', 'doc-c', 'types-one', 'types-two', 'build', 'lint', 'pack', 'final']

/** setup, then five phases side by side (four at a time), three that join them, and a last one. */
const plan = `version: 1
phases:
  - id: setup
    tasks: [{ run: "mkdir -p out && echo s > out/setup.txt" }]
  - id: doc-a
    needs: [setup]
    tasks: [{ template: templates/doc.njk, to: out/a.md, vars: { name: a } }]
    gates: [{ files-exist: [out/a.md] }]
  - id: doc-b
    needs: [setup]
    tasks: [{ template: templates/doc.njk, to: out/b.md, vars: { name: b } }, { run: "test -s out/b.md" }]
  - id: doc-c
    needs: [setup]
    tasks: [{ run: "echo c > out/c.txt" }, { template: templates/doc.njk, to: out/c.md, vars: { name: c } }]
  - id: types-one
    needs: [setup]
    tasks: [{ contracts: contracts/one, out: out/types-one }]
  - id: types-two
    needs: [setup]
    tasks: [{ contracts: contracts/two, out: out/types-two }]
  - id: build
    needs: [doc-a, types-one]
    tasks: [{ run: "cat out/a.md > out/build.txt" }, { template: templates/doc.njk, to: out/build.md, vars: { name: build } }]
  - id: lint
    needs: [doc-b, doc-c]
    tasks: [{ template: templates/doc.njk, to: out/lint.md, vars: { name: lint } }]
    gates: [{ command: "test -s out/c.txt" }]
  - id: pack
    needs: [types-two]
    tasks: [{ template: templates/doc.njk, to: out/pack.md, vars: { name: pack } }]
  - id: final
    needs: [build, lint, pack]
    tasks: [{ template: templates/doc.njk, to: out/final.md, vars: { name: final } }]
    gates: [{ files-exist: [out/a.md, out/final.md, out/build.txt] }]
`

/** A new revision of every template and schema, so the next run rewrites every file it generates. */
function bump(cwd: string, rev: number): void {
  writeFileSync(join(cwd, 'templates/doc.njk'), `# {{ name }}\n\nrevision ${rev}\n`)
  for (const [set, title] of [
    ['one', 'Order'],
    ['two', 'Invoice'],
  ])
    writeFileSync(
      join(cwd, `contracts/${set}/${title!.toLowerCase()}.json`),
      JSON.stringify({
        $schema: 'http://json-schema.org/draft-07/schema#',
        title,
        description: `revision ${rev}`,
        type: 'object',
        properties: { id: { type: 'string' }, [`field${rev % 3}`]: { type: 'integer' } },
        required: ['id'],
      }),
    )
}

/** A small deterministic generator (mulberry32), so a seed replays the same instants. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('crash safety of generated files under SIGKILL', () => {
  it(`survives ${KILLS} SIGKILLs of a 10-phase run that generates files: finished phases stay recorded, the next run passes`, {
    timeout: 600_000,
  }, async () => {
    const seed = Number(process.env.WF_SOAK_SEED) || randomBytes(4).readUInt32BE()
    const next = random(seed)
    const cwd = testdir({
      'phases/plan.yaml': plan,
      'templates/doc.njk': '',
      'contracts/one/order.json': '',
      'contracts/two/invoice.json': '',
    })
    const mark = randomBytes(6).toString('hex')
    const args = ['--concurrency', '4']
    let rev = 0
    bump(cwd, ++rev)

    // How many lines a run prints and how long it takes, in the faster of two normal runs.
    let lines = 0
    let duration = Infinity
    for (let i = 0; i < 2; i++) {
      bump(cwd, ++rev)
      const started = performance.now()
      const normal = startRun(cwd, mark, args)
      expect(await normal.closed, normal.output().stderr).toBe(0)
      duration = Math.min(duration, performance.now() - started)
      const stdout = normal.output().stdout
      lines = stdout.split('\n').length - 1
      expect(visiblyPassed(stdout)).toEqual(new Set(PHASES))
    }

    // Right after each line it prints, then at random instants from its start to just past its end.
    const points: Array<{ line: number } | { delay: number }> = [
      ...Array.from({ length: Math.min(lines, KILLS) }, (_, i) => ({ line: i + 1 })),
      ...Array.from({ length: Math.max(0, KILLS - lines) }, () => ({ delay: Math.round(next() * duration * 1.1) })),
    ]
    const seen: Record<KillOutcome | 'withPhases', number> = {
      interrupted: 0,
      finished: 0,
      notStarted: 0,
      withPhases: 0,
    }
    const failures: string[] = []
    for (const [i, point] of points.entries()) {
      const label = `kill ${i + 1} (seed ${seed}) ${'line' in point ? `after line ${point.line} of ${lines}` : `at ${point.delay}ms of ${Math.round(duration)}ms`}`
      try {
        bump(cwd, ++rev)
        const before = readJson<Ledger>(join(wfDir(cwd), 'ledger.json'))
        const run = startRun(cwd, mark, args)
        const killed = 'line' in point ? await run.killAtLine(point.line) : await run.killAfter(point.delay)
        await reapTasks(mark)
        // What the killed run wrote is out of date before the next run: it must rewrite it, not refuse.
        bump(cwd, ++rev)
        const { outcome, visible } = await expectRecovered(cwd, before, killed, label, { nextPasses: true })
        seen[outcome]++
        if (visible.size > 0) seen.withPhases++
      } catch (error) {
        // The label, and the lines that say what went wrong (a failed next run's ✖ lines).
        const lines = (error as Error).message.split('\n')
        const why = lines.filter((line, n) => n === 0 || /✖|expected/.test(line)).slice(0, 8)
        failures.push(why[0]?.includes(label) ? why.join('\n') : `${label}: ${why.join('\n')}`)
        // Start the next kill from a sound repository.
        await reapTasks(mark)
        rmSync(wfDir(cwd), { recursive: true, force: true })
        rmSync(join(cwd, 'out'), { recursive: true, force: true })
        await wf(cwd, ['run'])
      }
    }
    const figure = {
      kills: points.length,
      recovered: points.length - failures.length,
      failed: failures.length,
      seed,
      ...seen,
    }
    console.log(
      `crash-generation soak: ${JSON.stringify(figure)}${failures.length ? `\n${failures.join('\n\n')}` : ''}`,
    )
    expect(failures, JSON.stringify(figure)).toEqual([])
    // The kills covered the run: before it recorded anything, while phases ran, and after it ended.
    expect(seen.notStarted, JSON.stringify(figure)).toBeGreaterThan(0)
    expect(seen.interrupted, JSON.stringify(figure)).toBeGreaterThanOrEqual(20)
    expect(seen.withPhases, JSON.stringify(figure)).toBeGreaterThanOrEqual(20)
    expect(seen.finished, JSON.stringify(figure)).toBeGreaterThan(0)
  })
})
