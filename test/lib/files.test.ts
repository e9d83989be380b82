import { describe, expect, it } from 'vitest'
import { mapLimit } from '../../src/lib/files.js'

describe('mapLimit', () => {
  it('keeps the order of the items and never runs more than the limit at once', async () => {
    let running = 0
    let most = 0
    const delays = [30, 5, 20, 1, 15, 8, 2, 25, 3, 12]
    const out = await mapLimit(delays, 3, async (ms) => {
      most = Math.max(most, ++running)
      await new Promise((resolve) => setTimeout(resolve, ms))
      running--
      return ms * 2
    })
    expect(out).toEqual(delays.map((ms) => ms * 2))
    expect(most).toBe(3)
    expect(await mapLimit([], 4, async () => 1)).toEqual([])
  })

  it('passes a failure on', async () => {
    await expect(
      mapLimit([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error('two')
        return n
      }),
    ).rejects.toThrow('two')
  })
})
