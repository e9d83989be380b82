// The swap race: while `wf run` writes 40 generated files into gen/, another process keeps swapping
// gen/ for a link to a folder outside the repository and back. Whatever wf manages to write, none of
// it may land outside.
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { runWf, testdir } from '../helpers.js'

const FILES = 40

const plan = `version: 1
phases:
  - id: gen
    tasks:
${Array.from({ length: FILES }, (_, i) => `      - { template: templates/t.njk, to: gen/f${i}.txt, vars: { n: ${i} } }`).join('\n')}
`

// Holds gen/ as a link to the outside folder for a millisecond, then as the real folder for one.
const SWAPPER = `
const fs = require('node:fs')
const [gen, real, out] = process.argv.slice(1)
const pause = new Int32Array(new SharedArrayBuffer(4))
for (;;) {
  try { fs.renameSync(gen, real) } catch {}
  try { fs.symlinkSync(out, gen) } catch {}
  Atomics.wait(pause, 0, 0, 1)
  try { fs.unlinkSync(gen) } catch {}
  try { fs.renameSync(real, gen) } catch {}
  Atomics.wait(pause, 0, 0, 1)
}
`

/** Runs the race `runs` times (a fresh repository each time); returns every file found outside afterwards. */
export async function swapRace(runs: number): Promise<string[]> {
  const outside = testdir({}, { git: false })
  const found: string[] = []
  for (let run = 0; run < runs; run++) {
    const cwd = testdir({ 'phases/gen.yaml': plan, 'templates/t.njk': 'file {{ n }}\n', 'gen/.keep': '' })
    const swapper = spawn(process.execPath, ['-e', SWAPPER, join(cwd, 'gen'), join(cwd, 'gen.real'), outside], {
      stdio: 'ignore',
    })
    try {
      await runWf(['run', '--force'], { cwd })
    } finally {
      swapper.kill('SIGKILL')
      await new Promise((resolve) => (swapper.exitCode === null ? swapper.once('exit', resolve) : resolve(null)))
    }
    found.push(...readdirSync(outside).map((name) => `run ${run}: ${name}`))
  }
  return found
}
