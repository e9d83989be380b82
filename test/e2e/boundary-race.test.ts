// A folder swapped for a link out of the repository while wf writes into it (5 runs; the soak suite
// runs 50): nothing is written outside.
import { describe, expect, it } from 'vitest'
import { swapRace } from './swap-race-kit.js'

describe('writes survive a swap between check and write', () => {
  it('gen/ swapped for a link to an outside folder while wf writes 40 templates: nothing lands outside', async () => {
    expect(await swapRace(5)).toEqual([])
  }, 120_000)
})
