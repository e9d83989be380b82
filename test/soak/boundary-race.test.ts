// Soak (npm run test:soak): the swap race of test/e2e/boundary-race.test.ts, 50 times.
import { describe, expect, it } from 'vitest'
import { swapRace } from '../e2e/swap-race-kit.js'

describe('writes survive a swap between check and write (50 runs)', () => {
  it('gen/ swapped for a link to an outside folder while wf writes 40 templates: nothing lands outside', async () => {
    expect(await swapRace(50)).toEqual([])
  }, 600_000)
})
