import { linkSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { testdir } from '../helpers.js'

/** A pattern that backtracks exponentially in a JavaScript RegExp on the lines of `longScanRepo`. */
export const NESTED = '^(a+)+$'

/**
 * A repository whose `scan` phase has a task that creates `started` and then a `forbid` gate
 * running `NESTED` over 600 copies (hard links) of a 1 MiB file of near misses: linear, but
 * minutes of matching, so a signal or a request always arrives while it runs.
 */
export function longScanRepo(): string {
  const cwd = testdir({
    'phases/p.yaml': [
      'version: 1',
      'phases:',
      '  - id: scan',
      '    tasks: [{ run: "touch started" }]',
      `    gates: [{ forbid: { patterns: ["${NESTED}"], in: "big/*.txt" } }]`,
      '',
    ].join('\n'),
  })
  mkdirSync(join(cwd, 'big'))
  writeFileSync(join(cwd, 'big', '0.txt'), `${'a'.repeat(40)}!\n`.repeat(Math.floor((1024 * 1024) / 42)))
  for (let i = 1; i < 600; i++) linkSync(join(cwd, 'big', '0.txt'), join(cwd, 'big', `${i}.txt`))
  return cwd
}
